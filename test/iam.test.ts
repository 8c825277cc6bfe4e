/**
 * The handler role's policy: exactly the operations the handler calls, on the ARNs of the stack's resources, the tag
 * condition, the grant on the resources the stack created by their ownership tag, `*` only where IAM has no
 * resource-level permissions, literal `*` and `?` of names escaped, and the size limit of a role's inline policies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Lazy, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { ownerMarker } from '../lambda/ownership';
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
import { Resolver } from './support/lifecycle-driver/template';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** IAM's limit for the inline policies of a role: characters, white space not counted. */
const IAM_INLINE_LIMIT = 10_240;
const NO_AWS_TAG_KEYS = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } };
const OWNER_KEY = 'aws:ResourceTag/cdk-pinpoint-email:owner';
/** `<stack uuid>:*` as the template builds it from AWS::StackId. */
const OWNER_PATTERN = {
  'Fn::Join': ['', [{ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }, ':*']],
};
/** The prefix of the generated names of the stack `Mail`: sha256("Mail") starts with 07ed6c. */
const PREFIX = 'Mail-07ed6c-';
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
  readonly stackId: string;
}

/** Partition aws, us-east-1, account 123456789012, and a log group name as CloudFormation generates it. */
const US_EAST_1: Deployment = {
  partition: 'aws',
  region: REGION,
  account: ACCOUNT,
  logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:Mail-PinpointEmailProviderLogsFEB6F21F-AbCdEfGh1234:*`,
  stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Mail/1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b`,
};

/**
 * `value` as IAM stores it once deployed: `Fn::Join`s of strings, `Fn::Select`s of `Fn::Split`s and pseudo parameters
 * resolved, the log group's ARN filled in.
 */
function deployed(value: Json, at: Deployment = US_EAST_1): Json {
  const pseudo: Record<string, string> = {
    'AWS::Partition': at.partition, 'AWS::Region': at.region, 'AWS::AccountId': at.account, 'AWS::StackId': at.stackId,
  };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => deployed(item, at));
  if (value['Fn::Select']) {
    const [index, list] = value['Fn::Select'];
    return deployed(list, at)[index];
  }
  if (value['Fn::Split']) {
    const [separator, text] = value['Fn::Split'];
    return (deployed(text, at) as string).split(separator);
  }
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * IAM's matching of a resource or `StringLike` pattern: `*` is any run of characters and `?` any one character, while
 * the escapes `${*}`, `${?}` and `${$}` are the characters themselves.
 */
function iamLike(pattern: string, value: string): boolean {
  const source = pattern.split(/(\$\{[*?$]\}|\*|\?)/).map((part, i) => {
    if (i % 2 === 0) return escapeRegExp(part);
    if (part === '*') return '.*';
    if (part === '?') return '.';
    return escapeRegExp(part[2]);
  }).join('');
  return new RegExp(`^${source}$`).test(value);
}

/** A request to the API as IAM evaluates it. */
interface Request {
  readonly action: string;
  readonly arn: string;
  /** The tag keys in the request (`aws:TagKeys`). */
  readonly tagKeys?: string[];
  /** The tags the resource already has (`aws:ResourceTag/<key>`). */
  readonly resourceTags?: Record<string, string>;
}

/**
 * Whether an identity policy of Allow statements allows a request: the action and the ARN match, and the condition
 * operators this policy uses hold (`ForAllValues:StringNotLike` on `aws:TagKeys`: every tag key of the request matches
 * none of the patterns, true without tag keys; `StringLike` on `aws:ResourceTag/<key>`: the resource has the tag and
 * its value matches).
 */
