/**
 * The handler role's policies, one `AWS::IAM::Policy` per grant group (src/private/handler-policy.ts): exactly the
 * operations the handler calls, on the ARNs of the stack's resources, each custom resource depending on its group's
 * policy, the tag condition, the grant on the resources the stack created by their ownership tag, `*` only where IAM
 * has no resource-level permissions, literal `*`, `?` and `$` of names escaped, and the size limit of a role's inline
 * policies (over all of them).
 *
 * What the handler may do is decided by the local service's IAM simulator (`@cloud-copilot/iam-simulate` with the
 * Service Authorization data), on requests built as the local service builds them: test/support/policy-simulation.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, CfnParameter, Lazy, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import * as ts from 'typescript';
import { ownerMarker } from '../lambda/ownership';
import {
  ConfigurationSet,
  DedicatedIpPool,
  DeliverabilityDashboard,
  DeliverabilityTest,
  DkimIdentity,
  EmailAccountSettings,
  EmailApi,
  EmailApiVersion,
  EmailIdentity,
  EventDestination,
  Identity,
  TestContent,
} from '../src';
import { AccountState, RolePolicy } from './support/local-service';
import { decide, Deployment, deployedSize, rolePolicies, stackPolicies, StackPolicy, US_EAST_1, withSplitListsRead } from './support/policy-simulation';
import { SESV2_ONLY_OPERATIONS } from '../lambda/email-api';
import { OWNER_TAG_KEY, ResourceTypes } from '../src/private/contract';
import { eventDestinationsGroup, HandlerPolicy, IAM_INLINE_POLICY_LIMIT, POLICY_GROUPS, PolicyGroup } from '../src/private/handler-policy';
import { PinpointEmailProvider } from '../src/private/provider';

const ACCOUNT = US_EAST_1.account;
const REGION = US_EAST_1.region;
const NO_AWS_TAG_KEYS = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } };
const OWNER_KEY = `aws:ResourceTag/${OWNER_TAG_KEY}`;
/** `<stack uuid>:*` as the template builds it from AWS::StackId. */
const OWNER_PATTERN = {
  'Fn::Join': ['', [{ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }, ':*']],
};
/** What OWNER_PATTERN is once deployed at US_EAST_1. */
const DEPLOYED_OWNER_PATTERN = '1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b:*';
const OTHER_STACK_ID = US_EAST_1.stackId.replace('1a2b3c4d', '9f8e7d6c');
/** The prefix of the generated names of the stack `Mail`: sha256("Mail") starts with 07ed6c. */
const PREFIX = 'Mail-07ed6c-';
const CONTENT = TestContent.simple({ subject: 'Hello', text: 'Hi there' });
const CONTENT_INPUT = { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi there' } } } };

/** The PolicyName of the policy of one configuration set's event destinations starts with this, then the set's name. */
const EVENT_DESTINATIONS_POLICY = 'PinpointEmailEventDestinationsOf-';
const APP_ARN = 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-key-AbCdEf';
/** The PolicyName of each group's policy, and the id of its construct under PinpointEmailProvider/Policy. */
const POLICY_NAME: Record<PolicyGroup, string> = {
  'handler': 'PinpointEmailHandlerOwn',
  'configuration-set': 'PinpointEmailConfigurationSet',
  'dedicated-ip-pool': 'PinpointEmailDedicatedIpPool',
  'email-identity': 'PinpointEmailEmailIdentity',
  'deliverability-test': 'PinpointEmailDeliverabilityTest',
  'deliverability-dashboard': 'PinpointEmailDeliverabilityDashboard',
  'dedicated-ip': 'PinpointEmailDedicatedIp',
  'account-settings': 'PinpointEmailAccountSettings',
  'configuration-set-event-destination': 'PinpointEmailConfigurationSetEventDestination',
};
/** The construct id of each group's `AWS::IAM::Policy` (the handler's own policy is inline in the role). */
const POLICY_CONSTRUCT_ID: Record<Exclude<PolicyGroup, 'handler'>, string> = {
  'configuration-set': 'ConfigurationSet',
  'dedicated-ip-pool': 'DedicatedIpPool',
  'email-identity': 'EmailIdentity',
  'deliverability-test': 'DeliverabilityTest',
  'deliverability-dashboard': 'DeliverabilityDashboard',
  'dedicated-ip': 'DedicatedIp',
  'account-settings': 'AccountSettings',
  'configuration-set-event-destination': 'ConfigurationSetEventDestination',
};
/** The group whose policy the custom resources of each type depend on. */
const GROUP_OF_TYPE: Record<string, keyof typeof POLICY_CONSTRUCT_ID> = {
  [ResourceTypes.CONFIGURATION_SET]: 'configuration-set',
  [ResourceTypes.DEDICATED_IP_POOL]: 'dedicated-ip-pool',
  [ResourceTypes.EMAIL_IDENTITY]: 'email-identity',
  [ResourceTypes.IDENTITY_VERIFICATION]: 'email-identity',
  [ResourceTypes.DELIVERABILITY_TEST]: 'deliverability-test',
  [ResourceTypes.DELIVERABILITY_DASHBOARD]: 'deliverability-dashboard',
  [ResourceTypes.DEDICATED_IP]: 'dedicated-ip',
  [ResourceTypes.ACCOUNT_SETTINGS]: 'account-settings',
  [ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION]: 'configuration-set-event-destination',
};

type Json = any;

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Condition?: Json;
}

interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** The actions of the operations that only SES v2 has: granted on SES v2 stacks only. */
const SES_V2_ONLY_ACTIONS = SESV2_ONLY_OPERATIONS.map((operation) => `ses:${operation}`);

/** The context of a stack on the SES API v2. */
const SES_V2 = { [EmailApi.CONTEXT_KEY]: 'sesv2' };

/** CDK refuses more than 500 resources in a stack (CloudFormation's limit); the size tests go past it. */
const NO_RESOURCE_LIMIT = { '@aws-cdk/core:stackResourceLimit': 0 };

function newStack(props: StackProps = { env: { account: ACCOUNT, region: REGION } }, context: Record<string, unknown> = {}): Stack {
  return new Stack(new App({ context: { ...NO_RESOURCE_LIMIT, ...context } }), 'Mail', props);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function groupOfName(name: string): PolicyGroup {
  if (name.startsWith(EVENT_DESTINATIONS_POLICY)) return eventDestinationsGroup(name.slice(EVENT_DESTINATIONS_POLICY.length));
  const group = POLICY_GROUPS.find((g) => POLICY_NAME[g] === name);
  if (!group) throw new Error(`not a policy of the handler: ${name}`);
  return group;
}

/** The synthesized document of each group's policy that the stack has (intrinsic functions unresolved, split lists read). */
function documents(stack: Stack): Partial<Record<PolicyGroup, PolicyDocument>> {
  const byGroup: Partial<Record<PolicyGroup, PolicyDocument>> = {};
  for (const policy of stackPolicies(stack)) {
    const group = groupOfName(policy.name);
    expect(byGroup[group]).toBeUndefined();
    byGroup[group] = withSplitListsRead(policy.document);
  }
  return byGroup;
}

function groupsOf(stack: Stack): PolicyGroup[] {
  return POLICY_GROUPS.filter((group) => documents(stack)[group] !== undefined);
}

/** The statements of every policy of the stack, each with its group. */
function allStatements(stack: Stack): Array<PolicyStatement & { group: PolicyGroup }> {
  return Object.entries(documents(stack)).flatMap(([group, document]) =>
    document!.Statement.map((s) => ({ ...s, group: group as PolicyGroup })));
}

function statement(stack: Stack, group: PolicyGroup, sid: string): PolicyStatement {
  const found = documents(stack)[group]?.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in the ${group} policy`);
  return found;
}

/** The deployed policies of the stack (all of them, or those of `groups`) as the role's identity policies. */
function deployedPolicies(stack: Stack, groups?: PolicyGroup[], at: Deployment = US_EAST_1): RolePolicy[] {
  const policies = stackPolicies(stack, at).filter((p) => groups === undefined || groups.includes(groupOfName(p.name)));
  return rolePolicies(policies);
}

/**
 * `arn:<partition>:ses:us-east-1:123456789012:<resource>` as the template renders it: one `Fn::Sub`, where IAM's escape
 * `${*}` of `resource` is written `${!*}`.
 */
function sesArn(resource: string): Json {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:${resource.replace(/\$\{/g, '${!')}` };
}

/** The account and region of US_EAST_1 as the local service holds them (empty unless seeded). */
function account(): AccountState {
  return new AccountState(ACCOUNT, REGION);
}

/** The ownership tag of a resource created by the stack `stackId` (this one by default) for the resource `logicalId`. */
function ownerTag(logicalId: string, stackId = US_EAST_1.stackId): Record<string, string> {
  return { [OWNER_TAG_KEY]: ownerMarker(stackId, logicalId) };
}

/** Tags as the API takes them. */
function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * A stack with one of each construct: a configuration set sending through a pool, with an event destination; two
 * identities, a test, the dashboard.
 */
function oneOfEach(context: Record<string, unknown> = {}): Stack {
  const stack = newStack(undefined, context);
  const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing', dedicatedIps: ['192.0.2.10'] });
  new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional', dedicatedIpPool: pool })
    .addEventDestination('Events', { destination: EventDestination.pinpointApplication(APP_ARN), configurationSetEventDestinationName: 'events' });
  const domain = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
  new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.org') });
  new DeliverabilityTest(stack, 'Test', { fromIdentity: domain, fromLocalPart: 'test', content: CONTENT });
  new DeliverabilityDashboard(stack, 'Dashboard');
  new EmailAccountSettings(stack, 'Account', { sendingEnabled: true });
  return stack;
}

