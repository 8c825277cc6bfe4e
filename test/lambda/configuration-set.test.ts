/**
 * The configuration set lifecycle, driven through the real `handler` with CloudFormation events: every API call is
 * matched strictly (operation, order and complete input).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AlreadyExistsException,
  BadRequestException,
  CreateConfigurationSetCommand,
  DeleteConfigurationSetCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PinpointEmailClient,
  PutConfigurationSetReputationOptionsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, fakeContext, FOREIGN_OWNER_TAG, HandlerHarness, OWNER_TAG, ownerTagOf, SENT_OWNER_TAG, STACK_ID, updateEvent } from './harness';
import { takenFlag } from '../../lambda/ownership';
import { ConfigurationSetProperties, SCHEMA_VERSION, TagProperty } from '../../src/private/contract';

const NAME = 'Demo-MailSet1A2B3C4D';
const ARN = `arn:aws:ses:us-east-1:123456789012:configuration-set/${NAME}`;
const CREATE_FAILED = /^cdk-pinpoint-email:create-failed:/;

const pinpoint = mockClient(PinpointEmailClient);
const cloudFormation = mockClient(CloudFormationClient);
const harness = new HandlerHarness();

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  pinpoint.onAnyCommand().resolves({});
  cloudFormation.reset();
  cloudFormation.onAnyCommand().rejects(new Error('DescribeStacks is not expected here'));
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

/** Properties as the construct renders them. */
function setProps(overrides: Partial<ConfigurationSetProperties> = {}): ConfigurationSetProperties {
  return { SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: NAME, ...overrides };
}

