/**
 * The ConfigurationSet construct: its custom resource, the stack's one provider, least-privilege IAM, generated
 * names, validation, imports, removal policy and tags. (Tag rules themselves: test/tags.test.ts.)
 */
import { App, CfnElement, CfnParameter, CustomResource, RemovalPolicy, Resource, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ConfigurationSet, DedicatedIpPool, IDedicatedIpPool, TlsPolicy } from '../src';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const API_NAME = /^[A-Za-z0-9_-]{1,64}$/;
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

function newStack(id = 'Demo', props: StackProps = {}): Stack {
  return new Stack(new App(), id, { env: { account: ACCOUNT, region: REGION }, ...props });
}

type Json = any;

function resources(stack: Stack, type?: string): Record<string, Json> {
  const all: Record<string, Json> = Template.fromStack(stack).toJSON().Resources ?? {};
  return Object.fromEntries(Object.entries(all).filter(([, resource]) => type === undefined || resource.Type === type));
}

function logicalIdOf(set: Construct): string {
  const resource = set.node.findChild('Resource') as CustomResource;
  return Stack.of(set).getLogicalId(resource.node.defaultChild as CfnElement);
}

function resourceOf(stack: Stack, set: Construct): Json {
  return resources(stack)[logicalIdOf(set)];
}

/** A CloudFormation string expression as text: `Fn::Join` concatenated, `Ref` as `${Name}`, an `Fn::Sub` string as it is. */
function flatten(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'];
  if (value.Ref) return `\${${value.Ref}}`;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(flatten).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

interface Statement { Sid: string; Action: string | string[]; Resource: Json; Effect: string; Condition?: Json }

/** The statement that grants on the resources the stack created, by their ownership tag (src/private/handler-policy.ts). */
const OWNED_SID = 'ManageResourcesOwnedByThisStack';

function statements(stack: Stack): Statement[] {
  return Object.values(resources(stack, 'AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function sesStatements(stack: Stack): Statement[] {
  return statements(stack).filter((s) => asList(s.Action).some((action) => action.startsWith('ses:')));
}

/** Whether an IAM resource pattern (with `*`) matches an ARN. */
function iamMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(arn);
}

/** A stand-in for a dedicated IP pool of another library or an import. */
class FakePool extends Resource implements IDedicatedIpPool {
  public readonly dedicatedIpPoolName = 'transactional';
  public readonly dedicatedIpPoolArn = Stack.of(this).formatArn({ service: 'ses', resource: 'dedicated-ip-pool', resourceName: 'transactional' });
}

describe('the custom resource', () => {
  test('carries every prop, the schema version and the tags', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', {
      configurationSetName: 'transactional-mail',
      customTrackingRedirectDomain: 'links.example.com',
      dedicatedIpPool: new FakePool(stack, 'Pool'),
      tlsPolicy: TlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: false,
      tags: { team: 'mail' },
    });

    const resource = resourceOf(stack, set);
    const [handlerId] = Object.keys(resources(stack, 'AWS::Lambda::Function'));
    expect(resource.Type).toBe('Custom::PinpointEmailConfigurationSet');
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      ServiceTimeout: '660',
      SchemaVersion: '2',
      ConfigurationSetName: 'transactional-mail',
      CustomRedirectDomain: 'links.example.com',
      SendingPoolName: 'transactional',
      TlsPolicy: 'REQUIRE',
      ReputationMetricsEnabled: true,
      SendingEnabled: false,
      Tags: { team: 'mail' },
    });
    // DESTROY is CloudFormation's default for a custom resource (Delete), so the template leaves both policies out.
    expect(resource).not.toHaveProperty('DeletionPolicy');
    expect(resource).not.toHaveProperty('UpdateReplacePolicy');
  });

  test('without props carries only a generated name: unset options are left to the API defaults', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail');

    const properties = resourceOf(stack, set).Properties;
    expect(Object.keys(properties).sort()).toEqual(['ConfigurationSetName', 'SchemaVersion', 'ServiceTimeout', 'ServiceToken']);
    expect(properties.ConfigurationSetName).toMatch(API_NAME);
  });

  test('the name and ARN attributes refer to the custom resource, so consumers depend on it', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', { configurationSetName: 'mail' });
    const id = logicalIdOf(set);

    expect(stack.resolve(set.configurationSetName)).toEqual({ Ref: id });
    expect(flatten(stack.resolve(set.configurationSetArn))).toBe(`arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/\${${id}}`);
  });

  test('removalPolicy RETAIN renders DeletionPolicy and UpdateReplacePolicy Retain', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', { removalPolicy: RemovalPolicy.RETAIN });

    expect(resourceOf(stack, set)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('every custom resource has a ServiceTimeout longer than the Lambda timeout', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'A');
    new ConfigurationSet(stack, 'B', { removalPolicy: RemovalPolicy.RETAIN });
    const [fn] = Object.values(resources(stack, 'AWS::Lambda::Function'));

    const custom = Object.values(resources(stack)).filter((resource) => String(resource.Type).startsWith('Custom::'));
    expect(custom).toHaveLength(2);
    for (const resource of custom) {
      expect(Number(resource.Properties.ServiceTimeout)).toBeGreaterThan(fn.Properties.Timeout);
      expect(Number(resource.Properties.ServiceTimeout)).toBeLessThanOrEqual(3600);
    }
  });
});

