/**
 * The handler role's policy: exactly the operations the handler calls, on the ARNs of the stack's resources, the tag
 * condition, `*` only where IAM has no resource-level permissions, and the size limit of a role's inline policies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import {
  ConfigurationSet,
  DedicatedIpPool,
  DeliverabilityDashboard,
  DeliverabilityTest,
  EmailIdentity,
  Identity,
  TestContent,
} from '../src';
import { PinpointEmailProvider } from '../src/private/provider';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** IAM's limit for the inline policies of a role: characters, white space not counted. */
const IAM_INLINE_LIMIT = 10_240;
const NO_AWS_TAG_KEYS = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } };
const CONTENT = TestContent.simple({ subject: 'Hello', text: 'Hi there' });

type Json = any;

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Condition?: Json;
}

/** CDK refuses more than 500 resources in a stack (CloudFormation's limit); the size tests need 500 of one construct. */
const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };

function newStack(props: StackProps = { env: { account: ACCOUNT, region: REGION } }, context: Record<string, unknown> = {}): Stack {
  return new Stack(new App({ context: { ...NO_RESOURCE_LIMIT, ...context } }), 'Mail', props);
}

/** The stack's IAM policies; the handler has exactly one. */
function policyDocument(stack: Stack): { Version: string; Statement: PolicyStatement[] } {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** `arn:<partition>:ses:us-east-1:123456789012:<resource>` as the template renders it. */
function sesArn(resource: string): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:${REGION}:${ACCOUNT}:${resource}`]] };
}

interface Deployment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** What the log group's `Fn::GetAtt` Arn is once deployed. */
  readonly logGroupArn: string;
}

/** Partition aws, us-east-1, account 123456789012, and a log group name as CloudFormation generates it. */
const US_EAST_1: Deployment = {
  partition: 'aws',
  region: REGION,
  account: ACCOUNT,
  logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:Mail-PinpointEmailProviderLogsFEB6F21F-AbCdEfGh1234:*`,
};

/** `value` as IAM stores it once deployed: `Fn::Join`s of strings and pseudo parameters resolved, the log group's ARN filled in. */
function deployed(value: Json, at: Deployment = US_EAST_1): Json {
  const pseudo: Record<string, string> = { 'AWS::Partition': at.partition, 'AWS::Region': at.region, 'AWS::AccountId': at.account };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => deployed(item, at));
  if (value['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((part: Json) => {
      const text = deployed(part, at);
      if (typeof text !== 'string') throw new Error(`cannot resolve ${JSON.stringify(part)}`);
      return text;
    }).join(separator);
  }
  if (value.Ref !== undefined) {
    if (pseudo[value.Ref] === undefined) throw new Error(`cannot resolve Ref ${value.Ref}`);
    return pseudo[value.Ref];
  }
  if (value['Fn::GetAtt']) return at.logGroupArn;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deployed(item, at)]));
}

/** The size IAM counts: the deployed document as JSON, without white space. */
function deployedSize(stack: Stack, at: Deployment = US_EAST_1): number {
  return JSON.stringify(deployed(policyDocument(stack), at)).replace(/\s/g, '').length;
}

/** A stack with one of each construct: a configuration set sending through a pool, two identities, a test, the dashboard. */
function oneOfEach(): Stack {
  const stack = newStack();
  const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
  new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional', dedicatedIpPool: pool });
  const domain = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
  new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.org') });
  new DeliverabilityTest(stack, 'Test', { fromIdentity: domain, fromLocalPart: 'test', content: CONTENT });
  new DeliverabilityDashboard(stack, 'Dashboard');
  return stack;
}