function tagList(tags: Record<string, string>): TagProperty[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

const ALL_OPTIONS: Partial<ConfigurationSetProperties> = {
  CustomRedirectDomain: 'links.example.com',
  SendingPoolName: 'transactional',
  TlsPolicy: 'REQUIRE',
  ReputationMetricsEnabled: true,
  SendingEnabled: false,
  Tags: tagList({ 'team': 'mail', 'cost center': '4/2 = +1', 'empty': '' }),
};

/** Every call the handler sent, in order, as `{ Operation: input }`; tag lists sorted (their order means nothing). */
function apiCalls(): Array<Record<string, unknown>> {
  return pinpoint.calls().map((call) => {
    const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    const input = { ...command.input };
    if (Array.isArray(input.Tags)) input.Tags = [...(input.Tags as TagProperty[])].sort((a, b) => a.Key.localeCompare(b.Key));
    if (Array.isArray(input.TagKeys)) input.TagKeys = [...(input.TagKeys as string[])].sort();
    return { [command.constructor.name.replace(/Command$/, '')]: input };
  });
}

function sortedTags(tags: Record<string, string>): TagProperty[] {
  return tagList(tags).sort((a, b) => a.Key.localeCompare(b.Key));
}

describe('Create', () => {
  test('sends exactly one CreateConfigurationSet carrying every option and the tags, the ownership tag included', async () => {
    const { body } = await harness.run(createEvent(setProps(ALL_OPTIONS)));

    expect(apiCalls()).toEqual([{
      CreateConfigurationSet: {
        ConfigurationSetName: NAME,
        TrackingOptions: { CustomRedirectDomain: 'links.example.com' },
        DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'transactional' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: false },
        Tags: sortedTags({ 'team': 'mail', 'cost center': '4/2 = +1', 'empty': '', [SENT_OWNER_TAG.Key]: SENT_OWNER_TAG.Value }),
      },
    }]);
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: NAME,
      Data: { ConfigurationSetName: NAME, Arn: ARN },
    });
  });

  test('without options sends only the name and the ownership tag', async () => {
    const { body } = await harness.run(createEvent(setProps()));

    expect(apiCalls()).toEqual([{ CreateConfigurationSet: { ConfigurationSetName: NAME, Tags: [SENT_OWNER_TAG] } }]);
    expect(body.Status).toBe('SUCCESS');
  });

  test('decodes booleans that arrive as strings ("true", "false"), as CloudFormation sends them', async () => {
    const event = createEvent(setProps());
    event.ResourceProperties = { ...event.ResourceProperties, ReputationMetricsEnabled: 'true', SendingEnabled: 'false' };

    await harness.run(event);

    expect(apiCalls()).toEqual([{
      CreateConfigurationSet: {
        ConfigurationSetName: NAME,
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: false },
        Tags: [SENT_OWNER_TAG],
      },
    }]);
  });

  test('also decodes real booleans, as the construct renders them', async () => {
    const event = createEvent(setProps());
    event.ResourceProperties = { ...event.ResourceProperties, ReputationMetricsEnabled: false, SendingEnabled: true };

    await harness.run(event);

    expect(apiCalls()).toEqual([{
      CreateConfigurationSet: {
        ConfigurationSetName: NAME,
        ReputationOptions: { ReputationMetricsEnabled: false },
        SendingOptions: { SendingEnabled: true },
        Tags: [SENT_OWNER_TAG],
      },
    }]);
  });

  test.each([
    ['no ownership tag', [{ Key: 'team', Value: 'mail' }]],
    ['another stack\'s ownership tag', [FOREIGN_OWNER_TAG]],
  ])('AlreadyExistsException on a set with %s fails with how to import the set, and nothing is adopted', async (_what, liveTags) => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new AlreadyExistsException({ message: 'Configuration set already exists', $metadata: { httpStatusCode: 400 } }));
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: liveTags });

    const { body } = await harness.run(createEvent(setProps(ALL_OPTIONS)));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(`Configuration set "${NAME}"`);
    expect(body.Reason).toContain(`fromConfigurationSetName(this, 'Imported', '${NAME}')`);
    expect(body.PhysicalResourceId).toMatch(CREATE_FAILED);
    expect(body.PhysicalResourceId).not.toBe(NAME); // the Delete of the rollback must not touch the existing set
    expect(apiCalls().map((call) => Object.keys(call)[0])).toEqual(['CreateConfigurationSet', 'ListTagsForResource']);
    expect(apiCalls()[1]).toEqual({ ListTagsForResource: { ResourceArn: ARN } });
  });

  test('AlreadyExistsException on a set that this very request created (a retried create) succeeds with its name, changing nothing', async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new AlreadyExistsException({ message: 'Configuration set already exists', $metadata: { httpStatusCode: 400 } }));
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'team', Value: 'mail' }, ownerTagOf('retried')] });

    const { body } = await harness.run(createEvent(setProps(ALL_OPTIONS), { requestId: 'retried' }));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME, Data: { ConfigurationSetName: NAME, Arn: ARN } });
    expect(apiCalls().map((call) => Object.keys(call)[0])).toEqual(['CreateConfigurationSet', 'ListTagsForResource']);
  });

  test('AlreadyExistsException on a set of this resource from an earlier request (a leftover) fails the create, changing nothing', async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new AlreadyExistsException({ message: 'Configuration set already exists', $metadata: { httpStatusCode: 400 } }));
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [ownerTagOf('long-ago')] });

    const { body } = await harness.run(createEvent(setProps(ALL_OPTIONS)));

    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toMatch(CREATE_FAILED);
    expect(body.Reason).toContain('carries this stack resource\'s ownership tag from before: it was left in the account by RemovalPolicy.RETAIN');
    expect(apiCalls().map((call) => Object.keys(call)[0])).toEqual(['CreateConfigurationSet', 'ListTagsForResource']);
  });

  test('a BadRequestException fails at once with the API message and the resource named, without a stack trace', async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new BadRequestException({ message: 'CustomRedirectDomain is not a valid domain', $metadata: { httpStatusCode: 400 } }));

    const { body } = await harness.run(createEvent(setProps({ CustomRedirectDomain: 'not a domain' })));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(`Configuration set "${NAME}"`);
    expect(body.Reason).toContain('BadRequestException: CustomRedirectDomain is not a valid domain');
    expect(body.Reason).not.toMatch(/\n\s{4}at /);
    expect(body.Reason).not.toContain('gave up');
    expect(apiCalls()).toHaveLength(1);
  });

  test('tag keys named like Object.prototype members ("__proto__", "constructor") are sent like any other', async () => {
    await harness.run(createEvent(setProps({ Tags: [{ Key: '__proto__', Value: 'x' }, { Key: 'constructor', Value: 'y' }] })));

    expect(apiCalls()).toEqual([{
      CreateConfigurationSet: { ConfigurationSetName: NAME, Tags: sortedTags({ ...JSON.parse('{"__proto__": "x"}'), constructor: 'y', [SENT_OWNER_TAG.Key]: SENT_OWNER_TAG.Value }) },
    }]);
  });

  test('the Data ARN uses the partition, region and account of the invoked function', async () => {
    const context = fakeContext({ functionArn: 'arn:aws-cn:lambda:cn-north-1:111122223333:function:handler' });

    const { body } = await harness.run(createEvent(setProps()), context);

    expect(body.Data).toEqual({
      ConfigurationSetName: NAME,
      Arn: `arn:aws-cn:ses:cn-north-1:111122223333:configuration-set/${NAME}`,
    });
  });
});

