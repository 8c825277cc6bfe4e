/**
 * The event destination handler through the real `handler` with CloudFormation events and a mocked client: the exact
 * calls of each lifecycle branch, the physical id and its replaced part, the ownership rule of a create that meets
 * AlreadyExistsException, and malformed properties refused before any call.
 */
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, StackResourceSummary, StackStatus } from '@aws-sdk/client-cloudformation';
import {
  AlreadyExistsException,
  CreateConfigurationSetEventDestinationCommand,
  DeleteConfigurationSetEventDestinationCommand,
  EventDestination,
  EventType,
  GetConfigurationSetEventDestinationsCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PinpointEmailClient,
  UpdateConfigurationSetEventDestinationCommand,
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, FOREIGN_OWNER_TAG, HandlerHarness, ownerTagOf, STACK_ID, updateEvent } from './harness';
import { sameDefinition } from '../../lambda/resources/configuration-set-event-destination';
import { ConfigurationSetEventDestinationProperties, ResourceTypes, SCHEMA_VERSION } from '../../src/private/contract';

const pinpoint = mockClient(PinpointEmailClient);
const cloudFormation = mockClient(CloudFormationClient);
const harness = new HandlerHarness();
/** The destination is another resource of the stack than its set (whose tag ownerTagOf gives). */
const OPTIONS = { resourceType: ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION, logicalId: 'MailSetBounces5E6F7A8B' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bounces';
const SET_ARN = 'arn:aws:ses:us-east-1:123456789012:configuration-set/orders';
/** The ownership tag of the set `orders`, created by the set's own resource of this stack. */
const SET_OWNER_TAG = ownerTagOf('request-of-the-set');

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  pinpoint.onAnyCommand().resolves({});
  cloudFormation.reset();
  cloudFormation.onAnyCommand().rejects(new Error('only ListStackResources and DescribeStacks are expected here'));
  stackHolds([]);
  captureLogs();
});
afterEach(() => jest.restoreAllMocks());

function props(overrides: Partial<ConfigurationSetEventDestinationProperties> = {}): ConfigurationSetEventDestinationProperties {
  return {
    SchemaVersion: SCHEMA_VERSION,
    ConfigurationSetName: 'orders',
    EventDestinationName: 'bounces',
    Enabled: true,
    MatchingEventTypes: ['BOUNCE', 'COMPLAINT'],
    SnsTopicArn: TOPIC,
    ...overrides,
  };
}

const DEFINITION = { Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'] as EventType[], SnsDestination: { TopicArn: TOPIC } };

function apiCalls(): Array<[string, unknown]> {
  return pinpoint.calls().map((call) => {
    const command = call.args[0] as unknown as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ''), command.input];
  });
}

const run = (event: Parameters<HandlerHarness['run']>[0]) => harness.run(event).then((r) => r.body);

/** The stack's resources as ListStackResources lists them, besides this destination's own. */
function stackHolds(others: Array<Partial<StackResourceSummary>>): void {
  const own = {
    LogicalResourceId: OPTIONS.logicalId,
    ResourceType: OPTIONS.resourceType,
    PhysicalResourceId: 'orders/bounces',
    ResourceStatus: 'DELETE_IN_PROGRESS' as const,
  };
  const summaries = [own, ...others] as StackResourceSummary[];
  cloudFormation.on(ListStackResourcesCommand, { StackName: STACK_ID }).resolves({ StackResourceSummaries: summaries });
}

/** The create refused as existing; the set's live tags and the set's live destinations as given. */
function existing(setTags: Array<{ Key: string; Value: string }> | undefined, listed: EventDestination[]): void {
  pinpoint.on(CreateConfigurationSetEventDestinationCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
  pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: setTags });
  pinpoint.on(GetConfigurationSetEventDestinationsCommand).resolves({ EventDestinations: listed });
}