describe('the provider', () => {
  test('one Lambda function, role and log group serve three configuration sets in a stack', () => {
    const stack = newStack();
    const sets = [new ConfigurationSet(stack, 'A'), new ConfigurationSet(stack, 'B'), new ConfigurationSet(stack, 'C', { configurationSetName: 'c' })];

    const functions = resources(stack, 'AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(1);
    expect(Object.keys(resources(stack, 'AWS::IAM::Role'))).toHaveLength(1);
    expect(Object.keys(resources(stack, 'AWS::Logs::LogGroup'))).toHaveLength(1);
    const [handlerId] = Object.keys(functions);
    for (const set of sets) {
      expect(resourceOf(stack, set).Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });
    }
  });

  test('sets in nested constructs share the stack provider; each stack has its own', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    new ConfigurationSet(new Construct(first, 'Group'), 'A');
    new ConfigurationSet(new Construct(new Construct(first, 'Other'), 'Deeper'), 'B');
    new ConfigurationSet(second, 'C');

    expect(Object.keys(resources(first, 'AWS::Lambda::Function'))).toHaveLength(1);
    expect(Object.keys(resources(second, 'AWS::Lambda::Function'))).toHaveLength(1);
  });

  test('the Lambda function is nodejs24.x on arm64, logging to a log group with a retention', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Mail');

    const [fn] = Object.values(resources(stack, 'AWS::Lambda::Function'));
    const [logGroupId, logGroup] = Object.entries(resources(stack, 'AWS::Logs::LogGroup'))[0];
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 600,
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });
});