describe('the policy of a stack with one of each construct', () => {
  test('is exactly this document', () => {
    expect(policyDocument(oneOfEach())).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WriteLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': ['PinpointEmailProviderLogsFEB6F21F', 'Arn'] },
        },
        {
          Sid: 'ManageDedicatedIpPools',
          Effect: 'Allow',
          Action: ['ses:CreateDedicatedIpPool', 'ses:DeleteDedicatedIpPool', 'ses:TagResource', 'ses:UntagResource', 'ses:ListTagsForResource'],
          Resource: sesArn('dedicated-ip-pool/marketing'),
          Condition: NO_AWS_TAG_KEYS,
        },
        {
          Sid: 'ManageConfigurationSets',
          Effect: 'Allow',
          Action: [
            'ses:CreateConfigurationSet',
            'ses:DeleteConfigurationSet',
            'ses:PutConfigurationSetDeliveryOptions',
            'ses:PutConfigurationSetReputationOptions',
            'ses:PutConfigurationSetSendingOptions',
            'ses:PutConfigurationSetTrackingOptions',
            'ses:TagResource',
            'ses:UntagResource',
            'ses:ListTagsForResource',
          ],
          Resource: sesArn('configuration-set/transactional'),
          Condition: NO_AWS_TAG_KEYS,
        },
        {
          Sid: 'SendThroughDedicatedIpPools',
          Effect: 'Allow',
          Action: ['ses:CreateConfigurationSet', 'ses:PutConfigurationSetDeliveryOptions'],
          Resource: sesArn('dedicated-ip-pool/marketing'),
        },
        {
          Sid: 'ManageEmailIdentities',
          Effect: 'Allow',
          Action: [
            'ses:GetEmailIdentity',
            'ses:CreateEmailIdentity',
            'ses:DeleteEmailIdentity',
            'ses:PutEmailIdentityDkimAttributes',
            'ses:PutEmailIdentityFeedbackAttributes',
            'ses:PutEmailIdentityMailFromAttributes',
            'ses:TagResource',
            'ses:UntagResource',
          ],
          Resource: [sesArn('identity/example.com'), sesArn('identity/sender@example.org')],
          Condition: NO_AWS_TAG_KEYS,
        },
        {
          Sid: 'CreateDeliverabilityTests',
          Effect: 'Allow',
          Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
          Resource: [sesArn('identity/example.com'), sesArn('identity/test@example.com')],
        },
        {
          Sid: 'TagDeliverabilityTestReports',
          Effect: 'Allow',
          Action: ['ses:TagResource', 'ses:UntagResource', 'ses:ListTagsForResource'],
          Resource: sesArn('deliverability-test-report/*'),
          Condition: NO_AWS_TAG_KEYS,
        },
        {
          Sid: 'AccountLevelOperations',
          Effect: 'Allow',
          Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:ListDeliverabilityTestReports', 'ses:PutDeliverabilityDashboardOption'],
          Resource: '*',
        },
      ],
    });
  });

  test('is the role\'s only policy, and the handler is created after it', () => {
    const template = Template.fromStack(oneOfEach());
    const [policyId] = Object.keys(template.findResources('AWS::IAM::Policy'));
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent(), Policies: Match.absent() });
    template.hasResource('AWS::Lambda::Function', { DependsOn: Match.arrayWith([policyId]) });
  });

  test('is the same when CDK minimizes policies (its statement merging does not apply)', () => {
    const minimized = newStack(undefined, { '@aws-cdk/aws-iam:minimizePolicies': true });
    const pool = new DedicatedIpPool(minimized, 'Pool', { dedicatedIpPoolName: 'marketing' });
    new ConfigurationSet(minimized, 'Set', { configurationSetName: 'transactional', dedicatedIpPool: pool });
    const domain = new EmailIdentity(minimized, 'Domain', { identity: Identity.domain('example.com') });
    new EmailIdentity(minimized, 'Address', { identity: Identity.email('sender@example.org') });
    new DeliverabilityTest(minimized, 'Test', { fromIdentity: domain, fromLocalPart: 'test', content: CONTENT });
    new DeliverabilityDashboard(minimized, 'Dashboard');

    expect(policyDocument(minimized)).toEqual(policyDocument(oneOfEach()));
  });
});