describe('Create', () => {
  test('one CreateConfigurationSetEventDestination; the physical id is <set>/<name>', async () => {
    const body = await run(createEvent(props(), OPTIONS));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces', Data: { EventDestinationName: 'bounces', ConfigurationSetName: 'orders' } });
    // The set's tags are read only when the create meets an existing destination.
    expect(apiCalls()).toEqual([['CreateConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces', EventDestination: DEFINITION }]]);
  });

  test.each<[string, Partial<ConfigurationSetEventDestinationProperties>, object]>([
    ['Firehose', { SnsTopicArn: undefined, FirehoseDeliveryStreamArn: 'arn:s', FirehoseRoleArn: 'arn:r' }, { KinesisFirehoseDestination: { DeliveryStreamArn: 'arn:s', IamRoleArn: 'arn:r' } }],
    ['CloudWatch', { SnsTopicArn: undefined, CloudWatchDimensions: [{ DimensionName: 'd', DimensionValueSource: 'LINK_TAG', DefaultDimensionValue: 'v' }] },
      { CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: 'd', DimensionValueSource: 'LINK_TAG', DefaultDimensionValue: 'v' }] } }],
    ['Pinpoint', { SnsTopicArn: undefined, PinpointApplicationArn: 'arn:app' }, { PinpointDestination: { ApplicationArn: 'arn:app' } }],
  ])('a %s destination', async (_kind, overrides, destination) => {
    await run(createEvent(props({ ...overrides, Enabled: false }), OPTIONS));

    expect(apiCalls()).toEqual([['CreateConfigurationSetEventDestination', {
      ConfigurationSetName: 'orders', EventDestinationName: 'bounces', EventDestination: { Enabled: false, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], ...destination },
    }]]);
  });

  test('the retry of a Create killed after its create: the set is this stack\'s, the destination as declared, so it is reused and put to exactly that', async () => {
    const logs = captureLogs();
    existing([{ Key: 'team', Value: 'mail' }, SET_OWNER_TAG], [{ Name: 'other', ...DEFINITION, Enabled: false }, { Name: 'bounces', ...DEFINITION, MatchingEventTypes: ['COMPLAINT', 'BOUNCE'] }]);

    const body = await run(createEvent(props(), OPTIONS));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces', Data: { EventDestinationName: 'bounces', ConfigurationSetName: 'orders' } });
    // Two reads, then one update: through Pinpoint Email, the Get shows no event type that only SES v2 has.
    expect(apiCalls()).toEqual([
      ['CreateConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces', EventDestination: DEFINITION }],
      ['ListTagsForResource', { ResourceArn: SET_ARN }],
      ['GetConfigurationSetEventDestinations', { ConfigurationSetName: 'orders' }],
      ['UpdateConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces', EventDestination: DEFINITION }],
    ]);
    const reuse = logs.lines().filter((line) => line.includes('reusing the existing destination, as a retried create would'));
    expect(reuse).toHaveLength(1);
    expect(JSON.parse(reuse[0])).toEqual({ message: expect.any(String), physicalId: 'orders/bounces' });
  });

  test.each<[string, EventDestination[]]>([
    ['another definition', [{ Name: 'bounces', ...DEFINITION, Enabled: false }]],
    ['another destination kind', [{ Name: 'bounces', Enabled: true, MatchingEventTypes: DEFINITION.MatchingEventTypes, PinpointDestination: { ApplicationArn: TOPIC } }]],
    ['no destination of that name listed', [{ Name: 'other', ...DEFINITION }]],
  ])('AlreadyExistsException on a Create, on this stack\'s set, with %s: fails and changes nothing', async (_case, listed) => {
    existing([SET_OWNER_TAG], listed);

    const body = await run(createEvent(props(), OPTIONS));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/^Event destination "bounces" of configuration set "orders": already exists and is not managed by this stack resource/);
    expect(apiCalls().map(([op]) => op)).toEqual(['CreateConfigurationSetEventDestination', 'ListTagsForResource', 'GetConfigurationSetEventDestinations']);
  });

  test.each<[string, Array<{ Key: string; Value: string }> | undefined]>([
    ['of another stack', [FOREIGN_OWNER_TAG]],
    ['with a marker that has no stack part', [{ Key: SET_OWNER_TAG.Key, Value: '0123456789abcdef0123456789abcdef' }]],
    ['with other tags only', [{ Key: 'team', Value: 'mail' }]],
    ['without tags', undefined],
  ])('AlreadyExistsException on a Create, on a set %s: fails without reading the destinations, even one exactly declared', async (_case, setTags) => {
    existing(setTags, [{ Name: 'bounces', ...DEFINITION }]);

    const body = await run(createEvent(props(), OPTIONS));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(/^Event destination "bounces" of configuration set "orders": already exists and is not managed by this stack resource/);
    expect(apiCalls().map(([op]) => op)).toEqual(['CreateConfigurationSetEventDestination', 'ListTagsForResource']);
  });

  test.each<[string, Partial<ConfigurationSetEventDestinationProperties>, RegExp]>([
    ['no destination', { SnsTopicArn: undefined }, /exactly one of SnsTopicArn/],
    ['two destinations', { PinpointApplicationArn: 'arn:app' }, /exactly one of SnsTopicArn/],
    ['a stream without its role', { SnsTopicArn: undefined, FirehoseDeliveryStreamArn: 'arn:s' }, /property FirehoseRoleArn is required/],
    ['no event', { MatchingEventTypes: [] }, /MatchingEventTypes must list one or more of SEND/],
    ['an unknown event', { MatchingEventTypes: ['BOUNCED'] }, /MatchingEventTypes must list/],
    ['an unknown dimension source', { SnsTopicArn: undefined, CloudWatchDimensions: [{ DimensionName: 'd', DimensionValueSource: 'HEADER', DefaultDimensionValue: 'v' }] },
      /DimensionValueSource must be one of MESSAGE_TAG, EMAIL_HEADER, LINK_TAG/],
  ])('malformed properties (%s) fail before any call', async (_case, overrides, reason) => {
    const body = await run(createEvent(props(overrides), OPTIONS));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(reason);
    expect(apiCalls()).toEqual([]);
  });
});