describe('IAM', () => {
  function stackWithSets(): Stack {
    const stack = newStack();
    new ConfigurationSet(stack, 'Generated');
    new ConfigurationSet(stack, 'AlsoGenerated');
    new ConfigurationSet(stack, 'Named', { configurationSetName: 'named-set' });
    new ConfigurationSet(stack, 'Pooled', { configurationSetName: 'pooled-set', dedicatedIpPool: new FakePool(stack, 'Pool') });
    return stack;
  }

  test('never grants ses:* or a wildcard action, and never Resource "*" for Pinpoint Email actions', () => {
    const stack = stackWithSets();

    const ses = sesStatements(stack);
    expect(ses.length).toBeGreaterThan(0);
    for (const statement of ses) {
      for (const action of asList(statement.Action)) {
        expect(action).toMatch(/^ses:[A-Za-z]+$/);
      }
      for (const resource of asList(statement.Resource)) {
        expect(resource).not.toBe('*');
        expect(flatten(resource)).toMatch(/^arn:\$\{AWS::Partition\}:ses:us-east-1:123456789012:(configuration-set|dedicated-ip-pool)\/[^*]*\*?$/);
        // A whole type only where the ownership tag limits it to the resources the stack created.
        if (flatten(resource).endsWith('/*')) {
          expect(statement.Sid).toBe(OWNED_SID);
          expect(Object.keys(statement.Condition.StringLike)).toEqual(['aws:ResourceTag/cdk-pinpoint-email:owner']);
        }
      }
    }
    expect(statements(stack).filter((s) => asList(s.Resource).includes('*'))).toEqual([]);
  });

  test('grants exactly the configuration set actions, on the stack name pattern and the declared names', () => {
    const stack = stackWithSets();

    const [manage] = sesStatements(stack).filter((s) => asList(s.Action).includes('ses:DeleteConfigurationSet'));
    expect(manage.Effect).toBe('Allow');
    expect([...asList(manage.Action)].sort()).toEqual([...CONFIGURATION_SET_ACTIONS].sort());
    expect(asList(manage.Resource).map(flatten).sort()).toEqual([
      // sha256("Demo") starts with 8a2cc0.
      `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/Demo-8a2cc0-*`,
      `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/named-set`,
      `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/pooled-set`,
    ]);
  });

  test('every generated name is covered by the granted pattern', () => {
    const stack = stackWithSets();
    const [manage] = sesStatements(stack).filter((s) => asList(s.Action).includes('ses:DeleteConfigurationSet'));
    const patterns = asList(manage.Resource).map(flatten);

    for (const resource of Object.values(resources(stack, 'Custom::PinpointEmailConfigurationSet'))) {
      const arn = `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/${resource.Properties.ConfigurationSetName}`;
      expect(patterns.some((pattern) => iamMatches(pattern, arn))).toBe(true);
    }
  });

  test('a dedicated IP pool adds its ARN for the two actions that name a pool, and the owned pools for a rollback', () => {
    const stack = stackWithSets();

    const poolStatements = sesStatements(stack).filter((s) => asList(s.Resource).some((r) => flatten(r).includes(':dedicated-ip-pool/')));
    expect(poolStatements.map((s) => s.Sid)).toEqual(['SendThroughDedicatedIpPools', OWNED_SID]);
    expect([...asList(poolStatements[0].Action)].sort()).toEqual(['ses:CreateConfigurationSet', 'ses:PutConfigurationSetDeliveryOptions']);
    expect(asList(poolStatements[0].Resource).map(flatten)).toEqual([
      `arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/transactional`,
    ]);
    // The pool a rollback puts back may be one the update removed: granted by its ownership tag, never for a create.
    expect(asList(poolStatements[1].Resource).map(flatten)).toContain(`arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:dedicated-ip-pool/*`);
    expect(asList(poolStatements[1].Action)).toContain('ses:PutConfigurationSetDeliveryOptions');
    expect(asList(poolStatements[1].Action)).not.toContain('ses:CreateConfigurationSet');
  });

  test('the policy never refers to a custom resource (it would depend on what its own handler creates)', () => {
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
    new ConfigurationSet(stack, 'Mail', { dedicatedIpPool: pool });

    const customIds = Object.keys(resources(stack)).filter((id) => String(resources(stack)[id].Type).startsWith('Custom::'));
    expect(customIds).toHaveLength(2);
    const policies = JSON.stringify(resources(stack, 'AWS::IAM::Policy'));
    for (const id of customIds) expect(policies).not.toContain(`"${id}"`);
  });

  test('a set that sends through a pool of this library names it by Ref, which orders it, without a redundant DependsOn', () => {
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
    const set = new ConfigurationSet(stack, 'Mail', { dedicatedIpPool: pool });

    const poolId = logicalIdOf(pool);
    const resource = resourceOf(stack, set);
    expect(resource.Properties.SendingPoolName).toEqual({ Ref: poolId });
    expect(resource.DependsOn ?? []).not.toContain(poolId);
  });
});

describe('generated names', () => {
  function generatedNames(stack: Stack): string[] {
    return Object.values(resources(stack, 'Custom::PinpointEmailConfigurationSet')).map((r) => r.Properties.ConfigurationSetName);
  }

  test('start with the stack name and are valid for the API', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Mail');

    const [name] = generatedNames(stack);
    expect(name).toMatch(API_NAME);
    expect(name.startsWith('Demo-8a2cc0-Mail')).toBe(true);
  });

  test('are valid and unique for ids that sanitize alike, long ids, deep paths and equal tails', () => {
    const stack = newStack();
    for (const id of ['My Set', 'My_Set', 'My.Set', 'MySet', 'my-set', 'ÜnïcødeSet', '***']) new ConfigurationSet(stack, id);
    let deep: Construct = stack;
    for (let level = 0; level < 8; level++) deep = new Construct(deep, `Level${level}-${'x'.repeat(60)}`);
    new ConfigurationSet(deep, 'Deep');
    new ConfigurationSet(deep, 'y'.repeat(200));
    new ConfigurationSet(new Construct(stack, 'A'), 'z'.repeat(100));
    new ConfigurationSet(new Construct(stack, 'B'), 'z'.repeat(100));

    const names = generatedNames(stack);
    expect(names).toHaveLength(11);
    for (const name of names) expect(name).toMatch(API_NAME);
    expect(new Set(names).size).toBe(names.length);
  });

  test('are valid and unique for a 128-character stack name, and differ between stacks whose names share a long prefix', () => {
    const app = new App();
    const longA = `S${'a'.repeat(121)}-One-1`;
    const longB = `S${'a'.repeat(121)}-Two-2`;
    expect(longA).toHaveLength(128);
    const stacks = [new Stack(app, 'First', { stackName: longA }), new Stack(app, 'Second', { stackName: longB })];
    for (const stack of stacks) {
      new ConfigurationSet(stack, 'Mail');
      new ConfigurationSet(new Construct(stack, 'Nested'.repeat(20)), 'Mail'.repeat(30));
    }

    const names = stacks.flatMap(generatedNames);
    for (const name of names) expect(name).toMatch(API_NAME);
    expect(new Set(names).size).toBe(4);
  });

  test('are stable: the same path gives the same name in another synthesis', () => {
    const names = [0, 1].map(() => {
      const stack = newStack();
      new ConfigurationSet(new Construct(stack, 'Group'), 'Mail');
      return generatedNames(stack)[0];
    });
    expect(names[0]).toBe(names[1]);
  });
});