/** The statement that grants by ownership tag, of a group whose `types` are these resource ARN types. */
function ownedStatement(actions: string[], types: string[]): PolicyStatement {
  return {
    Sid: 'ManageResourcesOwnedByThisStack',
    Effect: 'Allow',
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: types.length === 1 ? sesArn(`${types[0]}/*`) : types.map((type) => sesArn(`${type}/*`)),
    Condition: {
      StringLike: { [OWNER_KEY]: OWNER_PATTERN },
      ...(actions.some((a) => a === 'ses:TagResource' || a === 'ses:UntagResource') ? NO_AWS_TAG_KEYS : {}),
    },
  };
}

const CONFIGURATION_SET_ACTIONS = [
  'ses:CreateConfigurationSet',
  'ses:DeleteConfigurationSet',
  'ses:PutConfigurationSetDeliveryOptions',
  'ses:PutConfigurationSetReputationOptions',
  'ses:PutConfigurationSetSendingOptions',
  'ses:PutConfigurationSetTrackingOptions',
  'ses:TagResource',
  'ses:UntagResource',
  'ses:ListTagsForResource',
];
const DEDICATED_IP_POOL_ACTIONS = ['ses:CreateDedicatedIpPool', 'ses:DeleteDedicatedIpPool', 'ses:TagResource', 'ses:UntagResource', 'ses:ListTagsForResource'];
const EMAIL_IDENTITY_ACTIONS = [
  'ses:GetEmailIdentity',
  'ses:CreateEmailIdentity',
  'ses:DeleteEmailIdentity',
  'ses:PutEmailIdentityDkimAttributes',
  'ses:PutEmailIdentityFeedbackAttributes',
  'ses:PutEmailIdentityMailFromAttributes',
  'ses:TagResource',
  'ses:UntagResource',
];
const REPORT_TAG_ACTIONS = ['ses:TagResource', 'ses:UntagResource', 'ses:ListTagsForResource'];
const EVENT_DESTINATION_ACTIONS = [
  'ses:CreateConfigurationSetEventDestination',
  'ses:UpdateConfigurationSetEventDestination',
  'ses:DeleteConfigurationSetEventDestination',
  'ses:GetConfigurationSetEventDestinations',
  'ses:ListTagsForResource',
];
const withoutCreates = (actions: string[]) => actions.filter((action) => !action.startsWith('ses:Create'));

describe('the policies of a stack with one of each construct', () => {
  test('are exactly these documents, one per grant group', () => {
    expect(documents(oneOfEach())).toEqual({
      'handler': {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'WriteLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': ['PinpointEmailProviderLogsFEB6F21F', 'Arn'] },
        }, {
          Sid: 'ReadOwnStackStatus',
          Effect: 'Allow',
          Action: 'cloudformation:DescribeStacks',
          Resource: { Ref: 'AWS::StackId' },
        }],
      },
      'dedicated-ip-pool': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ManageDedicatedIpPools',
            Effect: 'Allow',
            Action: DEDICATED_IP_POOL_ACTIONS,
            Resource: sesArn('dedicated-ip-pool/marketing'),
            Condition: NO_AWS_TAG_KEYS,
          },
          ownedStatement(withoutCreates(DEDICATED_IP_POOL_ACTIONS), ['dedicated-ip-pool']),
        ],
      },
      'configuration-set': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ManageConfigurationSets',
            Effect: 'Allow',
            Action: CONFIGURATION_SET_ACTIONS,
            Resource: sesArn('configuration-set/transactional'),
            Condition: NO_AWS_TAG_KEYS,
          },
          {
            Sid: 'SendThroughDedicatedIpPools',
            Effect: 'Allow',
            Action: ['ses:CreateConfigurationSet', 'ses:PutConfigurationSetDeliveryOptions'],
            Resource: sesArn('dedicated-ip-pool/marketing'),
          },
          // PutConfigurationSetDeliveryOptions on the pools is among the configuration set's actions already.
          ownedStatement(withoutCreates(CONFIGURATION_SET_ACTIONS), ['configuration-set', 'dedicated-ip-pool']),
        ],
      },
      'email-identity': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ManageEmailIdentities',
            Effect: 'Allow',
            Action: EMAIL_IDENTITY_ACTIONS,
            Resource: [sesArn('identity/example.com'), sesArn('identity/sender@example.org')],
            Condition: NO_AWS_TAG_KEYS,
          },
          ownedStatement(withoutCreates(EMAIL_IDENTITY_ACTIONS), ['identity']),
        ],
      },
      'deliverability-test': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CreateDeliverabilityTests',
            Effect: 'Allow',
            Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
            Resource: [sesArn('identity/example.com'), sesArn('identity/test@example.com')],
          },
          {
            Sid: 'TagNewDeliverabilityTestReports',
            Effect: 'Allow',
            Action: 'ses:TagResource',
            Resource: sesArn('deliverability-test-report/*'),
            Condition: {
              StringLike: { [`aws:RequestTag/${OWNER_TAG_KEY}`]: OWNER_PATTERN },
              Null: { [OWNER_KEY]: 'true' },
              ...NO_AWS_TAG_KEYS,
            },
          },
          {
            Sid: 'AccountLevelOperations',
            Effect: 'Allow',
            Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:ListDeliverabilityTestReports'],
            Resource: '*',
          },
          ownedStatement(REPORT_TAG_ACTIONS, ['deliverability-test-report']),
        ],
      },
      'deliverability-dashboard': {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'AccountLevelOperations',
          Effect: 'Allow',
          Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:PutDeliverabilityDashboardOption'],
          Resource: '*',
        }],
      },
      'dedicated-ip': {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountLevelOperations',
            Effect: 'Allow',
            Action: ['ses:GetDedicatedIp', 'ses:PutDedicatedIpWarmupAttributes'],
            Resource: '*',
          },
          {
            Sid: 'MoveDedicatedIpsBetweenPools',
            Effect: 'Allow',
            Action: 'ses:PutDedicatedIpInPool',
            Resource: sesArn('dedicated-ip-pool/*'),
          },
        ],
      },
      'account-settings': {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'AccountLevelOperations',
          Effect: 'Allow',
          Action: ['ses:GetAccount', 'ses:PutAccountSendingAttributes', 'ses:PutAccountDedicatedIpWarmupAttributes'],
          Resource: '*',
        }],
      },
      // The destinations of the set "transactional": their actions on its ARN only.
      'event-destinations-of:transactional': {
        Version: '2012-10-17',
        Statement: [{ Sid: 'ManageEventDestinations', Effect: 'Allow', Action: EVENT_DESTINATION_ACTIONS, Resource: sesArn('configuration-set/transactional') }],
      },
      // All but the create on the sets this stack created, for the rollback of a destination moved between them.
      'configuration-set-event-destination': {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadOwnStackResources', Effect: 'Allow', Action: 'cloudformation:ListStackResources', Resource: { Ref: 'AWS::StackId' } },
          ownedStatement(withoutCreates(EVENT_DESTINATION_ACTIONS), ['configuration-set']),
        ],
      },
    });
  });

  test('are the role\'s only policies: the handler\'s own inline in the role, every other one on the role, no managed policy', () => {
    const template = Template.fromStack(oneOfEach());
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const { handler, ...others } = POLICY_NAME;

    expect(policies.map((p) => p.Properties.PolicyName).sort()).toEqual([...Object.values(others), `${EVENT_DESTINATIONS_POLICY}transactional`].sort());
    for (const policy of policies) expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent(), Policies: [Match.objectLike({ PolicyName: handler })] });
  });

  test('each custom resource depends on its group\'s policy and no other, the handler on none (its own is in its role)', () => {
    const stack = oneOfEach();
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; DependsOn?: string | string[] }>;
    const policyNode = stack.node.findChild('PinpointEmailProvider').node.findChild('Policy');
    const groups = Object.keys(POLICY_CONSTRUCT_ID) as Array<keyof typeof POLICY_CONSTRUCT_ID>;
    const policyIds = Object.fromEntries(groups.map((group) =>
      [group, stack.getLogicalId(policyNode.node.findChild(POLICY_CONSTRUCT_ID[group]) as CfnElement)])) as Record<typeof groups[number], string>;
    const perSetPolicy = stack.getLogicalId(policyNode.node.findChild('EventDestinationsOf-transactional') as CfnElement);
    const allPolicies = [...Object.values(policyIds), perSetPolicy];
    const policyDependencies = (id: string) => asList(resources[id].DependsOn ?? []).filter((d) => allPolicies.includes(d));

    // The policies are PinpointEmailProvider/Policy/<Group>.
    for (const group of groups) expect(resources[policyIds[group]]?.Type).toBe('AWS::IAM::Policy');
    const custom = Object.keys(resources).filter((id) => resources[id].Type.startsWith('Custom::'));
    expect(custom.map((id) => resources[id].Type).sort()).toEqual([
      ResourceTypes.CONFIGURATION_SET, ResourceTypes.DEDICATED_IP_POOL, ResourceTypes.DELIVERABILITY_DASHBOARD,
      ResourceTypes.DELIVERABILITY_TEST, ResourceTypes.EMAIL_IDENTITY, ResourceTypes.EMAIL_IDENTITY, ResourceTypes.DEDICATED_IP,
      ResourceTypes.ACCOUNT_SETTINGS,
      // The test sends from an identity of the stack, so it waits for its verification: four steps of 8 minutes.
      ...Array(4).fill(ResourceTypes.IDENTITY_VERIFICATION),
      ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION,
    ].sort());
    // An event destination also depends on the policy of its set's destinations.
    const extra = (type: string) => type === ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION ? [perSetPolicy] : [];
    for (const id of custom) {
      expect([id, policyDependencies(id).sort()]).toEqual([id, [policyIds[GROUP_OF_TYPE[resources[id].Type]], ...extra(resources[id].Type)].sort()]);
    }
    const [lambda] = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Lambda::Function');
    expect(policyDependencies(lambda)).toEqual([]);
    expect(resources[lambda].DependsOn).toBeUndefined();
    // Nothing else waits for a policy, and no policy waits for anything.
    for (const id of Object.keys(resources).filter((i) => !custom.includes(i) && i !== lambda)) {
      expect([id, policyDependencies(id)]).toEqual([id, []]);
    }
    for (const id of allPolicies) expect(resources[id].DependsOn).toBeUndefined();
  });

  test.each<[string, (stack: Stack) => void, PolicyGroup[]]>([
    ['a configuration set', (stack) => new ConfigurationSet(stack, 'Set'), ['handler', 'configuration-set']],
    ['a configuration set with an imported pool', (stack) => new ConfigurationSet(stack, 'Set', {
      dedicatedIpPool: DedicatedIpPool.fromDedicatedIpPoolName(stack, 'Pool', 'marketing'),
    }), ['handler', 'configuration-set']],
    ['a dedicated IP pool', (stack) => new DedicatedIpPool(stack, 'Pool'), ['handler', 'dedicated-ip-pool']],
    ['an email identity', (stack) => new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') }), ['handler', 'email-identity']],
    ['a deliverability test', (stack) => new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: CONTENT }),
      ['handler', 'deliverability-test']],
    ['the deliverability dashboard', (stack) => new DeliverabilityDashboard(stack, 'Dashboard'), ['handler', 'deliverability-dashboard']],
    ['a pool with a dedicated IP', (stack) => new DedicatedIpPool(stack, 'Pool', { dedicatedIps: ['192.0.2.10'] }),
      ['handler', 'dedicated-ip-pool', 'dedicated-ip']],
    ['the account settings', (stack) => new EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: false }), ['handler', 'account-settings']],
  ])('a stack with only %s has the handler\'s policy and that group\'s', (_name, declare, groups) => {
    const stack = newStack();
    declare(stack);
    expect(groupsOf(stack)).toEqual(groups);
  });

  test('are the same when CDK minimizes policies (its statement merging does not apply)', () => {
    expect(documents(oneOfEach({ '@aws-cdk/aws-iam:minimizePolicies': true }))).toEqual(documents(oneOfEach()));
  });
});