describe('Update', () => {
  test('a change of the definition: one UpdateConfigurationSetEventDestination, the physical id kept', async () => {
    const body = await run(updateEvent('orders/bounces|replaced:orders/old', props({ Enabled: false }), props(), OPTIONS));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces|replaced:orders/old' });
    expect(apiCalls()).toEqual([['UpdateConfigurationSetEventDestination', {
      ConfigurationSetName: 'orders', EventDestinationName: 'bounces', EventDestination: { ...DEFINITION, Enabled: false },
    }]]);
  });

  test('no change (the events reordered, "true" as text): no call', async () => {
    const body = await run(updateEvent('orders/bounces', props({ MatchingEventTypes: ['COMPLAINT', 'BOUNCE'] }), props({ Enabled: 'true' }), OPTIONS));

    expect(body.Status).toBe('SUCCESS');
    expect(apiCalls()).toEqual([]);
  });

  test('a rename: the new destination created; the physical id records the old one', async () => {
    const body = await run(updateEvent('orders/bounces', props({ EventDestinationName: 'bounces-v2' }), props(), OPTIONS));

    expect(body.PhysicalResourceId).toBe('orders/bounces-v2|replaced:orders/bounces');
    expect(apiCalls().map(([op]) => op)).toEqual(['CreateConfigurationSetEventDestination']);
  });

  describe('a rename back onto the destination it replaced, unchanged: this resource\'s own', () => {
    const RENAMED = 'orders/bounces-v2|replaced:orders/bounces|replaced:orders/first';
    const renameBack = async (status: string | Error) => {
      pinpoint.on(CreateConfigurationSetEventDestinationCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
      pinpoint.on(GetConfigurationSetEventDestinationsCommand).resolves({ EventDestinations: [{ Name: 'bounces', ...DEFINITION, MatchingEventTypes: ['COMPLAINT', 'BOUNCE'] }] });
      const described = cloudFormation.on(DescribeStacksCommand, { StackName: STACK_ID });
      if (status instanceof Error) described.rejects(status);
      else described.resolves({ Stacks: [{ StackName: 'Demo', StackStatus: status as StackStatus, CreationTime: new Date() }] });
      const body = await run(updateEvent(RENAMED, props(), props({ EventDestinationName: 'bounces-v2' }), OPTIONS));
      expect(apiCalls().map(([op]) => op)).toEqual(['CreateConfigurationSetEventDestination', 'GetConfigurationSetEventDestinations', 'UpdateConfigurationSetEventDestination']);
      return body;
    };

    test('in the rollback of its rename, its exact physical id comes back', async () => {
      expect(await renameBack('UPDATE_ROLLBACK_IN_PROGRESS')).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces|replaced:orders/first' });
    });

    test('in a forward update (a move back onto one that UpdateReplacePolicy kept), the new id records the one it leaves', async () => {
      expect(await renameBack('UPDATE_IN_PROGRESS')).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `orders/bounces|replaced:${RENAMED}` });
    });

    test('when the stack\'s status cannot be read, the rollback\'s answer: the exact physical id', async () => {
      const unreadable = Object.assign(new Error('Stack with id Demo does not exist'), { name: 'ValidationError' });
      expect(await renameBack(unreadable)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces|replaced:orders/first' });
    });
  });

  test.each<[string, EventDestination[]]>([
    ['its definition changed', [{ Name: 'bounces', ...DEFINITION, Enabled: false }]],
    ['it is gone from the list', []],
  ])('the rollback of a rename onto the replaced destination fails when %s', async (_case, listed) => {
    pinpoint.on(CreateConfigurationSetEventDestinationCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    pinpoint.on(GetConfigurationSetEventDestinationsCommand).resolves({ EventDestinations: listed });

    const body = await run(updateEvent('orders/bounces-v2|replaced:orders/bounces', props(), props({ EventDestinationName: 'bounces-v2' }), OPTIONS));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('already exists and is not managed by this stack resource');
  });

  test('the retry of a rename killed after its create: kept as it is on this stack\'s set; the physical id records the old one', async () => {
    existing([SET_OWNER_TAG], [{ Name: 'bounces-v2', ...DEFINITION }]);

    const body = await run(updateEvent('orders/bounces', props({ EventDestinationName: 'bounces-v2' }), props(), OPTIONS));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'orders/bounces-v2|replaced:orders/bounces' });
    expect(apiCalls().map(([op]) => op)).toEqual([
      'CreateConfigurationSetEventDestination', 'ListTagsForResource', 'GetConfigurationSetEventDestinations', 'UpdateConfigurationSetEventDestination',
    ]);
  });

  test('a rename onto a name that is not the replaced one, on a set that is not this stack\'s, fails without reading the destinations', async () => {
    existing([FOREIGN_OWNER_TAG], [{ Name: 'theirs', ...DEFINITION }]);

    const body = await run(updateEvent('orders/bounces|replaced:orders/first', props({ EventDestinationName: 'theirs' }), props(), OPTIONS));

    expect(body.Status).toBe('FAILED');
    expect(apiCalls().map(([op]) => op)).toEqual(['CreateConfigurationSetEventDestination', 'ListTagsForResource']);
  });

  test('past 1000 characters the physical id records no replaced destination', async () => {
    let physicalId = 'orders/n0';
    let plain = 0;
    for (let i = 1; i <= 14; i++) {
      const name = `n${i}`.padEnd(64, 'x');
      const body = await run(updateEvent(physicalId, props({ EventDestinationName: name }), props(), OPTIONS));
      const full = `orders/${name}|replaced:${physicalId}`;
      expect(body.PhysicalResourceId).toBe(full.length <= 1000 ? full : `orders/${name}`);
      if (full.length > 1000) plain++;
      physicalId = body.PhysicalResourceId;
    }
    expect(plain).toBe(1);
  });

  test('an update of a destination deleted outside CloudFormation fails with the API message and a hint', async () => {
    pinpoint.on(UpdateConfigurationSetEventDestinationCommand).rejects(new NotFoundException({ message: 'Event destination bounces does not exist.', $metadata: {} }));

    const body = await run(updateEvent('orders/bounces', props({ Enabled: false }), props(), OPTIONS));

    // (the client's middleware, which names the operation, does not run under the mock)
    expect(body.Reason).toBe('Event destination "bounces" of configuration set "orders": failed: NotFoundException: ' +
      'Event destination bounces does not exist. (if it was deleted outside CloudFormation, remove it from the stack or rename it to create a new one)');
  });
});