describe('the actions are the operations the handler calls', () => {
  const LAMBDA = path.join(__dirname, '..', 'lambda');

  function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  }

  /** `ses:<Operation>` for each `new <Operation>Command(...)` under `node`. */
  function commandsUnder(node: ts.Node): string[] {
    const found: string[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isNewExpression(child) && ts.isIdentifier(child.expression) && child.expression.text.endsWith('Command')) {
        found.push(`ses:${child.expression.text.slice(0, -'Command'.length)}`);
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
    return found;
  }

  /** The top-level functions of a module by name, and the names each one calls. */
  function functionsOf(source: ts.SourceFile): Map<string, ts.Node> {
    const functions = new Map<string, ts.Node>();
    for (const statement of source.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name) functions.set(statement.name.text, statement);
    }
    return functions;
  }

  function callsUnder(node: ts.Node): string[] {
    const names: string[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child) && ts.isIdentifier(child.expression)) names.push(child.expression.text);
      ts.forEachChild(child, visit);
    };
    visit(node);
    return names;
  }

  /** The operations a function of a helper module calls, itself or through the module's other functions. */
  function operationsOfFunction(source: ts.SourceFile, name: string, seen = new Set<string>()): string[] {
    const fn = functionsOf(source).get(name);
    if (!fn || seen.has(name)) return [];
    seen.add(name);
    return [...commandsUnder(fn), ...callsUnder(fn).flatMap((callee) => operationsOfFunction(source, callee, seen))];
  }

  /**
   * The operations a handler module calls: its own `new XCommand(...)`, and those of the functions it imports from the
   * other modules of lambda/ (reconcileTags from tags.ts, createdByThisResource from ownership.ts...).
   */
  function operationsCalledBy(file: string): string[] {
    const source = parse(file);
    const operations = commandsUnder(source);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      if (!specifier.startsWith('.')) continue;
      const helperFile = path.join(path.dirname(file), `${specifier}.ts`);
      if (!fs.existsSync(helperFile) || !helperFile.startsWith(LAMBDA)) continue;
      const helper = parse(helperFile);
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) operations.push(...operationsOfFunction(helper, (element.propertyName ?? element.name).text));
    }
    return [...new Set(operations)].sort();
  }

  function sesActionsOf(stack: Stack): string[] {
    const actions = policyDocument(stack).Statement.flatMap((statement) => asList(statement.Action));
    return [...new Set(actions.filter((action) => action.startsWith('ses:')))].sort();
  }

  test.each<[string, string, (stack: Stack) => void]>([
    ['configuration set', 'configuration-set.ts', (stack) => new ConfigurationSet(stack, 'Set', {
      dedicatedIpPool: DedicatedIpPool.fromDedicatedIpPoolName(stack, 'Pool', 'marketing'),
    })],
    ['dedicated IP pool', 'dedicated-ip-pool.ts', (stack) => new DedicatedIpPool(stack, 'Pool')],
    ['email identity', 'email-identity.ts', (stack) => new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') })],
    ['deliverability test', 'deliverability-test.ts', (stack) => new DeliverabilityTest(stack, 'Test', {
      fromEmailAddress: 'test@example.com', content: CONTENT,
    })],
    ['deliverability dashboard', 'deliverability-dashboard.ts', (stack) => new DeliverabilityDashboard(stack, 'Dashboard', {
      subscribedDomains: ['example.com'],
    })],
  ])('%s: no more, no fewer', (_name, handlerFile, declare) => {
    const stack = newStack();
    declare(stack);

    const called = operationsCalledBy(path.join(LAMBDA, 'resources', handlerFile));
    expect(called.length).toBeGreaterThan(0);
    expect(sesActionsOf(stack)).toEqual(called);
  });

  test('every operation anywhere in lambda/ is granted by some construct, and nothing else', () => {
    const files = fs.readdirSync(LAMBDA, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const everywhere = [...new Set(files.flatMap((file) => commandsUnder(parse(path.join(LAMBDA, file)))))].sort();

    const stack = oneOfEach();
    new DeliverabilityTest(stack, 'FromAddress', { fromEmailAddress: 'test@example.net', content: CONTENT });
    expect(sesActionsOf(stack)).toEqual(everywhere);
  });
});