function allows(document: { Statement: PolicyStatement[] }, request: Request): boolean {
  return document.Statement.some((s) => {
    if (s.Effect !== 'Allow' || !asList(s.Action).includes(request.action)) return false;
    if (!asList(s.Resource).some((resource: string) => iamLike(resource, request.arn))) return false;
    for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
      for (const [key, value] of Object.entries(keys as Record<string, string | string[]>)) {
        const patterns = asList(value);
        if (operator === 'ForAllValues:StringNotLike' && key === 'aws:TagKeys') {
          if ((request.tagKeys ?? []).some((tagKey) => patterns.some((pattern) => iamLike(pattern, tagKey)))) return false;
        } else if (operator === 'StringLike' && key.startsWith('aws:ResourceTag/')) {
          const tag = request.resourceTags?.[key.slice('aws:ResourceTag/'.length)];
          if (tag === undefined || !patterns.some((pattern) => iamLike(pattern, tag))) return false;
        } else {
          throw new Error(`unexpected condition ${operator} on ${key}`);
        }
      }
    }
    return true;
  });
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
        {
          Sid: 'ManageResourcesOwnedByThisStack',
          Effect: 'Allow',
          Action: [
            'ses:DeleteConfigurationSet',
            'ses:PutConfigurationSetDeliveryOptions',
            'ses:PutConfigurationSetReputationOptions',
            'ses:PutConfigurationSetSendingOptions',
            'ses:PutConfigurationSetTrackingOptions',
            'ses:TagResource',
            'ses:UntagResource',
            'ses:ListTagsForResource',
            'ses:DeleteDedicatedIpPool',
            'ses:GetEmailIdentity',
            'ses:DeleteEmailIdentity',
            'ses:PutEmailIdentityDkimAttributes',
            'ses:PutEmailIdentityFeedbackAttributes',
            'ses:PutEmailIdentityMailFromAttributes',
          ],
          Resource: [sesArn('configuration-set/*'), sesArn('dedicated-ip-pool/*'), sesArn('identity/*')],
          Condition: { StringLike: { [OWNER_KEY]: OWNER_PATTERN }, ...NO_AWS_TAG_KEYS },
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

    expect(statement(stack, 'ManageConfigurationSets').Resource).toEqual(sesArn(`configuration-set/${PREFIX}*`));
    expect(statement(stack, 'ManageDedicatedIpPools').Resource).toEqual(sesArn(`dedicated-ip-pool/${PREFIX.toLowerCase()}*`));
    const names = Object.values(Template.fromStack(stack).findResources('Custom::PinpointEmailConfigurationSet'))
      .map((resource) => resource.Properties.ConfigurationSetName as string);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name.startsWith(PREFIX)).toBe(true);
  });

  test('the generated-name patterns of stacks "Mail" and "Mail-Prod" match none of each other\'s generated names', () => {
    const app = new App();
    const stacks = ['Mail', 'Mail-Prod'].map((name) => {
      const stack = new Stack(app, name, { env: { account: ACCOUNT, region: REGION } });
      new ConfigurationSet(stack, 'Set');
      new ConfigurationSet(stack, 'Prod');
      new DedicatedIpPool(stack, 'Pool');
      return stack;
    });
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(value);
    const of = (stack: Stack) => {
      const template = Template.fromStack(stack);
      const names = (type: string, property: string) => Object.values(template.findResources(type)).map((r) => `${r.Properties[property]}`);
      return {
        patterns: [statement(stack, 'ManageConfigurationSets').Resource, statement(stack, 'ManageDedicatedIpPools').Resource]
          .map((resource) => deployed(resource) as string),
        arns: [
          ...names('Custom::PinpointEmailConfigurationSet', 'ConfigurationSetName').map((n) => `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${n}`),
          ...names('Custom::PinpointEmailDedicatedIpPool', 'PoolName').map((n) => `arn:aws:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/${n}`),
        ],
      };
    };
    const [mail, prod] = stacks.map(of);

    expect(mail.patterns).toEqual([
      `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/Mail-07ed6c-*`,
      `arn:aws:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/mail-07ed6c-*`,
    ]);
    expect(prod.patterns).toEqual([
      `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/Mail-Prod-70b563-*`,
      `arn:aws:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/mail-prod-70b563-*`,
    ]);
    // Each stack's patterns cover its own names, and none of the other stack's; every name is valid for the API.
    for (const [own, other] of [[mail, prod], [prod, mail]]) {
      expect(own.arns).toHaveLength(3);
      for (const name of own.arns.map((a) => a.slice(a.indexOf('/') + 1))) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      for (const name of own.arns.filter((a) => a.includes(':dedicated-ip-pool/')).map((a) => a.slice(a.indexOf('/') + 1))) {
        expect(name).toMatch(/^[a-z0-9_-]{1,64}$/);
      }
      for (const arn of own.arns) expect(own.patterns.some((pattern) => like(pattern, arn))).toBe(true);
      for (const arn of other.arns) expect(own.patterns.some((pattern) => like(pattern, arn))).toBe(false);
    }
  });

  test('"*", "?" and "$" of a declared name are written as IAM\'s escapes: the ARN names that one identity, and nothing throws', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Address', { identity: Identity.email('a*b@example.com') });
    new EmailIdentity(stack, 'Dollar', { identity: Identity.email('pay$me@example.com') });
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'x?y@example.com', content: CONTENT });
    // A name only known when the stack is synthesized is escaped too.
    new DeliverabilityTest(stack, 'Lazy', { fromEmailAddress: Lazy.string({ produce: () => 'l*z@example.net' }), content: CONTENT });

    expect(statement(stack, 'ManageEmailIdentities').Resource).toEqual([
      sesArn('identity/a${*}b@example.com'),
      sesArn('identity/pay${$}me@example.com'),
    ]);
    expect(statement(stack, 'CreateDeliverabilityTests').Resource).toEqual([
      sesArn('identity/x${?}y@example.com'),
      sesArn('identity/example.com'),
      sesArn('identity/l${*}z@example.net'),
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:${REGION}:${ACCOUNT}:identity/`, { 'Fn::Select': [1, { 'Fn::Split': ['@', 'l*z@example.net'] }] }]] },
    ]);
    const document = deployed(policyDocument(stack));
    const identity = (name: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${name}`;
    expect(allows(document, { action: 'ses:DeleteEmailIdentity', arn: identity('a*b@example.com') })).toBe(true);
    expect(allows(document, { action: 'ses:DeleteEmailIdentity', arn: identity('ab@example.com') })).toBe(false);
    expect(allows(document, { action: 'ses:DeleteEmailIdentity', arn: identity('a-anyone-b@example.com') })).toBe(false);
    expect(allows(document, { action: 'ses:DeleteEmailIdentity', arn: identity('pay$me@example.com') })).toBe(true);
    expect(allows(document, { action: 'ses:CreateDeliverabilityTestReport', arn: identity('x?y@example.com') })).toBe(true);
    expect(allows(document, { action: 'ses:CreateDeliverabilityTestReport', arn: identity('xzy@example.com') })).toBe(false);
  });

  test('a sender built from an identity with "*" in its name is escaped too, and the address sent is the name itself', () => {
    const stack = newStack();
    const address = new EmailIdentity(stack, 'Address', { identity: Identity.email('a*b@example.com') });
    new DeliverabilityTest(stack, 'Test', { fromIdentity: address, content: CONTENT });

    expect(statement(stack, 'CreateDeliverabilityTests').Resource).toEqual([
      sesArn('identity/a${*}b@example.com'),
      sesArn('identity/example.com'),
    ]);
    Template.fromStack(stack).hasResourceProperties('Custom::PinpointEmailDeliverabilityTest', { FromEmailAddress: 'a*b@example.com' });
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
  const set = 'arn:aws:ses:us-east-1:123456789012:configuration-set/transactional';
  const identity = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';
  const report = 'arn:aws:ses:us-east-1:123456789012:deliverability-test-report/1a2b3c';

  test('is on exactly the statements that grant TagResource or UntagResource', () => {
    for (const statement of policyDocument(oneOfEach()).Statement) {
      const tags = asList(statement.Action).some((action) => action === 'ses:TagResource' || action === 'ses:UntagResource');
      const owned = statement.Sid === 'ManageResourcesOwnedByThisStack' ? { StringLike: { [OWNER_KEY]: OWNER_PATTERN } } : undefined;
      expect(statement.Condition).toEqual(tags ? { ...owned, ...NO_AWS_TAG_KEYS } : owned);
    }
  });

  test('lets a create with tags through (Create and TagResource, with the request\'s tag keys)', () => {
    const document = deployed(policyDocument(oneOfEach()));
    const tagKeys = ['team', 'cost-center'];

    expect(allows(document, { action: 'ses:CreateConfigurationSet', arn: set, tagKeys })).toBe(true);
    expect(allows(document, { action: 'ses:TagResource', arn: set, tagKeys })).toBe(true);
    expect(allows(document, { action: 'ses:CreateEmailIdentity', arn: identity, tagKeys })).toBe(true);
    expect(allows(document, { action: 'ses:TagResource', arn: identity, tagKeys })).toBe(true);
    expect(allows(document, { action: 'ses:TagResource', arn: report, tagKeys })).toBe(true);
    expect(allows(document, { action: 'ses:UntagResource', arn: report, tagKeys: ['team'] })).toBe(true);
  });

  test('lets calls without tags through, and refuses aws: keys, other resources and other actions', () => {
    const document = deployed(policyDocument(oneOfEach()));

    expect(allows(document, { action: 'ses:DeleteConfigurationSet', arn: set })).toBe(true);
    expect(allows(document, { action: 'ses:ListTagsForResource', arn: set })).toBe(true);
    expect(allows(document, { action: 'ses:GetEmailIdentity', arn: identity })).toBe(true);
    expect(allows(document, { action: 'ses:TagResource', arn: set, tagKeys: ['team', 'aws:cloudformation:stack-name'] })).toBe(false);
    expect(allows(document, { action: 'ses:UntagResource', arn: identity, tagKeys: ['aws:createdBy'] })).toBe(false);
    expect(allows(document, { action: 'ses:DeleteConfigurationSet', arn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/other' })).toBe(false);
    expect(allows(document, { action: 'ses:DeleteEmailIdentity', arn: 'arn:aws:ses:us-east-1:123456789012:identity/other.com' })).toBe(false);
    expect(allows(document, { action: 'ses:SendEmail', arn: identity })).toBe(false);
  });
});

describe('the grant by ownership tag (resources this stack created, once their ARNs have left the policy)', () => {
  const arn = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;
  const ownedBy = (stackId: string, logicalId: string) => ({ 'cdk-pinpoint-email:owner': ownerMarker(stackId, logicalId) });
  const OTHER_STACK_ID = US_EAST_1.stackId.replace('1a2b3c4d', '9f8e7d6c');

  function ownedStatement(stack: Stack): PolicyStatement | undefined {
    return policyDocument(stack).Statement.find((s) => s.Sid === 'ManageResourcesOwnedByThisStack');
  }

  test('the condition value, resolved as CloudFormation resolves it, is the stack part of the markers lambda/ownership.ts writes', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    const template = Template.fromStack(stack).toJSON();
    const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b';
    const resolver = new Resolver({
      template,
      pseudo: { accountId: ACCOUNT, region: REGION, partition: 'aws', urlSuffix: 'amazonaws.com', stackName: 'S', stackId },
      parameterValues: {},
      resource: () => undefined,
    });

    const value = resolver.resolve(ownedStatement(stack)!.Condition.StringLike[OWNER_KEY]);
    expect(value).toBe('1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b:*');
    const marker = ownerMarker(stackId, 'SetA1B2C3D4');
    expect(marker.startsWith((value as string).slice(0, -1))).toBe(true);
    expect(iamLike(value as string, marker)).toBe(true);
    expect(iamLike(value as string, ownerMarker(stackId.replace('1a2b3c4d', '9f8e7d6c'), 'SetA1B2C3D4'))).toBe(false);
  });

  test('after an update removed them: deletes, puts and tag calls on what this stack created, nothing on anyone else\'s', () => {
    // The stack after the update: one of each kind is left, those the update removed are no longer named.
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'kept-pool' });
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'kept-set', dedicatedIpPool: pool });
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('kept.example.com') });
    const document = deployed(policyDocument(stack));
    const ours = ownedBy(US_EAST_1.stackId, 'RemovedA1B2C3D4');
    const theirs = ownedBy(OTHER_STACK_ID, 'RemovedA1B2C3D4');
    const removed = [
      { action: 'ses:DeleteConfigurationSet', arn: arn('configuration-set/removed-set') },
      { action: 'ses:PutConfigurationSetSendingOptions', arn: arn('configuration-set/removed-set') },
      { action: 'ses:DeleteDedicatedIpPool', arn: arn('dedicated-ip-pool/removed-pool') },
      { action: 'ses:DeleteEmailIdentity', arn: arn('identity/removed.example.com') },
      { action: 'ses:GetEmailIdentity', arn: arn('identity/removed.example.com') },
      { action: 'ses:ListTagsForResource', arn: arn('configuration-set/removed-set') },
      // The rollback of a set to the pool the update removed.
      { action: 'ses:PutConfigurationSetDeliveryOptions', arn: arn('dedicated-ip-pool/removed-pool') },
    ];

    for (const request of removed) {
      expect([request.action, allows(document, { ...request, resourceTags: ours })]).toEqual([request.action, true]);
      expect([request.action, allows(document, { ...request, resourceTags: theirs })]).toEqual([request.action, false]);
      expect([request.action, allows(document, { ...request, resourceTags: { team: 'mail' } })]).toEqual([request.action, false]);
      expect([request.action, allows(document, request)]).toEqual([request.action, false]);
    }
    // Never a create, never another account or region, and still no aws: tag keys.
    expect(allows(document, { action: 'ses:CreateConfigurationSet', arn: arn('configuration-set/removed-set'), resourceTags: ours })).toBe(false);
    expect(allows(document, { action: 'ses:DeleteConfigurationSet', arn: 'arn:aws:ses:eu-west-1:123456789012:configuration-set/removed-set', resourceTags: ours })).toBe(false);
    expect(allows(document, { action: 'ses:TagResource', arn: arn('configuration-set/removed-set'), resourceTags: ours, tagKeys: ['aws:x'] })).toBe(false);
    expect(allows(document, { action: 'ses:TagResource', arn: arn('configuration-set/removed-set'), resourceTags: ours, tagKeys: ['team'] })).toBe(true);
  });

  test('grants the actions of each kind but the creates, on the types the stack uses only', () => {
    const setOnly = newStack();
    new ConfigurationSet(setOnly, 'Set');
    expect(ownedStatement(setOnly)).toEqual({
      Sid: 'ManageResourcesOwnedByThisStack',
      Effect: 'Allow',
      Action: [
        'ses:DeleteConfigurationSet',
        'ses:PutConfigurationSetDeliveryOptions',
        'ses:PutConfigurationSetReputationOptions',
        'ses:PutConfigurationSetSendingOptions',
        'ses:PutConfigurationSetTrackingOptions',
        'ses:TagResource',
        'ses:UntagResource',
        'ses:ListTagsForResource',
      ],
      Resource: sesArn('configuration-set/*'),
      Condition: { StringLike: { [OWNER_KEY]: OWNER_PATTERN }, ...NO_AWS_TAG_KEYS },
    });

    const identityOnly = newStack();
    new EmailIdentity(identityOnly, 'Domain', { identity: Identity.domain('example.com') });
    expect(ownedStatement(identityOnly)?.Resource).toEqual(sesArn('identity/*'));

    // A set sending through an imported pool: the pool pattern, for PutConfigurationSetDeliveryOptions only.
    const importedPool = newStack();
    new ConfigurationSet(importedPool, 'Set', { dedicatedIpPool: DedicatedIpPool.fromDedicatedIpPoolName(importedPool, 'Pool', 'marketing') });
    expect(ownedStatement(importedPool)?.Resource).toEqual([sesArn('configuration-set/*'), sesArn('dedicated-ip-pool/*')]);
    expect(asList(ownedStatement(importedPool)!.Action)).not.toContain('ses:DeleteDedicatedIpPool');

    const dashboardOnly = newStack();
    new DeliverabilityDashboard(dashboardOnly, 'Dashboard');
    new DeliverabilityTest(dashboardOnly, 'Test', { fromEmailAddress: 'test@example.com', content: CONTENT });
    expect(ownedStatement(dashboardOnly)).toBeUndefined();

    for (const stack of [setOnly, identityOnly, importedPool, oneOfEach()]) {
      expect(asList(ownedStatement(stack)!.Action).filter((action) => action.startsWith('ses:Create'))).toEqual([]);
    }
  });

  test('the provider refuses a create by ownership tag', () => {
    const stack = newStack();
    expect(() => PinpointEmailProvider.of(stack).grantOwned('configuration-set', ['ses:CreateConfigurationSet']))
      .toThrow('ses:CreateConfigurationSet cannot be granted by ownership tag: the resource does not exist yet');
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

    // About 800 characters for the logs and the pattern, 500 for the grant by ownership tag.
    const size = deployedSize(stack);
    expect(size).toBeLessThan(1_500);
    expect(policyDocument(stack).Statement.find((s) => s.Sid === 'ManageConfigurationSets')?.Resource).toEqual(sesArn(`configuration-set/${PREFIX}*`));
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
    expect(deployedSize(stack)).toBeLessThan(1_500);
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
      stackId: `arn:aws-us-gov:cloudformation:ap-southeast-7:${ACCOUNT}:stack/${'x'.repeat(128)}/1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b`,
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