describe('Update in place', () => {
  test('tags only: one UntagResource and one TagResource with exactly the changed keys, no read', async () => {
    const before = setProps({ ...ALL_OPTIONS, Tags: tagList({ team: 'mail', stage: 'dev', retired: 'yes', same: 'x' }) });
    const after = setProps({ ...ALL_OPTIONS, Tags: tagList({ team: 'mail', stage: 'prod', added: '', same: 'x' }) });

    const { body } = await harness.run(updateEvent(NAME, after, before));

    expect(apiCalls()).toEqual([
      { UntagResource: { ResourceArn: ARN, TagKeys: ['retired'] } },
      { TagResource: { ResourceArn: ARN, Tags: sortedTags({ stage: 'prod', added: '' }) } },
    ]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME, Data: { ConfigurationSetName: NAME, Arn: ARN } });
  });

  test('only added tags: no UntagResource', async () => {
    await harness.run(updateEvent(NAME, setProps({ Tags: tagList({ team: 'mail', added: 'yes' }) }), setProps({ Tags: tagList({ team: 'mail' }) })));

    expect(apiCalls()).toEqual([
      { TagResource: { ResourceArn: ARN, Tags: [{ Key: 'added', Value: 'yes' }] } },
    ]);
  });

  test('only removed tags: one UntagResource with every removed key (the API ignores keys already gone), no TagResource', async () => {
    const before = setProps({ Tags: tagList({ team: 'mail', old: '1', gone: '2' }) });

    await harness.run(updateEvent(NAME, setProps({ Tags: tagList({ team: 'mail' }) }), before));

    expect(apiCalls()).toEqual([
      { UntagResource: { ResourceArn: ARN, TagKeys: ['gone', 'old'] } },
    ]);
  });

  test('aws: keys are never set or removed, even when they appear in the properties: no call at all', async () => {
    const before = setProps({ Tags: tagList({ 'aws:legacy': 'x', 'AWS:Upper': 'y', 'keep': '1' }) });
    const after = setProps({ Tags: tagList({ 'keep': '1', 'aws:new': 'z' }) });

    const { body } = await harness.run(updateEvent(NAME, after, before));

    expect(apiCalls()).toEqual([]);
    expect(body.Status).toBe('SUCCESS');
  });

  test('a removed tag named like an Object.prototype member is untagged', async () => {
    await harness.run(updateEvent(NAME, setProps({ Tags: tagList({ team: 'mail' }) }), setProps({ Tags: tagList({ constructor: 'a', team: 'mail' }) })));

    expect(apiCalls()).toEqual([
      { UntagResource: { ResourceArn: ARN, TagKeys: ['constructor'] } },
    ]);
  });

  test('tags set by someone else are left alone: only the added managed key is written, nothing is untagged', async () => {
    await harness.run(updateEvent(NAME, setProps({ Tags: tagList({ team: 'mail' }) }), setProps()));

    expect(apiCalls()).toEqual([
      { TagResource: { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'mail' }] } },
    ]);
  });

  const changes: Array<[string, Partial<ConfigurationSetProperties>, Partial<ConfigurationSetProperties>, Record<string, unknown>]> = [
    ['TLS policy', { TlsPolicy: 'OPTIONAL', SendingPoolName: 'pool-a' }, { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' },
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: NAME, TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' } }],
    ['sending pool', { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' }, { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-b' },
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: NAME, TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-b' } }],
    ['reputation metrics', { ReputationMetricsEnabled: false }, { ReputationMetricsEnabled: true },
      { PutConfigurationSetReputationOptions: { ConfigurationSetName: NAME, ReputationMetricsEnabled: true } }],
    ['sending', { SendingEnabled: true }, { SendingEnabled: false },
      { PutConfigurationSetSendingOptions: { ConfigurationSetName: NAME, SendingEnabled: false } }],
    ['tracking domain', { CustomRedirectDomain: 'a.example.com' }, { CustomRedirectDomain: 'b.example.com' },
      { PutConfigurationSetTrackingOptions: { ConfigurationSetName: NAME, CustomRedirectDomain: 'b.example.com' } }],
  ];
  test.each(changes)('a change of the %s calls only its Put operation', async (_name, before, after, expected) => {
    const tags = { Tags: tagList({ team: 'mail' }) };
    const { body } = await harness.run(updateEvent(NAME, setProps({ ...after, ...tags }), setProps({ ...before, ...tags })));

    expect(apiCalls()).toEqual([expected]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  });

  const removals: Array<[string, Partial<ConfigurationSetProperties>, Partial<ConfigurationSetProperties>, Record<string, unknown>]> = [
    ['TLS policy', { TlsPolicy: 'REQUIRE' }, {},
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: NAME, TlsPolicy: 'OPTIONAL' } }],
    ['sending pool', { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' }, { TlsPolicy: 'REQUIRE' },
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: NAME, TlsPolicy: 'REQUIRE' } }],
    ['reputation metrics', { ReputationMetricsEnabled: true }, {},
      { PutConfigurationSetReputationOptions: { ConfigurationSetName: NAME, ReputationMetricsEnabled: false } }],
    ['sending', { SendingEnabled: false }, {},
      { PutConfigurationSetSendingOptions: { ConfigurationSetName: NAME, SendingEnabled: true } }],
    ['tracking domain', { CustomRedirectDomain: 'a.example.com' }, {},
      { PutConfigurationSetTrackingOptions: { ConfigurationSetName: NAME } }],
  ];
  test.each(removals)('removing the %s restores the API default with one Put', async (_name, before, after, expected) => {
    await harness.run(updateEvent(NAME, setProps(after), setProps(before)));

    expect(apiCalls()).toEqual([expected]);
  });

  test('stating the API defaults explicitly changes nothing and makes no call', async () => {
    const explicitDefaults = setProps({ TlsPolicy: 'OPTIONAL', ReputationMetricsEnabled: false, SendingEnabled: true });

    const { body } = await harness.run(updateEvent(NAME, explicitDefaults, setProps()));

    expect(apiCalls()).toEqual([]);
    expect(body.Status).toBe('SUCCESS');
  });

  test('a no-op update (same old and new properties) makes zero calls and still returns the attributes', async () => {
    const { body } = await harness.run(updateEvent(NAME, setProps(ALL_OPTIONS), setProps(ALL_OPTIONS)));

    expect(apiCalls()).toEqual([]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME, Data: { ConfigurationSetName: NAME, Arn: ARN } });
  });

  test('an option and the tags changed together: the Put, then the tag reconciliation', async () => {
    await harness.run(updateEvent(NAME,
      setProps({ ReputationMetricsEnabled: true, Tags: tagList({ team: 'email' }) }),
      setProps({ Tags: tagList({ team: 'mail' }) })));

    expect(apiCalls()).toEqual([
      { PutConfigurationSetReputationOptions: { ConfigurationSetName: NAME, ReputationMetricsEnabled: true } },
      { TagResource: { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'email' }] } },
    ]);
  });

  test('a set deleted outside CloudFormation fails the update with a clear message', async () => {
    pinpoint.on(PutConfigurationSetReputationOptionsCommand).rejects(
      new NotFoundException({ message: `Configuration set ${NAME} does not exist`, $metadata: { httpStatusCode: 404 } }));

    const { body } = await harness.run(updateEvent(NAME, setProps({ ReputationMetricsEnabled: true }), setProps()));

    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe(NAME);
    expect(body.Reason).toContain(`Configuration set "${NAME}"`);
    expect(body.Reason).toContain('NotFoundException');
    expect(body.Reason).toContain('deleted outside CloudFormation');
    expect(apiCalls()).toHaveLength(1);
  });
  test('a set deleted outside CloudFormation fails a tags-only update at the first tag write, with the hint', async () => {
    pinpoint.on(UntagResourceCommand).rejects(
      new NotFoundException({ message: `Configuration set ${NAME} does not exist`, $metadata: { httpStatusCode: 404 } }));

    const { body } = await harness.run(updateEvent(NAME,
      setProps({ Tags: tagList({ team: 'ops' }) }), setProps({ Tags: tagList({ team: 'mail', old: '1' }) })));

    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe(NAME);
    expect(body.Reason).toContain(`Configuration set "${NAME}"`);
    expect(body.Reason).toContain('NotFoundException: Configuration set Demo-MailSet1A2B3C4D does not exist');
    expect(body.Reason).toContain('(if it was deleted outside CloudFormation, remove it from the stack or rename it to create a new one)');
    expect(apiCalls()).toEqual([{ UntagResource: { ResourceArn: ARN, TagKeys: ['old'] } }]);
  });
});