describe('the actions are the operations the handler calls', () => {
  const LAMBDA = path.join(__dirname, '..', 'lambda');

  function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  }

  /** `ses:<Operation>` for each `<api>.call('<Operation>', ...)` under `node` (the port of lambda/email-api.ts). */
  function commandsUnder(node: ts.Node): string[] {
    const found: string[] = [];
    const visit = (child: ts.Node): void => {
      if (ts.isCallExpression(child) && ts.isPropertyAccessExpression(child.expression) && child.expression.name.text === 'call'
        && child.arguments.length > 0 && ts.isStringLiteral(child.arguments[0])) {
        found.push(`ses:${child.arguments[0].text}`);
      }
      ts.forEachChild(child, visit);
    };
    visit(node);
    return found;
  }

  /** The top-level functions of a module by name. */
  function functionsOf(source: ts.SourceFile): Map<string, ts.Node> {
    const functions = new Map<string, ts.Node>();
    for (const s of source.statements) {
      if (ts.isFunctionDeclaration(s) && s.name) functions.set(s.name.text, s);
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
   * The operations a handler module calls: its own `api.call('X', ...)`, and those of the functions it imports from the
   * other modules of lambda/ (reconcileTags from tags.ts, createdByThisResource from ownership.ts...).
   */
  function operationsCalledBy(file: string): string[] {
    const source = parse(file);
    const operations = commandsUnder(source);
    for (const s of source.statements) {
      if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
      const specifier = s.moduleSpecifier.text;
      if (!specifier.startsWith('.')) continue;
      const helperFile = path.join(path.dirname(file), `${specifier}.ts`);
      if (!fs.existsSync(helperFile) || !helperFile.startsWith(LAMBDA)) continue;
      const helper = parse(helperFile);
      const bindings = s.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) operations.push(...operationsOfFunction(helper, (element.propertyName ?? element.name).text));
    }
    return [...new Set(operations)].sort();
  }

  function sesActionsOf(statements: PolicyStatement[]): string[] {
    const actions = statements.flatMap((s) => asList(s.Action));
    return [...new Set(actions.filter((action) => action.startsWith('ses:')))].sort();
  }

  /** One API call the handler makes, as it makes it; `existing`: on the resource once it exists (else before). */
  interface Call { readonly operation: string; readonly input: Record<string, unknown>; readonly existing?: boolean }

  interface Kind {
    readonly file: string;
    readonly group: PolicyGroup;
    readonly declare: (stack: Stack) => void;
    /** The account before the create (what the resource needs), and after it (the resource, with its ownership tag). */
    readonly before: (state: AccountState) => void;
    readonly after: (state: AccountState) => void;
    readonly calls: Call[];
  }

  const SET_ARN = `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/transactional`;
  const POOL_ARN = `arn:aws:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/marketing`;
  const IDENTITY_ARN = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`;
  const REPORT_ID = 'own-report';
  const PINPOINT = { Enabled: true, MatchingEventTypes: ['BOUNCE'], PinpointDestination: { ApplicationArn: APP_ARN } };
  const REPORT_ARN = `arn:aws:ses:${REGION}:${ACCOUNT}:deliverability-test-report/${REPORT_ID}`;
  const tagCalls = (arn: string, listTags: boolean): Call[] => [
    { operation: 'TagResource', input: { ResourceArn: arn, Tags: [{ Key: 'team', Value: 'mail' }] }, existing: true },
    { operation: 'UntagResource', input: { ResourceArn: arn, TagKeys: ['team'] }, existing: true },
    ...listTags ? [{ operation: 'ListTagsForResource', input: { ResourceArn: arn }, existing: true }] : [],
  ];

  const KINDS: Record<string, Kind> = {
    'configuration set': {
      file: 'configuration-set.ts',
      group: 'configuration-set',
      // A pool of the same stack: the set's calls on it must not need the pool's own policy.
      declare: (stack) => new ConfigurationSet(stack, 'Set', {
        configurationSetName: 'transactional', dedicatedIpPool: new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' }),
      }),
      before: (state) => state.addDedicatedIpPool('marketing', ownerTag('PoolD3F588B8')),
      after: (state) => state.addConfigurationSet('transactional', { tags: ownerTag('Set5432AD3D') }),
      calls: [
        {
          operation: 'CreateConfigurationSet',
          input: { ConfigurationSetName: 'transactional', DeliveryOptions: { SendingPoolName: 'marketing' }, Tags: tagList({ ...ownerTag('Set5432AD3D'), team: 'mail' }) },
        },
        // A create that meets an existing set: is it this resource's own?
        { operation: 'ListTagsForResource', input: { ResourceArn: SET_ARN } },
        { operation: 'PutConfigurationSetDeliveryOptions', input: { ConfigurationSetName: 'transactional', TlsPolicy: 'REQUIRE', SendingPoolName: 'marketing' }, existing: true },
        { operation: 'PutConfigurationSetReputationOptions', input: { ConfigurationSetName: 'transactional', ReputationMetricsEnabled: true }, existing: true },
        { operation: 'PutConfigurationSetSendingOptions', input: { ConfigurationSetName: 'transactional', SendingEnabled: false }, existing: true },
        { operation: 'PutConfigurationSetTrackingOptions', input: { ConfigurationSetName: 'transactional', CustomRedirectDomain: 'click.example.com' }, existing: true },
        { operation: 'PutConfigurationSetSuppressionOptions', input: { ConfigurationSetName: 'transactional', SuppressedReasons: ['BOUNCE'] }, existing: true },
        { operation: 'PutConfigurationSetVdmOptions', input: { ConfigurationSetName: 'transactional' }, existing: true },
        ...tagCalls(SET_ARN, true),
        { operation: 'DeleteConfigurationSet', input: { ConfigurationSetName: 'transactional' }, existing: true },
      ],
    },
    'dedicated IP pool': {
      file: 'dedicated-ip-pool.ts',
      group: 'dedicated-ip-pool',
      declare: (stack) => new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' }),
      before: () => undefined,
      after: (state) => state.addDedicatedIpPool('marketing', ownerTag('PoolD3F588B8')),
      calls: [
        { operation: 'CreateDedicatedIpPool', input: { PoolName: 'marketing', ScalingMode: 'MANAGED', Tags: tagList({ ...ownerTag('PoolD3F588B8'), team: 'mail' }) } },
        { operation: 'ListTagsForResource', input: { ResourceArn: POOL_ARN } },
        // A rename that takes back a pool of this resource: its live scaling mode, and the declared one.
        { operation: 'GetDedicatedIpPool', input: { PoolName: 'marketing' }, existing: true },
        { operation: 'PutDedicatedIpPoolScalingAttributes', input: { PoolName: 'marketing', ScalingMode: 'MANAGED' }, existing: true },
        ...tagCalls(POOL_ARN, true),
        { operation: 'DeleteDedicatedIpPool', input: { PoolName: 'marketing' }, existing: true },
      ],
    },
    // On SES v2, with a default configuration set (imported) and BYODKIM: the operations only SES v2 has.
    'email identity': {
      file: 'email-identity.ts',
      group: 'email-identity',
      declare: (stack) => {
        EmailApi.use(stack, EmailApiVersion.SES_V2);
        new EmailIdentity(stack, 'Domain', {
          identity: Identity.domain('example.com'),
          configurationSet: ConfigurationSet.fromConfigurationSetName(stack, 'Set', 'transactional'),
          dkimIdentity: DkimIdentity.byoDkim({ privateKey: Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN), selector: 'mail' }),
        });
      },
      before: () => undefined,
      after: (state) => state.addEmailIdentity('example.com', { tags: ownerTag('Domain66AC69E0') }),
      calls: [
        { operation: 'GetEmailIdentity', input: { EmailIdentity: 'example.com' } },
        { operation: 'CreateEmailIdentity', input: { EmailIdentity: 'example.com', Tags: tagList({ ...ownerTag('Domain66AC69E0'), team: 'mail' }) } },
        {
          operation: 'PutEmailIdentityDkimSigningAttributes',
          input: { EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } },
          existing: true,
        },
        { operation: 'PutEmailIdentityConfigurationSetAttributes', input: { EmailIdentity: 'example.com', ConfigurationSetName: 'transactional' }, existing: true },
        { operation: 'PutEmailIdentityConfigurationSetAttributes', input: { EmailIdentity: 'example.com' }, existing: true },
        { operation: 'GetEmailIdentity', input: { EmailIdentity: 'example.com' }, existing: true },
        { operation: 'PutEmailIdentityDkimAttributes', input: { EmailIdentity: 'example.com', SigningEnabled: false }, existing: true },
        { operation: 'PutEmailIdentityFeedbackAttributes', input: { EmailIdentity: 'example.com', EmailForwardingEnabled: false }, existing: true },
        { operation: 'PutEmailIdentityMailFromAttributes', input: { EmailIdentity: 'example.com', MailFromDomain: 'bounce.example.com' }, existing: true },
        ...tagCalls(IDENTITY_ARN, false),
        { operation: 'DeleteEmailIdentity', input: { EmailIdentity: 'example.com' }, existing: true },
      ],
    },
    'deliverability test': {
      file: 'deliverability-test.ts',
      group: 'deliverability-test',
      declare: (stack) => new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: CONTENT }),
      // The sender's domain identity exists (not this stack's), and the dashboard is on.
      before: (state) => {
        state.addEmailIdentity('example.com', { verified: true });
        state.enableDashboard();
      },
      after: (state) => {
        const report = state.addDeliverabilityTestReport({ fromEmailAddress: 'test@example.com', tags: ownerTag('Test7BFAF513') });
        state.deliverabilityTestReports.delete(report.reportId);
        state.deliverabilityTestReports.set(REPORT_ID, { ...report, reportId: REPORT_ID });
      },
      calls: [
        { operation: 'GetDeliverabilityDashboardOptions', input: {} },
        { operation: 'ListDeliverabilityTestReports', input: { PageSize: 1000 } },
        // A candidate that a retried create finds: this resource's own report (its ownership tag).
        { operation: 'ListTagsForResource', input: { ResourceArn: REPORT_ARN }, existing: true },
        { operation: 'GetEmailIdentity', input: { EmailIdentity: 'test@example.com' } },
        { operation: 'GetEmailIdentity', input: { EmailIdentity: 'example.com' } },
        {
          operation: 'CreateDeliverabilityTestReport',
          input: { FromEmailAddress: 'test@example.com', Content: CONTENT_INPUT, Tags: tagList({ ...ownerTag('Test7BFAF513'), team: 'mail' }) },
        },
        ...tagCalls(REPORT_ARN, true),
      ],
    },
    'dedicated IP': {
      file: 'dedicated-ip.ts',
      group: 'dedicated-ip',
      declare: (stack) => new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' }).addDedicatedIp('192.0.2.10', { warmupPercentage: 50 }),
      before: (state) => {
        state.addDedicatedIpPool('marketing', ownerTag('PoolD3F588B8'));
        state.addDedicatedIpPool('legacy');
        state.addDedicatedIp('192.0.2.10', 'legacy');
      },
      after: (state) => { state.dedicatedIps.get('192.0.2.10')!.poolName = 'marketing'; },
      calls: [
        { operation: 'GetDedicatedIp', input: { Ip: '192.0.2.10' } },
        { operation: 'PutDedicatedIpInPool', input: { Ip: '192.0.2.10', DestinationPoolName: 'marketing' } },
        { operation: 'PutDedicatedIpWarmupAttributes', input: { Ip: '192.0.2.10', WarmupPercentage: 50 } },
        // Delete: back to the pool it came from (not this stack's), or the default pool.
        { operation: 'PutDedicatedIpInPool', input: { Ip: '192.0.2.10', DestinationPoolName: 'legacy' }, existing: true },
        { operation: 'PutDedicatedIpInPool', input: { Ip: '192.0.2.10', DestinationPoolName: 'ses-default-dedicated-pool' }, existing: true },
      ],
    },
    'account settings': {
      file: 'account-settings.ts',
      group: 'account-settings',
      declare: (stack) => new EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: false }),
      before: () => undefined,
      after: () => undefined,
      calls: [
        { operation: 'GetAccount', input: {} },
        { operation: 'PutAccountDedicatedIpWarmupAttributes', input: { AutoWarmupEnabled: false } },
        { operation: 'PutAccountSendingAttributes', input: { SendingEnabled: true } },
      ],
    },
    // On an imported set: what the policy of that set's destinations allows, on the set's ARN, needs no ownership tag.
    'event destination': {
      file: 'configuration-set-event-destination.ts',
      group: eventDestinationsGroup('transactional'),
      declare: (stack) => ConfigurationSet.fromConfigurationSetName(stack, 'Set', 'transactional')
        .addEventDestination('Events', { destination: EventDestination.pinpointApplication(APP_ARN), configurationSetEventDestinationName: 'events' }),
      before: (state) => state.addConfigurationSet('transactional'),
      after: (state) => state.addConfigurationSet('transactional'),
      calls: [
        { operation: 'CreateConfigurationSetEventDestination', input: { ConfigurationSetName: 'transactional', EventDestinationName: 'events', EventDestination: PINPOINT } },
        // A create that meets an existing destination: is its set this stack's, is it the one this resource replaced?
        { operation: 'ListTagsForResource', input: { ResourceArn: SET_ARN } },
        { operation: 'GetConfigurationSetEventDestinations', input: { ConfigurationSetName: 'transactional' } },
        { operation: 'UpdateConfigurationSetEventDestination', input: { ConfigurationSetName: 'transactional', EventDestinationName: 'events', EventDestination: PINPOINT } },
        { operation: 'DeleteConfigurationSetEventDestination', input: { ConfigurationSetName: 'transactional', EventDestinationName: 'events' }, existing: true },
      ],
    },
    'deliverability dashboard': {
      file: 'deliverability-dashboard.ts',
      group: 'deliverability-dashboard',
      declare: (stack) => new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] }),
      before: () => undefined,
      after: (state) => state.enableDashboard(),
      calls: [
        { operation: 'GetDeliverabilityDashboardOptions', input: {} },
        { operation: 'PutDeliverabilityDashboardOption', input: { DashboardEnabled: true, SubscribedDomains: [{ Domain: 'example.com' }] } },
        { operation: 'PutDeliverabilityDashboardOption', input: { DashboardEnabled: false }, existing: true },
      ],
    },
  };

  test.each(Object.keys(KINDS))('%s: the stack\'s actions are the handler\'s operations, no more, no fewer', (name) => {
    const kind = KINDS[name];
    const stack = newStack(undefined, SES_V2);
    kind.declare(stack);

    const called = operationsCalledBy(path.join(LAMBDA, 'resources', kind.file));
    expect(called.length).toBeGreaterThan(0);
    expect(sesActionsOf(allStatements(stack).filter((s) => s.group === kind.group))).toEqual(called);
    // The calls below are those operations.
    expect([...new Set(kind.calls.map((c) => `ses:${c.operation}`))].sort()).toEqual(called);
  });

  test.each(Object.keys(KINDS))('%s: on the Pinpoint Email API, the handler\'s operations but those only SES v2 has', (name) => {
    const kind = KINDS[name];
    const stack = newStack();
    kind.declare(stack);

    const called = operationsCalledBy(path.join(LAMBDA, 'resources', kind.file));
    // A kind whose declaration needs SES v2 chooses it itself (the email identity's SES v2 options).
    const expected = EmailApi.of(stack) === EmailApiVersion.SES_V2 ? called : called.filter((a) => !SES_V2_ONLY_ACTIONS.includes(a));
    expect(sesActionsOf(allStatements(stack).filter((s) => s.group === kind.group))).toEqual(expected);
  });

  test.each(Object.keys(KINDS))('%s: each call of the handler is allowed by its group\'s policy alone, and not without it', async (name) => {
    const kind = KINDS[name];
    const stack = newStack(undefined, SES_V2);
    kind.declare(stack);
    const own = deployedPolicies(stack, ['handler', kind.group]);
    const handlerOnly = deployedPolicies(stack, ['handler']);
    const before = account();
    kind.before(before);
    const after = account();
    kind.before(after);
    kind.after(after);

    for (const call of kind.calls) {
      const state = call.existing ? after : before;
      const label = `${call.operation} ${JSON.stringify(call.input)}`;
      expect([label, await decide(own, call.operation, call.input, state)]).toEqual([label, 'Allowed']);
      expect([label, await decide(handlerOnly, call.operation, call.input, state)]).toEqual([label, expect.stringMatching(/^ImplicitlyDenied: /)]);
    }
  });

  test.each([['SES v2', SES_V2], ['Pinpoint Email', {}]])('%s: every operation anywhere in lambda/ that the API has is granted by some construct, and nothing else', (api, context) => {
    const files = fs.readdirSync(LAMBDA, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const everywhere = [...new Set(files.flatMap((file) => commandsUnder(parse(path.join(LAMBDA, file)))))].sort();

    const stack = oneOfEach(context);
    new DeliverabilityTest(stack, 'FromAddress', { fromEmailAddress: 'test@example.net', content: CONTENT });
    expect(everywhere.length).toBeGreaterThan(20);
    expect(sesActionsOf(allStatements(stack))).toEqual(api === 'SES v2' ? everywhere : everywhere.filter((a) => !SES_V2_ONLY_ACTIONS.includes(a)));
  });
});

describe('resources', () => {
  const arn = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;

  test('two named configuration sets: those two ARNs, not configuration-set/*', async () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'A', { configurationSetName: 'transactional' });
    new ConfigurationSet(stack, 'B', { configurationSetName: 'marketing' });

    expect(statement(stack, 'configuration-set', 'ManageConfigurationSets').Resource).toEqual([
      sesArn('configuration-set/transactional'),
      sesArn('configuration-set/marketing'),
    ]);
    const policies = deployedPolicies(stack);
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'marketing' }, account())).toBe('Allowed');
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'other' }, account()))
      .toBe(`ImplicitlyDenied: ses:DeleteConfigurationSet on ${arn('configuration-set/other')}`);
  });

  test('generated names: one stack-prefix pattern that covers every generated name', async () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'A');
    new ConfigurationSet(stack, 'B');
    new DedicatedIpPool(stack, 'Pool');

    expect(statement(stack, 'configuration-set', 'ManageConfigurationSets').Resource).toEqual(sesArn(`configuration-set/${PREFIX}*`));
    expect(statement(stack, 'dedicated-ip-pool', 'ManageDedicatedIpPools').Resource).toEqual(sesArn(`dedicated-ip-pool/${PREFIX.toLowerCase()}*`));
    const names = Object.values(Template.fromStack(stack).findResources('Custom::PinpointEmailConfigurationSet'))
      .map((resource) => resource.Properties.ConfigurationSetName as string);
    expect(names).toHaveLength(2);
    const policies = deployedPolicies(stack);
    for (const name of names) {
      expect(name.startsWith(PREFIX)).toBe(true);
      expect(await decide(policies, 'CreateConfigurationSet', { ConfigurationSetName: name }, account())).toBe('Allowed');
    }
  });

  test('the generated-name patterns of stacks "Mail" and "Mail-Prod" match none of each other\'s generated names', async () => {
    const app = new App();
    const stacks = ['Mail', 'Mail-Prod'].map((name) => {
      const stack = new Stack(app, name, { env: { account: ACCOUNT, region: REGION } });
      new ConfigurationSet(stack, 'Set');
      new ConfigurationSet(stack, 'Prod');
      new DedicatedIpPool(stack, 'Pool');
      return stack;
    });
    const of = (stack: Stack) => {
      const template = Template.fromStack(stack);
      const names = (type: string, property: string) => Object.values(template.findResources(type)).map((r) => `${r.Properties[property]}`);
      const at = { ...US_EAST_1, stackName: stack.stackName, stackId: US_EAST_1.stackId.replace('/Mail/', `/${stack.stackName}/`) };
      const deployed = stackPolicies(stack, at);
      return {
        patterns: [['configuration-set', 'ManageConfigurationSets'], ['dedicated-ip-pool', 'ManageDedicatedIpPools']].map(([group, sid]) =>
          deployed.find((p) => p.name === POLICY_NAME[group as PolicyGroup])!.deployed.Statement
            .find((d: PolicyStatement) => d.Sid === sid).Resource),
        policies: rolePolicies(deployed),
        calls: [
          ...names('Custom::PinpointEmailConfigurationSet', 'ConfigurationSetName').map((n) => ['DeleteConfigurationSet', { ConfigurationSetName: n }] as const),
          ...names('Custom::PinpointEmailDedicatedIpPool', 'PoolName').map((n) => ['DeleteDedicatedIpPool', { PoolName: n }] as const),
        ],
      };
    };
    const [mail, prod] = stacks.map(of);

    expect(mail.patterns).toEqual([arn('configuration-set/Mail-07ed6c-*'), arn('dedicated-ip-pool/mail-07ed6c-*')]);
    expect(prod.patterns).toEqual([arn('configuration-set/Mail-Prod-70b563-*'), arn('dedicated-ip-pool/mail-prod-70b563-*')]);
    // Each stack's policies allow its own names, and none of the other stack's; every name is valid for the API.
    for (const [own, other] of [[mail, prod], [prod, mail]]) {
      expect(own.calls).toHaveLength(3);
      for (const [operation, input] of own.calls) {
        const name = Object.values(input)[0];
        expect(name).toMatch(operation === 'DeleteDedicatedIpPool' ? /^[a-z0-9_-]{1,64}$/ : /^[A-Za-z0-9_-]{1,64}$/);
        expect([name, await decide(own.policies, operation, input, account())]).toEqual([name, 'Allowed']);
        expect([name, await decide(other.policies, operation, input, account())]).toEqual([name, expect.stringMatching(/^ImplicitlyDenied: /)]);
      }
    }
  });

  test('"*", "?" and "$" of a declared name are written as IAM\'s escapes: the ARN names that one identity, and nothing throws', async () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Address', { identity: Identity.email('a*b@example.com') });
    new EmailIdentity(stack, 'Dollar', { identity: Identity.email('pay$me@example.com') });
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'x?y@example.com', content: CONTENT });
    // A name only known when the stack is synthesized is escaped too.
    new DeliverabilityTest(stack, 'Lazy', { fromEmailAddress: Lazy.string({ produce: () => 'l*z@example.net' }), content: CONTENT });

    expect(statement(stack, 'email-identity', 'ManageEmailIdentities').Resource).toEqual([
      sesArn('identity/a${*}b@example.com'),
      sesArn('identity/pay${$}me@example.com'),
    ]);
    expect(statement(stack, 'deliverability-test', 'CreateDeliverabilityTests').Resource).toEqual([
      sesArn('identity/x${?}y@example.com'),
      sesArn('identity/example.com'),
      sesArn('identity/l${*}z@example.net'),
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:${REGION}:${ACCOUNT}:identity/`, { 'Fn::Select': [1, { 'Fn::Split': ['@', 'l*z@example.net'] }] }]] },
    ]);
    const policies = deployedPolicies(stack);
    const denied = (name: string, action: string) => `ImplicitlyDenied: ${action} on ${arn(`identity/${name}`)}`;
    const deleteIdentity = (name: string) => decide(policies, 'DeleteEmailIdentity', { EmailIdentity: name }, account());
    expect(await deleteIdentity('a*b@example.com')).toBe('Allowed');
    expect(await deleteIdentity('ab@example.com')).toBe(denied('ab@example.com', 'ses:DeleteEmailIdentity'));
    expect(await deleteIdentity('a-anyone-b@example.com')).toBe(denied('a-anyone-b@example.com', 'ses:DeleteEmailIdentity'));
    expect(await deleteIdentity('pay$me@example.com')).toBe('Allowed');
    expect(await deleteIdentity('payme@example.com')).toBe(denied('payme@example.com', 'ses:DeleteEmailIdentity'));
    // The sender's address identity, when the account has it, is what the create is authorized on.
    const withAddresses = account();
    for (const name of ['x?y@example.com', 'xzy@example.com', 'l*z@example.net', 'lz@example.net']) withAddresses.addEmailIdentity(name);
    const createTest = (from: string) => decide(policies, 'CreateDeliverabilityTestReport', { FromEmailAddress: from, Content: CONTENT_INPUT }, withAddresses);
    expect(await createTest('x?y@example.com')).toBe('Allowed');
    expect(await createTest('xzy@example.com')).toBe(denied('xzy@example.com', 'ses:CreateDeliverabilityTestReport'));
    expect(await createTest('l*z@example.net')).toBe('Allowed');
    expect(await createTest('lz@example.net')).toBe(denied('lz@example.net', 'ses:CreateDeliverabilityTestReport'));
  });

  test('a sender built from an identity with "*" in its name is escaped too, and the address sent is the name itself', () => {
    const stack = newStack();
    const address = new EmailIdentity(stack, 'Address', { identity: Identity.email('a*b@example.com') });
    new DeliverabilityTest(stack, 'Test', { fromIdentity: address, content: CONTENT });

    expect(statement(stack, 'deliverability-test', 'CreateDeliverabilityTests').Resource).toEqual([
      sesArn('identity/a${*}b@example.com'),
      sesArn('identity/example.com'),
    ]);
    Template.fromStack(stack).hasResourceProperties('Custom::PinpointEmailDeliverabilityTest', { FromEmailAddress: 'a*b@example.com' });
  });

  test('"*" only for the operations without resource-level permissions, each in the policy of the group that calls them', () => {
    const starred = allStatements(oneOfEach()).filter((s) => asList(s.Resource).includes('*'));

    expect(starred).toEqual([
      {
        group: 'dedicated-ip',
        Sid: 'AccountLevelOperations',
        Effect: 'Allow',
        Action: ['ses:GetDedicatedIp', 'ses:PutDedicatedIpWarmupAttributes'],
        Resource: '*',
      },
      {
        group: 'deliverability-test',
        Sid: 'AccountLevelOperations',
        Effect: 'Allow',
        Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:ListDeliverabilityTestReports'],
        Resource: '*',
      },
      {
        group: 'deliverability-dashboard',
        Sid: 'AccountLevelOperations',
        Effect: 'Allow',
        Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:PutDeliverabilityDashboardOption'],
        Resource: '*',
      },
      {
        group: 'account-settings',
        Sid: 'AccountLevelOperations',
        Effect: 'Allow',
        Action: ['ses:GetAccount', 'ses:PutAccountSendingAttributes', 'ses:PutAccountDedicatedIpWarmupAttributes'],
        Resource: '*',
      },
    ]);
  });

  test('the provider refuses "*" for an operation that has resource-level permissions', () => {
    const stack = newStack();
    expect(() => PinpointEmailProvider.of(stack).grantWithoutResource('configuration-set', ['ses:DeleteConfigurationSet']))
      .toThrow('ses:DeleteConfigurationSet must be granted on the ARNs of resources, not on "*"');
  });

  test('the provider refuses a wildcard ARN without a reason, a statement id that is not alphanumeric, and the reserved one', () => {
    const stack = newStack();
    const provider = PinpointEmailProvider.of(stack);
    const pattern = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    const exact = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: 'example.com' });

    expect(() => provider.grant('email-identity', 'Anything', ['ses:GetEmailIdentity'], pattern)).toThrow(/statement Anything: the wildcard resource .*identity\/\* needs a reason/);
    expect(() => provider.grant('email-identity', 'Not-Alphanumeric', ['ses:GetEmailIdentity'], exact)).toThrow('statement id "Not-Alphanumeric" must be alphanumeric');
    expect(() => provider.grant('email-identity', 'ManageResourcesOwnedByThisStack', ['ses:GetEmailIdentity'], exact))
      .toThrow('statement id ManageResourcesOwnedByThisStack is reserved for allowOwned');
    // Nothing was granted by the refused calls.
    expect(allStatements(stack).filter((s) => s.group !== 'handler')).toEqual([]);
  });

  test('an environment-agnostic stack grants on its own account and region', () => {
    const stack = newStack({});
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });

    expect(statement(stack, 'configuration-set', 'ManageConfigurationSets').Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/transactional',
    });
  });
});