describe('resources', () => {
  function statement(stack: Stack, sid: string): PolicyStatement {
    const found = policyDocument(stack).Statement.find((s) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  }

  test('two named configuration sets: those two ARNs, not configuration-set/*', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'A', { configurationSetName: 'transactional' });
    new ConfigurationSet(stack, 'B', { configurationSetName: 'marketing' });

    expect(statement(stack, 'ManageConfigurationSets').Resource).toEqual([
      sesArn('configuration-set/transactional'),
      sesArn('configuration-set/marketing'),
    ]);
  });

  test('generated names: one stack-prefix pattern that covers every generated name', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'A');
    new ConfigurationSet(stack, 'B');
    new DedicatedIpPool(stack, 'Pool');

    expect(statement(stack, 'ManageConfigurationSets').Resource).toEqual(sesArn('configuration-set/Mail-*'));
    expect(statement(stack, 'ManageDedicatedIpPools').Resource).toEqual(sesArn('dedicated-ip-pool/mail-*'));
    const names = Object.values(Template.fromStack(stack).findResources('Custom::PinpointEmailConfigurationSet'))
      .map((resource) => resource.Properties.ConfigurationSetName as string);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name.startsWith('Mail-')).toBe(true);
  });

  test('"*" only in one statement, for the operations without resource-level permissions', () => {
    const starred = policyDocument(oneOfEach()).Statement.filter((s) => asList(s.Resource).includes('*'));

    expect(starred).toEqual([{
      Sid: 'AccountLevelOperations',
      Effect: 'Allow',
      Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:ListDeliverabilityTestReports', 'ses:PutDeliverabilityDashboardOption'],
      Resource: '*',
    }]);
  });

  test('the provider refuses "*" for an operation that has resource-level permissions', () => {
    const stack = newStack();
    expect(() => PinpointEmailProvider.of(stack).grantWithoutResource(['ses:DeleteConfigurationSet']))
      .toThrow('ses:DeleteConfigurationSet must be granted on the ARNs of resources, not on "*"');
  });

  test('the provider refuses a wildcard ARN without a reason', () => {
    const stack = newStack();
    const pattern = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    expect(() => PinpointEmailProvider.of(stack).grant('Anything', ['ses:GetEmailIdentity'], pattern)).toThrow(/needs a reason/);
  });

  test('an environment-agnostic stack grants on its own account and region', () => {
    const stack = newStack({});
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });

    expect(statement(stack, 'ManageConfigurationSets').Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':configuration-set/transactional']],
    });
  });
});