describe('schema versions', () => {
  // Version 1 rendered Tags as a list of {Key, Value}, version 2 as a map: an upgrade sends every resource an update.
  const v1 = (tags: Record<string, string>) => ({ ...setProps(ALL_OPTIONS), SchemaVersion: '1', Tags: tagList(tags) });
  const v2 = (tags: Record<string, string>) => ({ ...setProps(ALL_OPTIONS), SchemaVersion: '2', Tags: tags });
  const TAGS = { 'team': 'mail', 'cost center': '4/2 = +1', 'empty': '' };

  test('the upgrade from version 1 to 2, with the same options and tags, makes no call', async () => {
    const { body } = await harness.run(updateEvent(NAME, v2(TAGS), v1(TAGS)));

    expect(apiCalls()).toEqual([]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  });

  test('its rollback (version 2 old, version 1 new) makes no call either', async () => {
    const { body } = await harness.run(updateEvent(NAME, v1(TAGS), v2(TAGS)));

    expect(apiCalls()).toEqual([]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  });

  test('across the versions, only the tags that differ are written', async () => {
    await harness.run(updateEvent(NAME, v2({ team: 'mail', stage: 'prod', added: '' }), v1({ team: 'mail', stage: 'dev', retired: 'yes' })));

    expect(apiCalls()).toEqual([
      { UntagResource: { ResourceArn: ARN, TagKeys: ['retired'] } },
      { TagResource: { ResourceArn: ARN, Tags: sortedTags({ stage: 'prod', added: '' }) } },
    ]);
  });
});

describe('Update with a new name (replacement)', () => {
  const OLD_NAME = 'Demo-OldName00000000';

  test('creates the new set fully and returns its new physical id, without deleting the old one', async () => {
    const before = setProps({ ConfigurationSetName: OLD_NAME, ReputationMetricsEnabled: true, Tags: tagList({ team: 'old' }) });
    const after = setProps(ALL_OPTIONS);

    const { body } = await harness.run(updateEvent(OLD_NAME, after, before));

    expect(apiCalls()).toEqual([{
      CreateConfigurationSet: {
        ConfigurationSetName: NAME,
        TrackingOptions: { CustomRedirectDomain: 'links.example.com' },
        DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'transactional' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: false },
        Tags: sortedTags({ 'team': 'mail', 'cost center': '4/2 = +1', 'empty': '', [SENT_OWNER_TAG.Key]: SENT_OWNER_TAG.Value }),
      },
    }]);
    expect(pinpoint.commandCalls(DeleteConfigurationSetCommand)).toHaveLength(0); // CloudFormation sends the Delete later
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME, Data: { ConfigurationSetName: NAME, Arn: ARN } });
  });

  test('a new name that already exists fails, keeps the old physical id and adopts nothing', async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new AlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }));

    const { body } = await harness.run(updateEvent(OLD_NAME, setProps(), setProps({ ConfigurationSetName: OLD_NAME })));

    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe(OLD_NAME);
    expect(body.Reason).toContain('fromConfigurationSetName');
    expect(apiCalls().map((call) => Object.keys(call)[0])).toEqual(['CreateConfigurationSet', 'ListTagsForResource']);
  });

  test('the rollback of a rename (old name back, new physical id) takes back the old set, every option put and the tags reconciled with the live ones', async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(
      new AlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }));
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [ownerTagOf('earlier')] });
    const oldProps = setProps({ ConfigurationSetName: OLD_NAME });

    const { body } = await harness.run(updateEvent(NAME, oldProps, setProps(), { requestId: 'rollback' }));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: OLD_NAME });
    const oldArn = `arn:aws:ses:us-east-1:123456789012:configuration-set/${OLD_NAME}`;
    expect(apiCalls()).toEqual([
      { CreateConfigurationSet: { ConfigurationSetName: OLD_NAME, Tags: [SENT_OWNER_TAG] } },
      { ListTagsForResource: { ResourceArn: oldArn } },
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: OLD_NAME, TlsPolicy: 'OPTIONAL' } },
      { PutConfigurationSetReputationOptions: { ConfigurationSetName: OLD_NAME, ReputationMetricsEnabled: false } },
      { PutConfigurationSetSendingOptions: { ConfigurationSetName: OLD_NAME, SendingEnabled: true } },
      { PutConfigurationSetTrackingOptions: { ConfigurationSetName: OLD_NAME } },
      { TagResource: { ResourceArn: oldArn, Tags: [ownerTagOf('rollback', takenFlag(NAME))] } },
      { ListTagsForResource: { ResourceArn: ARN } },
    ]);
  });
});