describe('name validation', () => {
  test.each([
    ['a', 'one character'],
    ['x'.repeat(64), '64 characters'],
    ['Az09_-', 'every allowed character class'],
  ])('accepts %s (%s)', (name) => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Mail', { configurationSetName: name });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test.each([
    ['', 'empty'],
    ['x'.repeat(65), '65 characters'],
    ['has space', 'a space'],
    ['dot.name', 'a dot'],
    ['ünïcode', 'non-ASCII letters'],
    ['a/b', 'a slash'],
  ])('rejects "%s" (%s), naming the construct path and the prop', (name) => {
    const stack = newStack();
    new ConfigurationSet(new Construct(stack, 'Group'), 'Mail', { configurationSetName: name });
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(`Validation failed[\\s\\S]*\\[Demo/Group/Mail\\] configurationSetName "${escaped}" is invalid`));
  });

  test('lists every problem of every construct at once', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'One', { configurationSetName: 'bad one' });
    new ConfigurationSet(stack, 'Two', { configurationSetName: 'bad two', tags: { 'aws:x': 'y' } });

    let message = '';
    try {
      Template.fromStack(stack);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('[Demo/One] configurationSetName "bad one"');
    expect(message).toContain('[Demo/Two] configurationSetName "bad two"');
    expect(message).toContain('[Demo/Two] tags: tag key "aws:x"');
  });

  test('unresolved tokens are not validated and reach the template and the policy', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'SetName');
    new ConfigurationSet(stack, 'Mail', { configurationSetName: name.valueAsString });

    const [resource] = Object.values(resources(stack, 'Custom::PinpointEmailConfigurationSet'));
    expect(resource.Properties.ConfigurationSetName).toEqual({ Ref: 'SetName' });
    const [manage] = sesStatements(stack);
    expect(asList(manage.Resource).map(flatten)).toEqual([`arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/\${SetName}`]);
  });
});

describe('imports', () => {
  test('fromConfigurationSetName gives the name and the ARN in the stack environment', () => {
    const stack = newStack();
    const imported = ConfigurationSet.fromConfigurationSetName(stack, 'Existing', 'my-set');

    expect(imported.configurationSetName).toBe('my-set');
    expect(flatten(stack.resolve(imported.configurationSetArn))).toBe(`arn:\${AWS::Partition}:ses:${REGION}:${ACCOUNT}:configuration-set/my-set`);
  });

  test('fromConfigurationSetArn gives the name, the ARN unchanged and the environment of the ARN', () => {
    const stack = newStack();
    const arn = 'arn:aws:ses:eu-west-1:111122223333:configuration-set/my-set';
    const imported = ConfigurationSet.fromConfigurationSetArn(stack, 'ByArn', arn);

    expect(imported.configurationSetName).toBe('my-set');
    expect(imported.configurationSetArn).toBe(arn);
    expect(imported.env).toEqual({ account: '111122223333', region: 'eu-west-1' });
  });

  test('fromConfigurationSetArn accepts a token and rejects an ARN without a name', () => {
    const stack = newStack();
    const tokenArn = new CfnParameter(stack, 'SetArn').valueAsString;
    const imported = ConfigurationSet.fromConfigurationSetArn(stack, 'ByToken', tokenArn);
    expect(JSON.stringify(stack.resolve(imported.configurationSetName))).toContain('SetArn');

  });

  test.each([
    ['no name', 'arn:aws:ses:eu-west-1:111122223333:configuration-set', 'has no configuration set name'],
    ['not an ARN', 'my-set', 'is not an ARN'],
    ['another resource type', 'arn:aws:ses:eu-west-1:111122223333:identity/example.com', 'is not an ARN of resource type configuration-set'],
  ])('fromConfigurationSetArn with %s fails synthesis through validation, naming the construct and the argument', (_what, arn, why) => {
    const stack = newStack();
    expect(() => ConfigurationSet.fromConfigurationSetArn(stack, 'Bad', arn)).not.toThrow();
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      `Validation failed[\\s\\S]*\\[Demo/Bad\\] configurationSetArn "${arn}" ${why} \\(expected arn:<partition>:ses:<region>:<account>:configuration-set/<configuration set name>\\)`));
  });

  test('imports add no resource and no permission', () => {
    const stack = newStack();
    ConfigurationSet.fromConfigurationSetName(stack, 'Existing', 'my-set');
    expect(Object.keys(resources(stack))).toEqual([]);
  });
});