describe('the tag condition', () => {
  /**
   * Whether an identity policy of Allow statements allows a request: the action and the ARN match (with `*` in
   * resources), and the one condition operator this policy uses holds (`ForAllValues:StringNotLike`: every tag key of
   * the request matches none of the patterns; true without tag keys).
   */
  function allows(document: { Statement: PolicyStatement[] }, action: string, arn: string, tagKeys?: string[]): boolean {
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
    return document.Statement.some((s) => {
      if (s.Effect !== 'Allow' || !asList(s.Action).includes(action)) return false;
      if (!asList(s.Resource).some((resource: string) => like(resource, arn))) return false;
      for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
        if (operator !== 'ForAllValues:StringNotLike') throw new Error(`unexpected condition ${operator}`);
        const patterns = asList((keys as Record<string, string | string[]>)['aws:TagKeys']);
        if ((tagKeys ?? []).some((key) => patterns.some((pattern) => like(pattern, key)))) return false;
      }
      return true;
    });
  }

  const set = 'arn:aws:ses:us-east-1:123456789012:configuration-set/transactional';
  const identity = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';
  const report = 'arn:aws:ses:us-east-1:123456789012:deliverability-test-report/1a2b3c';

  test('is on exactly the statements that grant TagResource or UntagResource', () => {
    for (const statement of policyDocument(oneOfEach()).Statement) {
      const tags = asList(statement.Action).some((action) => action === 'ses:TagResource' || action === 'ses:UntagResource');
      expect(statement.Condition).toEqual(tags ? NO_AWS_TAG_KEYS : undefined);
    }
  });

  test('lets a create with tags through (Create and TagResource, with the request\'s tag keys)', () => {
    const document = deployed(policyDocument(oneOfEach()));
    const keys = ['team', 'cost-center'];

    expect(allows(document, 'ses:CreateConfigurationSet', set, keys)).toBe(true);
    expect(allows(document, 'ses:TagResource', set, keys)).toBe(true);
    expect(allows(document, 'ses:CreateEmailIdentity', identity, keys)).toBe(true);
    expect(allows(document, 'ses:TagResource', identity, keys)).toBe(true);
    expect(allows(document, 'ses:TagResource', report, keys)).toBe(true);
    expect(allows(document, 'ses:UntagResource', report, ['team'])).toBe(true);
  });

  test('lets calls without tags through, and refuses aws: keys, other resources and other actions', () => {
    const document = deployed(policyDocument(oneOfEach()));

    expect(allows(document, 'ses:DeleteConfigurationSet', set)).toBe(true);
    expect(allows(document, 'ses:ListTagsForResource', set)).toBe(true);
    expect(allows(document, 'ses:GetEmailIdentity', identity)).toBe(true);
    expect(allows(document, 'ses:TagResource', set, ['team', 'aws:cloudformation:stack-name'])).toBe(false);
    expect(allows(document, 'ses:UntagResource', identity, ['aws:createdBy'])).toBe(false);
    expect(allows(document, 'ses:DeleteConfigurationSet', 'arn:aws:ses:us-east-1:123456789012:configuration-set/other')).toBe(false);
    expect(allows(document, 'ses:DeleteEmailIdentity', 'arn:aws:ses:us-east-1:123456789012:identity/other.com')).toBe(false);
    expect(allows(document, 'ses:SendEmail', identity)).toBe(false);
  });
});