describe('the rename back of a take-back', () => {
  /** set-b is taken back from NAME, which was itself taken back from set-b: by this deploy, or by an earlier one. */
  const renameBack = async () => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }));
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [ownerTagOf('earlier', takenFlag('set-b'))] });
    const { body } = await harness.run(updateEvent(NAME, setProps({ ConfigurationSetName: 'set-b' }), setProps()));
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'set-b' });
    return pinpoint.commandCalls(TagResourceCommand).map((c) => c.args[0].input)
      .filter((input) => input.ResourceArn === ARN).map((input) => input.Tags?.[0]?.Value);
  };
  const stackIs = (status: string) => cloudFormation.on(DescribeStacksCommand, { StackName: STACK_ID })
    .resolves({ Stacks: [{ StackName: 'Demo', StackStatus: status as any, CreationTime: new Date() }] });

  test('while the stack rolls back, the resource it moves from existed before that take-back: released', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    expect(await renameBack()).toEqual([`${OWNER_TAG.Value} request=earlier released`]);
  });

  test('in a forward update, the flag is an earlier deploy\'s: nothing released, so the cleanup deletes it', async () => {
    stackIs('UPDATE_IN_PROGRESS');
    expect(await renameBack()).toEqual([]);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });

  test('a status that cannot be read releases: keeping destroys nothing', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await renameBack()).toEqual([`${OWNER_TAG.Value} request=earlier released`]);
  });
});