describe('Delete', () => {
  test('one DeleteConfigurationSetEventDestination; NotFound (of the destination or its set) is success', async () => {
    pinpoint.on(DeleteConfigurationSetEventDestinationCommand).rejects(new NotFoundException({ message: 'Configuration set orders does not exist.', $metadata: {} }));

    const body = await run(deleteEvent('orders/bounces|replaced:orders/first', props(), OPTIONS));

    expect(body.Status).toBe('SUCCESS');
    expect(apiCalls()).toEqual([['DeleteConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces' }]]);
    expect(cloudFormation.commandCalls(ListStackResourcesCommand)).toHaveLength(1);
  });

  const other = (physicalId: string, overrides: Partial<StackResourceSummary> = {}): Partial<StackResourceSummary> => ({
    LogicalResourceId: 'MailSetMoved1A2B3C4D', ResourceType: OPTIONS.resourceType, PhysicalResourceId: physicalId, ResourceStatus: 'UPDATE_COMPLETE', ...overrides,
  });

  test.each(['orders/bounces', 'orders/bounces|replaced:orders/first'])('another resource of the stack holds it (%s), as after a move: no call', async (physicalId) => {
    stackHolds([other(physicalId)]);
    const logs = captureLogs();

    const body = await run(deleteEvent('orders/bounces', props(), OPTIONS));

    expect(body.Status).toBe('SUCCESS');
    expect(apiCalls()).toEqual([]);
    expect(logs.lines().some((line) => line.includes('another resource of the stack holds it') && line.includes('MailSetMoved1A2B3C4D'))).toBe(true);
  });

  test.each<[string, Partial<StackResourceSummary>]>([
    ['another destination', other('orders/other')],
    ['a destination of the same name on another set', other('billing/bounces')],
    ['one that names it as the one it replaced', other('orders/next|replaced:orders/bounces')],
    ['another resource type', other('orders/bounces', { ResourceType: 'Custom::Other' })],
    ['one whose Delete is under way', other('orders/bounces', { ResourceStatus: 'DELETE_IN_PROGRESS' })],
    ['one that has no physical id yet', other('', { PhysicalResourceId: undefined, ResourceStatus: 'CREATE_IN_PROGRESS' })],
  ])('%s holds nothing: the Delete goes ahead', async (_what, summary) => {
    stackHolds([summary]);

    await run(deleteEvent('orders/bounces', props(), OPTIONS));

    expect(apiCalls()).toEqual([['DeleteConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces' }]]);
  });

  test('resources that cannot be read: the Delete goes ahead, and the denial is logged', async () => {
    cloudFormation.on(ListStackResourcesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const logs = captureLogs();

    const body = await run(deleteEvent('orders/bounces', props(), OPTIONS));

    expect(body.Status).toBe('SUCCESS');
    expect(apiCalls()).toEqual([['DeleteConfigurationSetEventDestination', { ConfigurationSetName: 'orders', EventDestinationName: 'bounces' }]]);
    expect(logs.lines().map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ message: 'the stack\'s resources could not be read', outcome: 'AccessDenied' }));
  });

  test.each(['orders/other', 'other/bounces', 'cdk-pinpoint-email:create-failed:request-1'])('a physical id this resource did not produce (%s): no call', async (physicalId) => {
    const body = await run(deleteEvent(physicalId, props(), OPTIONS));

    expect(body.Status).toBe('SUCCESS');
    expect(apiCalls()).toEqual([]);
  });
});

test('sameDefinition: events as a set, Enabled defaulting to false, destinations exactly', () => {
  expect(sameDefinition({ MatchingEventTypes: ['SEND', 'BOUNCE'] }, { Enabled: false, MatchingEventTypes: ['BOUNCE', 'SEND', 'SEND'] })).toBe(true);
  expect(sameDefinition(DEFINITION, { ...DEFINITION, SnsDestination: { TopicArn: `${TOPIC}-2` } })).toBe(false);
  expect(sameDefinition(DEFINITION, { ...DEFINITION, MatchingEventTypes: ['BOUNCE'] })).toBe(false);
  expect(sameDefinition(DEFINITION, { Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], PinpointDestination: { ApplicationArn: TOPIC } })).toBe(false);
});