describe('size at scale (IAM allows 10,240 characters of inline policy per role)', () => {
  function withConfigurationSets(count: number, named: boolean): Stack {
    const stack = newStack();
    for (let i = 0; i < count; i++) {
      new ConfigurationSet(stack, `Set${i}`, named ? { configurationSetName: `tenant-configuration-set-${i}` } : {});
    }
    return stack;
  }

  test('500 configuration sets with generated names: one pattern, far under the limit', () => {
    const stack = withConfigurationSets(500, false);

    const size = deployedSize(stack);
    expect(size).toBeLessThan(1_000);
    expect(policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')?.Resource).toEqual(sesArn('configuration-set/Mail-*'));
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('500 configuration sets with generated names and one of each other construct stay under the limit', () => {
    const stack = oneOfEach();
    for (let i = 0; i < 500; i++) new ConfigurationSet(stack, `Generated${i}`);

    expect(deployedSize(stack)).toBeLessThan(IAM_INLINE_LIMIT);
  });

  test('named configuration sets keep exact ARNs while they fit', () => {
    const stack = withConfigurationSets(60, true);

    const resources = asList(policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')!.Resource);
    expect(resources).toHaveLength(60);
    expect(deployedSize(stack)).toBeLessThan(IAM_INLINE_LIMIT);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('500 named configuration sets: configuration-set/* of the stack\'s account and region, with a warning that names the limit', () => {
    const stack = withConfigurationSets(500, true);

    expect(policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')?.Resource).toEqual(sesArn('configuration-set/*'));
    expect(deployedSize(stack)).toBeLessThan(1_000);
    Annotations.fromStack(stack).hasWarning('/Mail/PinpointEmailProvider/Policy',
      Match.stringLikeRegexp('exact configuration-set ARNs of this stack would take the handler\'s policy past IAM\'s limit of 10240 characters.*every configuration-set of the account and region'));
  });

  test('when only one type is over, only that type becomes a pattern', () => {
    const stack = withConfigurationSets(200, true);
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });

    const document = policyDocument(stack);
    expect(document.Statement.find((s) => s.Sid === 'ManageConfigurationSets')?.Resource).toEqual(sesArn('configuration-set/*'));
    expect(document.Statement.find((s) => s.Sid === 'ManageDedicatedIpPools')?.Resource).toEqual(sesArn('dedicated-ip-pool/marketing'));
    expect(document.Statement.find((s) => s.Sid === 'ManageEmailIdentities')?.Resource).toEqual(sesArn('identity/example.com'));
  });

  test('the estimate is never short: what is kept exact fits at the longest partition and region', () => {
    // Names of 64 characters, the longest the API accepts, in an environment-agnostic stack.
    const named = (count: number) => {
      const stack = newStack({});
      for (let i = 0; i < count; i++) new ConfigurationSet(stack, `Set${i}`, { configurationSetName: `${String(i).padStart(3, '0')}${'x'.repeat(61)}` });
      return stack;
    };
    const manage = (stack: Stack) => policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')!.Resource;
    const longest: Deployment = {
      partition: 'aws-us-gov',
      region: 'ap-southeast-7',
      account: ACCOUNT,
      logGroupArn: `arn:aws-us-gov:logs:ap-southeast-7:${ACCOUNT}:log-group:${'x'.repeat(200)}:*`,
    };

    const isExact = (count: number) => asList(manage(named(count))).length === count;
    // The largest count still granted exactly, by bisection (1 is always exact, 200 never).
    let [exact, collapsed] = [1, 200];
    while (collapsed - exact > 1) {
      const middle = Math.floor((exact + collapsed) / 2);
      if (isExact(middle)) exact = middle; else collapsed = middle;
    }

    // What is kept fits at its longest, and one more ARN would not have (the estimate counts a log group name of 256
    // characters where this deployment has 200: it may be that much short of the limit).
    const size = deployedSize(named(exact), longest);
    const oneMoreArn = `"arn:aws-us-gov:ses:ap-southeast-7:${ACCOUNT}:configuration-set/${'x'.repeat(64)}",`.length;
    expect(size).toBeLessThanOrEqual(IAM_INLINE_LIMIT);
    expect(size + oneMoreArn + (256 - 200)).toBeGreaterThan(IAM_INLINE_LIMIT);
    expect(manage(named(exact + 1))).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':configuration-set/*']],
    });
  });

  test('an ARN that no pattern can cover fails synth with the limit named', () => {
    const stack = newStack();
    const provider = PinpointEmailProvider.of(stack);
    for (let i = 0; i < 200; i++) {
      provider.grant('Foreign', ['ses:GetEmailIdentity'], `arn:aws:ses:eu-west-1:210987654321:identity/sender-${i}@example-${i}.com`);
    }
    expect(() => Template.fromStack(stack)).toThrow(/over IAM's limit of 10240 characters for a role's inline policies/);
  });

  test('a name given as a parameter is counted at its longest', () => {
    const stack = newStack();
    for (let i = 0; i < 50; i++) {
      new ConfigurationSet(stack, `Set${i}`, { configurationSetName: new CfnParameter(stack, `Name${i}`).valueAsString });
    }
    // 50 parameters of up to 256 characters each could not fit: the type is granted as a pattern.
    expect(policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')?.Resource).toEqual(sesArn('configuration-set/*'));
  });
});