describe('Delete', () => {
  test('calls DeleteConfigurationSet with the physical id', async () => {
    const { body } = await harness.run(deleteEvent(NAME, setProps(ALL_OPTIONS)));

    expect(apiCalls()).toEqual([{ ListTagsForResource: { ResourceArn: ARN } }, { DeleteConfigurationSet: { ConfigurationSetName: NAME } }]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  });

  test('a set that is already gone (NotFoundException) counts as deleted', async () => {
    pinpoint.on(DeleteConfigurationSetCommand).rejects(new NotFoundException({ message: 'not found', $metadata: { httpStatusCode: 404 } }));

    const { body } = await harness.run(deleteEvent(NAME, setProps()));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
    expect(apiCalls()).toHaveLength(2);
  });

  test('any other error fails the delete and keeps the physical id', async () => {
    pinpoint.on(DeleteConfigurationSetCommand).rejects(new BadRequestException({ message: 'in use', $metadata: { httpStatusCode: 400 } }));

    const { body } = await harness.run(deleteEvent(NAME, setProps()));

    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: NAME });
    expect(body.Reason).toContain(`Configuration set "${NAME}"`);
    expect(body.Reason).toContain('BadRequestException: in use');
  });

  test.each([
    ['the create-failed marker of this handler', 'cdk-pinpoint-email:create-failed:request-7'],
    ['the provider framework marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['a name that does not match the properties', 'someone-elses-set'],
  ])('of %s makes no API call and succeeds', async (_what, physicalId) => {
    const { body } = await harness.run(deleteEvent(physicalId, setProps(ALL_OPTIONS)));

    expect(apiCalls()).toEqual([]);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });

  test('after a failed create, the rollback Delete of the same event makes no call, even with malformed properties', async () => {
    const malformed = { SchemaVersion: SCHEMA_VERSION }; // no ConfigurationSetName
    const created = await harness.run(createEvent(malformed));
    expect(created.body.Status).toBe('FAILED');

    const { body } = await harness.run(deleteEvent(created.body.PhysicalResourceId, malformed));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.body.PhysicalResourceId });
    expect(apiCalls()).toEqual([]);
  });
});