describe('tags', () => {
  function tagsOf(stack: Stack, set: Construct): Json {
    return resourceOf(stack, set).Properties.Tags;
  }

  test('Tags.of(scope) is merged with the tags prop', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', { tags: { team: 'mail' } });
    Tags.of(stack).add('app', 'demo');
    Tags.of(set).add('cost-center', '42');

    expect(tagsOf(stack, set)).toEqual({ 'app': 'demo', 'cost-center': '42', 'team': 'mail' });
  });

  test('on the same key, Tags.of wins over the prop, as on aws-cdk-lib L1 resources', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', { tags: { team: 'from-prop' } });
    Tags.of(stack).add('team', 'from-aspect');

    expect(tagsOf(stack, set)).toEqual({ team: 'from-aspect' });
  });

  test('Tags.of respects includeResourceTypes / excludeResourceTypes with the custom resource type', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail');
    Tags.of(stack).add('excluded', 'x', { excludeResourceTypes: ['Custom::PinpointEmailConfigurationSet'] });
    Tags.of(stack).add('only-sets', 'y', { includeResourceTypes: ['Custom::PinpointEmailConfigurationSet'] });

    expect(tagsOf(stack, set)).toEqual({ 'only-sets': 'y' });
  });

  test('Tags.of on one set does not reach another', () => {
    const stack = newStack();
    const tagged = new ConfigurationSet(stack, 'Tagged');
    const other = new ConfigurationSet(stack, 'Other');
    Tags.of(tagged).add('only', 'here');

    expect(tagsOf(stack, tagged)).toEqual({ only: 'here' });
    expect(tagsOf(stack, other)).toBeUndefined();
  });

  test('a value from a token stays in the map, as its intrinsic', () => {
    const stack = newStack();
    const stage = new CfnParameter(stack, 'Stage');
    const set = new ConfigurationSet(stack, 'Mail', { tags: { stage: stage.valueAsString } });

    expect(tagsOf(stack, set)).toEqual({ stage: { Ref: 'Stage' } });
  });

  // A template's map cannot carry these keys as they are: they keep the list of schema version 1, which the handler reads.
  test.each([
    ['__proto__, which aws-cdk-lib\'s resolution drops from a map', '__proto__'],
    ['Ref, which would make the map a function call', 'Ref'],
    ['Condition', 'Condition'],
    ['a function\'s name (Fn::Sub)', 'Fn::Sub'],
  ])('a key %s: every tag is rendered as the list of {Key, Value}', (_what, key) => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Mail', { tags: { team: 'mail' } });
    Tags.of(set).add(key, 'x');

    expect(tagsOf(stack, set)).toEqual([{ Key: key, Value: 'x' }, { Key: 'team', Value: 'mail' }]); // sorted by key
  });

  test('a key from a token: every tag is rendered as the list of {Key, Value}', () => {
    const stack = newStack();
    const key = new CfnParameter(stack, 'TagKey');
    const set = new ConfigurationSet(stack, 'Mail', { tags: { team: 'mail' } });
    Tags.of(set).add(key.valueAsString, 'x');

    expect(tagsOf(stack, set)).toEqual([{ Key: { Ref: 'TagKey' }, Value: 'x' }, { Key: 'team', Value: 'mail' }]);
  });
});