describe('the tag condition', () => {
  const set = `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/transactional`;
  const identity = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`;

  test('is on exactly the statements that grant TagResource or UntagResource', () => {
    const statements = allStatements(oneOfEach());
    expect(statements.filter((s) => s.Condition?.['ForAllValues:StringNotLike']).map((s) => `${s.group} ${s.Sid}`)).toEqual([
      'dedicated-ip-pool ManageDedicatedIpPools',
      'dedicated-ip-pool ManageResourcesOwnedByThisStack',
      'configuration-set ManageConfigurationSets',
      'configuration-set ManageResourcesOwnedByThisStack',
      'email-identity ManageEmailIdentities',
      'email-identity ManageResourcesOwnedByThisStack',
      'deliverability-test TagNewDeliverabilityTestReports',
      'deliverability-test ManageResourcesOwnedByThisStack',
    ]);
    for (const s of statements) {
      const tags = asList(s.Action).some((action) => action === 'ses:TagResource' || action === 'ses:UntagResource');
      const others = s.Sid === 'ManageResourcesOwnedByThisStack' ? { StringLike: { [OWNER_KEY]: OWNER_PATTERN } }
        : s.Sid === 'TagNewDeliverabilityTestReports' ? { StringLike: { [`aws:RequestTag/${OWNER_TAG_KEY}`]: OWNER_PATTERN }, Null: { [OWNER_KEY]: 'true' } }
          : undefined;
      expect([s.group, s.Sid, s.Condition]).toEqual([s.group, s.Sid, tags ? { ...others, ...NO_AWS_TAG_KEYS } : others]);
    }
  });

  test('lets a create with tags through (the create, and TagResource on the new resource with the request\'s tags)', async () => {
    const policies = deployedPolicies(oneOfEach());
    const tags = tagList({ ...ownerTag('Resource'), 'team': 'mail', 'cost-center': '42' });
    const state = account();
    state.addEmailIdentity('example.com', { verified: true });

    expect(await decide(policies, 'CreateConfigurationSet', { ConfigurationSetName: 'transactional', Tags: tags }, account())).toBe('Allowed');
    expect(await decide(policies, 'CreateDedicatedIpPool', { PoolName: 'marketing', Tags: tags }, account())).toBe('Allowed');
    expect(await decide(policies, 'CreateEmailIdentity', { EmailIdentity: 'sender@example.org', Tags: tags }, account())).toBe('Allowed');
    expect(await decide(policies, 'CreateDeliverabilityTestReport', { FromEmailAddress: 'test@example.com', Content: CONTENT_INPUT, Tags: tags }, state)).toBe('Allowed');
    // Not with an aws: key.
    const awsKey = [...tags, { Key: 'aws:cloudformation:stack-name', Value: 'Mail' }];
    expect(await decide(policies, 'CreateConfigurationSet', { ConfigurationSetName: 'transactional', Tags: awsKey }, account()))
      .toBe(`ImplicitlyDenied: ses:CreateConfigurationSet on ${set}`);
    expect(await decide(policies, 'CreateDedicatedIpPool', { PoolName: 'marketing', Tags: awsKey }, account()))
      .toBe(`ImplicitlyDenied: ses:CreateDedicatedIpPool on arn:aws:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/marketing`);
  });

  test('lets calls without tags through, and refuses aws: keys, other resources and other actions', async () => {
    const policies = deployedPolicies(oneOfEach());
    const state = account();
    state.addConfigurationSet('transactional');
    state.addEmailIdentity('example.com');

    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'transactional' }, state)).toBe('Allowed');
    expect(await decide(policies, 'ListTagsForResource', { ResourceArn: set }, state)).toBe('Allowed');
    expect(await decide(policies, 'GetEmailIdentity', { EmailIdentity: 'example.com' }, state)).toBe('Allowed');
    expect(await decide(policies, 'TagResource', { ResourceArn: set, Tags: tagList({ team: 'mail' }) }, state)).toBe('Allowed');
    expect(await decide(policies, 'UntagResource', { ResourceArn: identity, TagKeys: ['team'] }, state)).toBe('Allowed');

    expect(await decide(policies, 'TagResource', { ResourceArn: set, Tags: tagList({ 'team': 'mail', 'aws:cloudformation:stack-name': 'Mail' }) }, state))
      .toBe(`ImplicitlyDenied: ses:TagResource on ${set}`);
    expect(await decide(policies, 'UntagResource', { ResourceArn: identity, TagKeys: ['aws:createdBy'] }, state))
      .toBe(`ImplicitlyDenied: ses:UntagResource on ${identity}`);
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'other' }, state))
      .toBe(`ImplicitlyDenied: ses:DeleteConfigurationSet on arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/other`);
    expect(await decide(policies, 'DeleteEmailIdentity', { EmailIdentity: 'other.com' }, state))
      .toBe(`ImplicitlyDenied: ses:DeleteEmailIdentity on arn:aws:ses:${REGION}:${ACCOUNT}:identity/other.com`);
    expect(await decide(policies, 'SendEmail', { FromEmailAddress: 'sender@example.org', Destination: { ToAddresses: ['a@example.net'] } }, state))
      .toMatch(/^ImplicitlyDenied: ses:SendEmail on /);
  });
});

describe('the grant by ownership tag (resources this stack created, once their ARNs have left the policy)', () => {
  const arn = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;

  function ownedStatements(stack: Stack): Partial<Record<PolicyGroup, PolicyStatement>> {
    return Object.fromEntries(allStatements(stack).filter((s) => s.Sid === 'ManageResourcesOwnedByThisStack').map(({ group, ...s }) => [group, s]));
  }

  test('the condition value, resolved as CloudFormation resolves it, is the stack part of the markers lambda/ownership.ts writes', async () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    const deployed: StackPolicy = stackPolicies(stack).find((p) => p.name === POLICY_NAME['configuration-set'])!;
    const owned = deployed.deployed.Statement.find((s: PolicyStatement) => s.Sid === 'ManageResourcesOwnedByThisStack');

    expect(owned.Condition.StringLike[OWNER_KEY]).toBe(DEPLOYED_OWNER_PATTERN);
    const marker = ownerMarker(US_EAST_1.stackId, 'Removed1A2B3C4D');
    expect(marker.startsWith(DEPLOYED_OWNER_PATTERN.slice(0, -1))).toBe(true);
    // A set the policy no longer names: this stack's marker lets the delete through, another stack's does not.
    const state = account();
    state.addConfigurationSet('ours', { tags: { [OWNER_TAG_KEY]: marker } });
    state.addConfigurationSet('theirs', { tags: { [OWNER_TAG_KEY]: ownerMarker(OTHER_STACK_ID, 'Removed1A2B3C4D') } });
    const policies = rolePolicies([deployed]);
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'ours' }, state)).toBe('Allowed');
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'theirs' }, state))
      .toBe(`ImplicitlyDenied: ses:DeleteConfigurationSet on ${arn('configuration-set/theirs')}`);
  });

  test('after an update removed them: deletes, puts and tag calls on what this stack created, nothing on anyone else\'s', async () => {
    // The stack after the update: one of each kind is left, those the update removed are no longer named.
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'kept-pool' });
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'kept-set', dedicatedIpPool: pool });
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('kept.example.com') });
    const policies = deployedPolicies(stack);
    const owners: Record<string, Record<string, string> | undefined> = {
      ours: ownerTag('RemovedA1B2C3D4'),
      theirs: ownerTag('RemovedA1B2C3D4', OTHER_STACK_ID),
      unowned: { team: 'mail' },
      none: undefined,
    };
    const removed: Array<[string, (owner: string) => Record<string, unknown>]> = [
      ['DeleteConfigurationSet', (o) => ({ ConfigurationSetName: `${o}-set` })],
      ['PutConfigurationSetSendingOptions', (o) => ({ ConfigurationSetName: `${o}-set`, SendingEnabled: true })],
      ['DeleteDedicatedIpPool', (o) => ({ PoolName: `${o}-pool` })],
      ['DeleteEmailIdentity', (o) => ({ EmailIdentity: `${o}.example.com` })],
      ['GetEmailIdentity', (o) => ({ EmailIdentity: `${o}.example.com` })],
      ['ListTagsForResource', (o) => ({ ResourceArn: arn(`configuration-set/${o}-set`) })],
      ['UntagResource', (o) => ({ ResourceArn: arn(`dedicated-ip-pool/${o}-pool`), TagKeys: ['team'] })],
      // The rollback of the kept set to the pool the update removed.
      ['PutConfigurationSetDeliveryOptions', (o) => ({ ConfigurationSetName: 'kept-set', SendingPoolName: `${o}-pool` })],
    ];
    const state = account();
    state.addConfigurationSet('kept-set', { tags: ownerTag('Set5432AD3D') });
    for (const [owner, tags] of Object.entries(owners)) {
      if (!tags) continue;
      state.addConfigurationSet(`${owner}-set`, { tags: { ...tags } });
      state.addDedicatedIpPool(`${owner}-pool`, { ...tags });
      state.addEmailIdentity(`${owner}.example.com`, { tags: { ...tags } });
    }

    for (const [operation, input] of removed) {
      expect([operation, await decide(policies, operation, input('ours'), state)]).toEqual([operation, 'Allowed']);
      for (const other of ['theirs', 'unowned', 'none']) {
        expect([operation, other, await decide(policies, operation, input(other), state)]).toEqual([operation, other, expect.stringMatching(/^ImplicitlyDenied: /)]);
      }
    }
    // Never a create, never another account or region, and still no aws: tag keys.
    expect(await decide(policies, 'CreateConfigurationSet', { ConfigurationSetName: 'ours-set' }, state)).toMatch(/^ImplicitlyDenied: /);
    const elsewhere = new AccountState(ACCOUNT, 'eu-west-1');
    elsewhere.addConfigurationSet('ours-set', { tags: ownerTag('RemovedA1B2C3D4') });
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'ours-set' }, elsewhere)).toMatch(/^ImplicitlyDenied: /);
    const otherAccount = new AccountState('210987654321', REGION);
    otherAccount.addConfigurationSet('ours-set', { tags: ownerTag('RemovedA1B2C3D4') });
    expect(await decide(policies, 'DeleteConfigurationSet', { ConfigurationSetName: 'ours-set' }, otherAccount)).toMatch(/^ImplicitlyDenied: /);
    const ourSet = arn('configuration-set/ours-set');
    expect(await decide(policies, 'TagResource', { ResourceArn: ourSet, Tags: tagList({ 'aws:x': 'y' }) }, state)).toMatch(/^ImplicitlyDenied: /);
    expect(await decide(policies, 'TagResource', { ResourceArn: ourSet, Tags: tagList({ team: 'mail' }) }, state)).toBe('Allowed');
  });

  test('grants the actions of each kind but the creates, in the kind\'s own policy, on the types the stack uses only', () => {
    const setOnly = newStack();
    new ConfigurationSet(setOnly, 'Set');
    expect(ownedStatements(setOnly)).toEqual({ 'configuration-set': ownedStatement(withoutCreates(CONFIGURATION_SET_ACTIONS), ['configuration-set']) });

    const identityOnly = newStack();
    new EmailIdentity(identityOnly, 'Domain', { identity: Identity.domain('example.com') });
    expect(ownedStatements(identityOnly)).toEqual({ 'email-identity': ownedStatement(withoutCreates(EMAIL_IDENTITY_ACTIONS), ['identity']) });

    // A set sending through an imported pool: the pool pattern, in the set's policy, for PutConfigurationSetDeliveryOptions only.
    const importedPool = newStack();
    new ConfigurationSet(importedPool, 'Set', { dedicatedIpPool: DedicatedIpPool.fromDedicatedIpPoolName(importedPool, 'Pool', 'marketing') });
    expect(ownedStatements(importedPool)).toEqual({
      'configuration-set': ownedStatement(withoutCreates(CONFIGURATION_SET_ACTIONS), ['configuration-set', 'dedicated-ip-pool']),
    });

    // Reports: their tag calls only; the dashboard has none.
    const testAndDashboard = newStack();
    new DeliverabilityDashboard(testAndDashboard, 'Dashboard');
    new DeliverabilityTest(testAndDashboard, 'Test', { fromEmailAddress: 'test@example.com', content: CONTENT });
    expect(ownedStatements(testAndDashboard)).toEqual({ 'deliverability-test': ownedStatement(REPORT_TAG_ACTIONS, ['deliverability-test-report']) });

    for (const stack of [setOnly, identityOnly, importedPool, testAndDashboard, oneOfEach()]) {
      for (const s of Object.values(ownedStatements(stack))) expect(asList(s!.Action).filter((action) => action.startsWith('ses:Create'))).toEqual([]);
    }
  });

  test('the provider refuses a create by ownership tag', () => {
    const stack = newStack();
    expect(() => PinpointEmailProvider.of(stack).grantOwned('configuration-set', 'configuration-set', ['ses:CreateConfigurationSet']))
      .toThrow('ses:CreateConfigurationSet cannot be granted by ownership tag: the resource does not exist yet');
  });
});

describe('deliverability test reports', () => {
  const reportArn = (id: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:deliverability-test-report/${id}`;

  /** The account with a report of this stack, one of another stack, one with other tags only and one without tags. */
  function reports() {
    const state = account();
    state.addEmailIdentity('example.com', { verified: true });
    state.enableDashboard();
    const add = (tags: Record<string, string>) => reportArn(state.addDeliverabilityTestReport({ fromEmailAddress: 'test@example.com', tags }).reportId);
    return {
      state,
      ours: add({ ...ownerTag('Test7BFAF513'), team: 'mail' }),
      theirs: add({ ...ownerTag('Test7BFAF513', OTHER_STACK_ID), team: 'mail' }),
      otherTags: add({ team: 'mail' }),
      untagged: add({}),
    };
  }

  test('the handler may list, tag and untag a report carrying this stack\'s ownership tag, and not one of another stack or without it', async () => {
    const policies = deployedPolicies(oneOfEach());
    const { state, ours, theirs, otherTags, untagged } = reports();
    const calls: Array<[string, (arn: string) => Record<string, unknown>]> = [
      ['ListTagsForResource', (arn) => ({ ResourceArn: arn })],
      ['TagResource', (arn) => ({ ResourceArn: arn, Tags: tagList({ team: 'other' }) })],
      ['UntagResource', (arn) => ({ ResourceArn: arn, TagKeys: ['team'] })],
    ];

    for (const [operation, input] of calls) {
      expect([operation, await decide(policies, operation, input(ours), state)]).toEqual([operation, 'Allowed']);
      for (const arn of [theirs, otherTags, untagged]) {
        expect([operation, arn, await decide(policies, operation, input(arn), state)]).toEqual([operation, arn, `ImplicitlyDenied: ses:${operation} on ${arn}`]);
      }
    }
    // Nor may it put this stack's ownership tag on a report of another stack, or take another stack's off its own.
    expect(await decide(policies, 'TagResource', { ResourceArn: theirs, Tags: tagList(ownerTag('Test7BFAF513')) }, state))
      .toBe(`ImplicitlyDenied: ses:TagResource on ${theirs}`);
    expect(await decide(policies, 'UntagResource', { ResourceArn: theirs, TagKeys: [OWNER_TAG_KEY] }, state))
      .toBe(`ImplicitlyDenied: ses:UntagResource on ${theirs}`);
  });

  test('a report without an ownership tag can be given this stack\'s (TagNewDeliverabilityTestReports cannot tell it from a new report)', async () => {
    const policies = deployedPolicies(oneOfEach());
    const { state, otherTags, untagged } = reports();

    // IAM authorizes the TagResource of a create with Tags on the new report: its aws:ResourceTag keys are absent,
    // as they are for an existing report without the tag.
    for (const arn of [untagged, otherTags]) {
      expect(await decide(policies, 'TagResource', { ResourceArn: arn, Tags: tagList({ ...ownerTag('Test7BFAF513'), team: 'x' }) }, state)).toBe('Allowed');
    }
  });

  test('a create with tags is allowed only with this stack\'s ownership tag in the request', async () => {
    const policies = deployedPolicies(oneOfEach());
    const { state } = reports();
    const create = (tags?: Record<string, string>) => decide(policies, 'CreateDeliverabilityTestReport', {
      FromEmailAddress: 'test@example.com', Content: CONTENT_INPUT, ...tags ? { Tags: tagList(tags) } : {},
    }, state, 'new-report');

    expect(await create({ ...ownerTag('Test7BFAF513'), team: 'mail' })).toBe('Allowed');
    expect(await create(ownerTag('Test7BFAF513'))).toBe('Allowed');
    expect(await create()).toBe('Allowed');
    const deniedTag = `ImplicitlyDenied: ses:TagResource on ${reportArn('new-report')}`;
    expect(await create({ team: 'mail' })).toBe(deniedTag);
    expect(await create({ ...ownerTag('Test7BFAF513', OTHER_STACK_ID), team: 'mail' })).toBe(deniedTag);
    expect(await create({ ...ownerTag('Test7BFAF513'), 'aws:team': 'mail' })).toBe(deniedTag);
    // The sender must be one the stack's test was granted.
    expect(await decide(policies, 'CreateDeliverabilityTestReport', { FromEmailAddress: 'test@example.org', Content: CONTENT_INPUT }, state))
      .toBe(`ImplicitlyDenied: ses:CreateDeliverabilityTestReport on arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.org`);
  });

  test('a stack without a DeliverabilityDashboard cannot call PutDeliverabilityDashboardOption; the dashboard\'s policy alone has it', async () => {
    const withoutDashboard = newStack();
    new DeliverabilityTest(withoutDashboard, 'Test', { fromEmailAddress: 'test@example.com', content: CONTENT });
    new ConfigurationSet(withoutDashboard, 'Set');
    new EmailIdentity(withoutDashboard, 'Domain', { identity: Identity.domain('example.com') });
    const enable = { DashboardEnabled: true };

    expect(await decide(deployedPolicies(withoutDashboard), 'PutDeliverabilityDashboardOption', enable, account()))
      .toBe('ImplicitlyDenied: ses:PutDeliverabilityDashboardOption on *');
    expect(await decide(deployedPolicies(withoutDashboard), 'GetDeliverabilityDashboardOptions', {}, account())).toBe('Allowed');

    const stack = oneOfEach();
    const allButDashboard = POLICY_GROUPS.filter((group) => group !== 'deliverability-dashboard');
    expect(await decide(deployedPolicies(stack), 'PutDeliverabilityDashboardOption', enable, account())).toBe('Allowed');
    expect(await decide(deployedPolicies(stack, ['deliverability-dashboard']), 'PutDeliverabilityDashboardOption', enable, account())).toBe('Allowed');
    expect(await decide(deployedPolicies(stack, allButDashboard), 'PutDeliverabilityDashboardOption', enable, account()))
      .toBe('ImplicitlyDenied: ses:PutDeliverabilityDashboardOption on *');
  });
});

describe('size at scale (IAM allows 10,240 characters of inline policy per role, over all its policies)', () => {
  /** The handler policy's own estimate, over every group's policy (what synth compares with the limit). */
  function estimate(stack: Stack): number {
    Template.fromStack(stack);
    return (stack.node.findChild('PinpointEmailProvider').node.findChild('Policy') as HandlerPolicy).estimatedSize();
  }

  /** The estimate, the deployed size at US_EAST_1 (never more than the estimate) and the groups. */
  function measure(stack: Stack) {
    const policies = stackPolicies(stack);
    const groups = POLICY_GROUPS.filter((group) => policies.some((p) => groupOfName(p.name) === group));
    return { estimate: estimate(stack), deployed: deployedSize(policies), groups };
  }

  function withConfigurationSets(count: number, named: boolean, stack = newStack()): Stack {
    for (let i = 0; i < count; i++) {
      new ConfigurationSet(stack, `Set${i}`, named ? { configurationSetName: `tenant-configuration-set-${i}` } : {});
    }
    return stack;
  }

  function manageSets(stack: Stack): Json {
    return statement(stack, 'configuration-set', 'ManageConfigurationSets').Resource;
  }

  test('496 configuration sets with generated names: one pattern, 1,839 characters estimated (1,532 deployed), no warning', () => {
    const stack = withConfigurationSets(496, false);

    expect(measure(stack)).toEqual({ estimate: 1_839, deployed: 1_532, groups: ['handler', 'configuration-set'] });
    expect(manageSets(stack)).toEqual(sesArn(`configuration-set/${PREFIX}*`));
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('496 named configuration sets: configuration-set/* of the stack\'s account and region, 1,827 characters estimated (1,520 deployed), with a warning that names the limit', () => {
    const stack = withConfigurationSets(496, true);

    expect(measure(stack)).toEqual({ estimate: 1_827, deployed: 1_520, groups: ['handler', 'configuration-set'] });
    expect(manageSets(stack)).toEqual(sesArn('configuration-set/*'));
    Annotations.fromStack(stack).hasWarning('/Mail/PinpointEmailProvider/Policy',
      Match.stringLikeRegexp('exact configuration-set ARNs of this stack would take the handler\'s policies past IAM\'s limit of 10240 characters.*every configuration-set of the account and region'));
  });

  test('496 named resources of every type (124 sets each through its own pool, 124 pools, 124 domains, 123 tests, the dashboard): 5,190 characters estimated (4,820 deployed)', () => {
    const stack = newStack();
    new DeliverabilityDashboard(stack, 'Dashboard');
    for (let i = 0; i < 124; i++) {
      const pool = new DedicatedIpPool(stack, `Pool${i}`, { dedicatedIpPoolName: `tenant-pool-${i}` });
      new ConfigurationSet(stack, `Set${i}`, { configurationSetName: `tenant-configuration-set-${i}`, dedicatedIpPool: pool });
      new EmailIdentity(stack, `Domain${i}`, { identity: Identity.domain(`tenant-${i}.example.com`) });
      // From the address, not the identity construct: a test from an identity of the stack adds the wait's steps.
      if (i < 123) new DeliverabilityTest(stack, `Test${i}`, { fromEmailAddress: `test@tenant-${i}.example.com`, content: CONTENT });
    }
    const custom = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('Custom::'));

    expect(custom).toHaveLength(496);
    expect(measure(stack)).toEqual({ estimate: 5_190, deployed: 4_820, groups: POLICY_GROUPS.filter((g) => !['dedicated-ip', 'account-settings', 'configuration-set-event-destination'].includes(g)) });
    expect(estimate(stack)).toBeLessThan(IAM_INLINE_POLICY_LIMIT);
    // Each type with exact ARNs that would not fit is one pattern: here every one of them.
    const warned = Annotations.fromStack(stack).findWarning('/Mail/PinpointEmailProvider/Policy', Match.anyValue())
      .map((w) => /exact (\S+) ARNs/.exec(String(w.entry.data))?.[1]).sort();
    expect(warned).toEqual(['configuration-set', 'dedicated-ip-pool', 'identity']);
  });

  test('490 configuration sets with generated names and one of each other construct (496 resources) stay under the limit', () => {
    const stack = withConfigurationSets(490, false, oneOfEach());

    const { estimate: size, deployed } = measure(stack);
    expect(size).toBeLessThan(IAM_INLINE_POLICY_LIMIT);
    expect(deployed).toBeLessThanOrEqual(size);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('named configuration sets keep exact ARNs while they fit', () => {
    const stack = withConfigurationSets(60, true);

    expect(asList(manageSets(stack))).toEqual(Array.from({ length: 60 }, (_, i) => sesArn(`configuration-set/tenant-configuration-set-${i}`)));
    const { estimate: size, deployed } = measure(stack);
    expect(size).toBeLessThan(IAM_INLINE_POLICY_LIMIT);
    expect(deployed).toBeLessThanOrEqual(size);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('when only one type is over, only that type becomes a pattern', () => {
    const stack = withConfigurationSets(200, true);
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });

    expect(manageSets(stack)).toEqual(sesArn('configuration-set/*'));
    expect(statement(stack, 'dedicated-ip-pool', 'ManageDedicatedIpPools').Resource).toEqual(sesArn('dedicated-ip-pool/marketing'));
    expect(statement(stack, 'email-identity', 'ManageEmailIdentities').Resource).toEqual(sesArn('identity/example.com'));
  });

  test('the size counts every policy: names spread over the groups become patterns sooner than in one group', () => {
    // 60 named sets alone keep their exact ARNs (above); with as many identities, pools and tests the total is over.
    const stack = withConfigurationSets(60, true);
    for (let i = 0; i < 60; i++) {
      new DedicatedIpPool(stack, `Pool${i}`, { dedicatedIpPoolName: `tenant-pool-${i}` });
      const domain = new EmailIdentity(stack, `Domain${i}`, { identity: Identity.domain(`tenant-${i}.example.com`) });
      new DeliverabilityTest(stack, `Test${i}`, { fromIdentity: domain, fromLocalPart: 'test', content: CONTENT });
    }

    const { estimate: size, deployed } = measure(stack);
    expect(size).toBeLessThanOrEqual(IAM_INLINE_POLICY_LIMIT);
    expect(deployed).toBeLessThanOrEqual(size);
    expect(Annotations.fromStack(stack).findWarning('/Mail/PinpointEmailProvider/Policy', Match.anyValue()).length).toBeGreaterThan(0);
  });

  test('the estimate is never short: what is kept exact fits at the longest partition and region', () => {
    // Names of 64 characters, the longest the API accepts, in an environment-agnostic stack.
    const named = (count: number) => {
      const stack = newStack({});
      for (let i = 0; i < count; i++) new ConfigurationSet(stack, `Set${i}`, { configurationSetName: `${String(i).padStart(3, '0')}${'x'.repeat(61)}` });
      return stack;
    };
    const longest: Deployment = {
      partition: 'aws-us-gov',
      region: 'ap-southeast-7',
      account: ACCOUNT,
      stackName: 'x'.repeat(128),
      stackId: `arn:aws-us-gov:cloudformation:ap-southeast-7:${ACCOUNT}:stack/${'x'.repeat(128)}/1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b`,
      // The log group's name as CloudFormation generates it: <stack name>-<logical id>-<12 characters>.
      logGroupArn: `arn:aws-us-gov:logs:ap-southeast-7:${ACCOUNT}:log-group:${'x'.repeat(128)}-PinpointEmailProviderLogsFEB6F21F-AbCdEfGh1234:*`,
    };
    // The estimate counts the log group's ARN, only known once deployed, as 256 characters.
    const logGroupSlack = 256 - longest.logGroupArn.length;
    expect(logGroupSlack).toBeGreaterThanOrEqual(0);

    const isExact = (count: number) => asList(manageSets(named(count))).length === count;
    // The largest count still granted exactly, by bisection (1 is always exact, 200 never).
    let [exact, collapsed] = [1, 200];
    while (collapsed - exact > 1) {
      const middle = Math.floor((exact + collapsed) / 2);
      if (isExact(middle)) exact = middle; else collapsed = middle;
    }

    // What is kept fits at its longest, over both policies, and one more ARN would not have (the estimate may be
    // logGroupSlack short of the limit).
    const stack = named(exact);
    const size = deployedSize(stackPolicies(stack, longest));
    const oneMoreArn = `"arn:aws-us-gov:ses:ap-southeast-7:${ACCOUNT}:configuration-set/${'x'.repeat(64)}",`.length;
    expect(stackPolicies(stack, longest).map((p) => p.name)).toEqual([POLICY_NAME.handler, POLICY_NAME['configuration-set']]);
    expect(size).toBeLessThanOrEqual(estimate(stack));
    expect(estimate(stack)).toBeLessThanOrEqual(IAM_INLINE_POLICY_LIMIT);
    expect(size + oneMoreArn + logGroupSlack).toBeGreaterThan(IAM_INLINE_POLICY_LIMIT);
    expect(manageSets(named(exact + 1))).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/*',
    });
  });

  test('an ARN that no pattern can cover fails synth with the limit named', () => {
    const stack = newStack();
    const provider = PinpointEmailProvider.of(stack);
    for (let i = 0; i < 200; i++) {
      provider.grant('email-identity', 'Foreign', ['ses:GetEmailIdentity'], `arn:aws:ses:eu-west-1:210987654321:identity/sender-${i}@example-${i}.com`);
    }
    expect(() => Template.fromStack(stack)).toThrow(/over IAM's limit of 10240 characters for a role's inline policies/);
  });

  test('a name given as a parameter is counted at its longest', () => {
    const stack = newStack();
    for (let i = 0; i < 50; i++) {
      new ConfigurationSet(stack, `Set${i}`, { configurationSetName: new CfnParameter(stack, `Name${i}`).valueAsString });
    }
    // 50 parameters of up to 256 characters each could not fit: the type is granted as a pattern.
    expect(manageSets(stack)).toEqual(sesArn('configuration-set/*'));
    expect(estimate(stack)).toBeLessThan(IAM_INLINE_POLICY_LIMIT);
  });
});
