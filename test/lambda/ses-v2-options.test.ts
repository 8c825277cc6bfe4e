/**
 * The options that only the SES API v2 has, through the real `handler` on the SES v2 backend (the function's
 * environment names it): the create call carries them, an update calls only the Put whose inputs changed, a removed
 * option goes back to the API's default, a rollback (old and new swapped) restores the old value; on the Pinpoint
 * Email backend none of their calls is made. Every call is matched strictly, its absent members included.
 */
import { PinpointEmailClient } from '@aws-sdk/client-pinpoint-email';
import {
  AlreadyExistsException, BadRequestException, CreateConfigurationSetCommand, CreateDedicatedIpPoolCommand, GetDedicatedIpPoolCommand,
  ListTagsForResourceCommand, PutDedicatedIpPoolScalingAttributesCommand, SESv2Client,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, HandlerHarness, operationCalls, ownerTagOf, SENT_OWNER_TAG, updateEvent } from './harness';
import {
  ConfigurationSetEventDestinationProperties, ConfigurationSetProperties, DedicatedIpPoolProperties, EMAIL_API_ENV, ResourceTypes, SCHEMA_VERSION,
} from '../../src/private/contract';

const SET = 'Demo-MailSet1A2B3C4D';
const POOL = 'demo-pool';
const POOL_ARN = `arn:aws:ses:us-east-1:123456789012:dedicated-ip-pool/${POOL}`;
const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
const POOL_EVENT = { resourceType: ResourceTypes.DEDICATED_IP_POOL };
const DESTINATION_EVENT = { resourceType: ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION };

const sesv2 = mockClient(SESv2Client);
const pinpoint = mockClient(PinpointEmailClient);
const harness = new HandlerHarness();

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  process.env[EMAIL_API_ENV] = 'sesv2';
  sesv2.reset();
  sesv2.onAnyCommand().resolves({});
  pinpoint.reset();
  pinpoint.onAnyCommand().resolves({});
  captureLogs();
});
afterEach(() => {
  delete process.env[EMAIL_API_ENV];
  jest.restoreAllMocks();
});

function setProps(overrides: Partial<ConfigurationSetProperties> = {}): ConfigurationSetProperties {
  return { SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: SET, ...overrides };
}

function poolProps(overrides: Partial<DedicatedIpPoolProperties> = {}): DedicatedIpPoolProperties {
  return { SchemaVersion: SCHEMA_VERSION, PoolName: POOL, ...overrides };
}

function destinationProps(overrides: Partial<ConfigurationSetEventDestinationProperties> = {}): ConfigurationSetEventDestinationProperties {
  return { SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: SET, EventDestinationName: 'events', Enabled: true, MatchingEventTypes: ['BOUNCE'], EventBusArn: BUS, ...overrides };
}

/** The SES v2 calls; the Pinpoint Email client must never be called on this backend. */
function calls(): Array<Record<string, unknown>> {
  expect(pinpoint.calls()).toHaveLength(0);
  return operationCalls(sesv2);
}

/** The input of the only call. */
function onlyInput(): Record<string, unknown> {
  const all = calls();
  expect(all).toHaveLength(1);
  return Object.values(all[0])[0] as Record<string, unknown>;
}

const EVERY_OPTION: Partial<ConfigurationSetProperties> = {
  CustomRedirectDomain: 'links.example.com',
  HttpsPolicy: 'REQUIRE',
  MaxDeliverySeconds: 7200,
  SuppressionReasons: 'BOUNCES_ONLY',
  EngagementMetrics: true,
  OptimizedSharedDelivery: false,
};

describe('configuration set: Create', () => {
  test('one CreateConfigurationSet carries every option in its API member', async () => {
    const { body } = await harness.run(createEvent(setProps(EVERY_OPTION)));

    expect(body.Status).toBe('SUCCESS');
    expect(onlyInput()).toStrictEqual({
      ConfigurationSetName: SET,
      TrackingOptions: { CustomRedirectDomain: 'links.example.com', HttpsPolicy: 'REQUIRE' },
      DeliveryOptions: { TlsPolicy: undefined, SendingPoolName: undefined, MaxDeliverySeconds: 7200 },
      ReputationOptions: undefined,
      SendingOptions: undefined,
      SuppressionOptions: { SuppressedReasons: ['BOUNCE'] },
      VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' }, GuardianOptions: { OptimizedSharedDelivery: 'DISABLED' } },
      Tags: [SENT_OWNER_TAG],
    });
  });

  test.each<[string, Partial<ConfigurationSetProperties>, string[]]>([
    ['BOUNCES_AND_COMPLAINTS', { SuppressionReasons: 'BOUNCES_AND_COMPLAINTS' }, ['BOUNCE', 'COMPLAINT']],
    ['COMPLAINTS_ONLY', { SuppressionReasons: 'COMPLAINTS_ONLY' }, ['COMPLAINT']],
    ['SuppressionListDisabled: no list at all', { SuppressionListDisabled: 'true' }, []],
  ])('suppression %s is SuppressedReasons %j', async (_what, props, reasons) => {
    await harness.run(createEvent(setProps(props)));
    expect(onlyInput().SuppressionOptions).toStrictEqual({ SuppressedReasons: reasons });
  });

  test('unset options send no member: the API\'s defaults (and the account\'s settings) apply', async () => {
    await harness.run(createEvent(setProps({ SuppressionListDisabled: 'false' })));
    expect(onlyInput()).toStrictEqual({
      ConfigurationSetName: SET,
      TrackingOptions: undefined,
      DeliveryOptions: undefined,
      ReputationOptions: undefined,
      SendingOptions: undefined,
      SuppressionOptions: undefined,
      VdmOptions: undefined,
      Tags: [SENT_OWNER_TAG],
    });
  });

  test('MaxDeliverySeconds arrives as text, as CloudFormation sends it', async () => {
    await harness.run(createEvent(setProps({ MaxDeliverySeconds: '300' })));
    expect(onlyInput().DeliveryOptions).toEqual({ MaxDeliverySeconds: 300 });
  });

  test.each([
    ['a suppression reason that is no member', { SuppressionReasons: 'SOMETIMES' }, 'property SuppressionReasons must be one of BOUNCES_AND_COMPLAINTS, BOUNCES_ONLY, COMPLAINTS_ONLY'],
    ['reasons and no list at all', { SuppressionReasons: 'BOUNCES_ONLY', SuppressionListDisabled: 'true' }, 'cannot be given together'],
    ['a delivery time under 300 seconds', { MaxDeliverySeconds: '299' }, 'property MaxDeliverySeconds must be an integer from 300 to 50400'],
    ['an HTTPS policy that is no member', { CustomRedirectDomain: 'links.example.com', HttpsPolicy: 'ALWAYS' }, 'property HttpsPolicy must be one of REQUIRE, REQUIRE_OPEN_ONLY, OPTIONAL'],
  ])('%s fails before any call', async (_what, props, message) => {
    const { body } = await harness.run(createEvent(setProps(props as Partial<ConfigurationSetProperties>)));
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(message);
    expect(calls()).toEqual([]);
  });
});

describe('configuration set: Update', () => {
  const changes: Array<[string, Partial<ConfigurationSetProperties>, Partial<ConfigurationSetProperties>, Record<string, unknown>]> = [
    ['HTTPS policy', { CustomRedirectDomain: 'l.example.com' }, { CustomRedirectDomain: 'l.example.com', HttpsPolicy: 'REQUIRE_OPEN_ONLY' },
      { PutConfigurationSetTrackingOptions: { ConfigurationSetName: SET, CustomRedirectDomain: 'l.example.com', HttpsPolicy: 'REQUIRE_OPEN_ONLY' } }],
    ['delivery time', { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 600 }, { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 900 },
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: SET, TlsPolicy: 'REQUIRE', SendingPoolName: undefined, MaxDeliverySeconds: 900 } }],
    ['suppression reasons', { SuppressionReasons: 'BOUNCES_ONLY' }, { SuppressionReasons: 'COMPLAINTS_ONLY' },
      { PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET, SuppressedReasons: ['COMPLAINT'] } }],
    ['suppression list turned off', { SuppressionReasons: 'BOUNCES_ONLY' }, { SuppressionListDisabled: 'true' },
      { PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET, SuppressedReasons: [] } }],
    ['one VDM option', { EngagementMetrics: 'true' }, { EngagementMetrics: 'true', OptimizedSharedDelivery: 'true' },
      { PutConfigurationSetVdmOptions: { ConfigurationSetName: SET, VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' }, GuardianOptions: { OptimizedSharedDelivery: 'ENABLED' } } } }],
  ];
  test.each(changes)('a change of the %s calls only its Put, with every member of the group', async (_what, before, after, expected) => {
    const { body } = await harness.run(updateEvent(SET, setProps(after), setProps(before)));
    expect(body.Status).toBe('SUCCESS');
    expect(calls()).toStrictEqual([expected]);
  });

  const removals: Array<[string, Partial<ConfigurationSetProperties>, Partial<ConfigurationSetProperties>, Record<string, unknown>]> = [
    ['HTTPS policy (OPTIONAL again)', { CustomRedirectDomain: 'l.example.com', HttpsPolicy: 'REQUIRE' }, { CustomRedirectDomain: 'l.example.com' },
      { PutConfigurationSetTrackingOptions: { ConfigurationSetName: SET, CustomRedirectDomain: 'l.example.com' } }],
    ['delivery time (no limit but the API\'s)', { MaxDeliverySeconds: 600 }, {},
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: SET, TlsPolicy: 'OPTIONAL', SendingPoolName: undefined } }],
    ['suppression reasons (the account\'s settings again)', { SuppressionReasons: 'BOUNCES_ONLY' }, {},
      { PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET } }],
    ['disabled suppression list (the account\'s settings again)', { SuppressionListDisabled: true }, {},
      { PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET } }],
    ['VDM options (the account\'s settings again)', { EngagementMetrics: false, OptimizedSharedDelivery: true }, {},
      { PutConfigurationSetVdmOptions: { ConfigurationSetName: SET, VdmOptions: undefined } }],
  ];
  test.each(removals)('removing the %s is one Put without the member', async (_what, before, after, expected) => {
    await harness.run(updateEvent(SET, setProps(after), setProps(before)));
    expect(calls()).toStrictEqual([expected]);
  });

  test('the rollback of an update (old and new swapped) restores every old value', async () => {
    const before = setProps({ SuppressionReasons: 'BOUNCES_ONLY', MaxDeliverySeconds: 600, EngagementMetrics: true });
    const after = setProps({ SuppressionListDisabled: true, MaxDeliverySeconds: 900 });
    await harness.run(updateEvent(SET, after, before));
    sesv2.resetHistory();

    await harness.run(updateEvent(SET, before, after));

    expect(calls()).toStrictEqual([
      { PutConfigurationSetDeliveryOptions: { ConfigurationSetName: SET, TlsPolicy: 'OPTIONAL', SendingPoolName: undefined, MaxDeliverySeconds: 600 } },
      { PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET, SuppressedReasons: ['BOUNCE'] } },
      { PutConfigurationSetVdmOptions: { ConfigurationSetName: SET, VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' } } } },
    ]);
  });

  test('unchanged options, or the defaults stated (HttpsPolicy OPTIONAL), make no call', async () => {
    await harness.run(updateEvent(SET, setProps(EVERY_OPTION), setProps(EVERY_OPTION)));
    await harness.run(updateEvent(SET, setProps({ CustomRedirectDomain: 'l.example.com', HttpsPolicy: 'OPTIONAL' }), setProps({ CustomRedirectDomain: 'l.example.com' })));
    expect(calls()).toEqual([]);
  });

  test('old options that cannot be read count as changed: the new ones are put', async () => {
    const { body } = await harness.run(updateEvent(SET, setProps({ SuppressionReasons: 'BOUNCES_ONLY' }), setProps({ SuppressionReasons: 'SOMETIMES' })));
    expect(body.Status).toBe('SUCCESS');
    expect(calls()).toStrictEqual([{ PutConfigurationSetSuppressionOptions: { ConfigurationSetName: SET, SuppressedReasons: ['BOUNCE'] } }]);
  });

  test('the rename that takes back this resource\'s set puts every option group, the SES v2 ones included', async () => {
    sesv2.on(CreateConfigurationSetCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }));
    sesv2.on(ListTagsForResourceCommand).resolves({ Tags: [ownerTagOf('earlier')] });
    const OLD = 'Demo-OldName00000000';

    const { body } = await harness.run(updateEvent(SET, setProps({ ConfigurationSetName: OLD, SuppressionListDisabled: true }), setProps(), { requestId: 'rollback' }));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: OLD });
    expect(calls().map((call) => Object.keys(call)[0])).toEqual([
      'CreateConfigurationSet', 'ListTagsForResource', 'PutConfigurationSetDeliveryOptions', 'PutConfigurationSetReputationOptions',
      'PutConfigurationSetSendingOptions', 'PutConfigurationSetTrackingOptions', 'PutConfigurationSetSuppressionOptions',
      'PutConfigurationSetVdmOptions', 'TagResource', 'ListTagsForResource',
    ]);
    expect(calls()[6]).toStrictEqual({ PutConfigurationSetSuppressionOptions: { ConfigurationSetName: OLD, SuppressedReasons: [] } });
  });
});

describe('on the Pinpoint Email backend', () => {
  beforeEach(() => {
    delete process.env[EMAIL_API_ENV];
  });

  test('an update that drops SES v2 options (a switch back, or the rollback of a switch) calls none of their Puts and says so in the log', async () => {
    const logs = captureLogs();
    const { body } = await harness.run(updateEvent(SET, setProps({ CustomRedirectDomain: 'links.example.com' }), setProps(EVERY_OPTION)));

    expect(body.Status).toBe('SUCCESS');
    expect(sesv2.calls()).toHaveLength(0);
    expect(pinpoint.calls()).toHaveLength(0);
    expect(logs.lines().join('\n')).toContain('previously set: httpsPolicy, maxDeliverySeconds, suppressedReasons, engagementMetrics, optimizedSharedDelivery');
  });

  test.each([
    ['a set', createEvent(setProps({ SuppressionReasons: 'BOUNCES_ONLY', MaxDeliverySeconds: 600 })), 'maxDeliverySeconds, suppressedReasons'],
    ['a pool', createEvent(poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT), 'scalingMode'],
    ['an event destination', createEvent(destinationProps({ MatchingEventTypes: ['BOUNCE', 'SUBSCRIPTION'] }), DESTINATION_EVENT), 'EventBusArn, SUBSCRIPTION'],
  ])('the create of %s that sets SES v2 options (a function whose environment lags its template) fails before any call', async (_what, event, named) => {
    const { body } = await harness.run(event);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(`${named} needs the SES API v2, and the handler runs on the Pinpoint Email API`);
    expect(sesv2.calls()).toHaveLength(0);
    expect(pinpoint.calls()).toHaveLength(0);
  });

  test('a pool\'s scaling mode is neither read nor put', async () => {
    const { body } = await harness.run(updateEvent(POOL, poolProps(), poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT));
    expect(body.Status).toBe('SUCCESS');
    expect(sesv2.calls()).toHaveLength(0);
    expect(pinpoint.calls()).toHaveLength(0);
  });
});

describe('dedicated IP pool', () => {
  test('Create: one CreateDedicatedIpPool with the scaling mode', async () => {
    await harness.run(createEvent(poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT));
    expect(calls()).toStrictEqual([{ CreateDedicatedIpPool: { PoolName: POOL, ScalingMode: 'MANAGED', Tags: [SENT_OWNER_TAG] } }]);
  });

  test('Create without a scaling mode sends none', async () => {
    await harness.run(createEvent(poolProps(), POOL_EVENT));
    expect(calls()).toStrictEqual([{ CreateDedicatedIpPool: { PoolName: POOL, Tags: [SENT_OWNER_TAG] } }]);
  });

  test('STANDARD (unset) to MANAGED is one PutDedicatedIpPoolScalingAttributes; the same mode, stated or not, is no call', async () => {
    await harness.run(updateEvent(POOL, poolProps({ ScalingMode: 'MANAGED' }), poolProps(), POOL_EVENT));
    expect(calls()).toStrictEqual([{ PutDedicatedIpPoolScalingAttributes: { PoolName: POOL, ScalingMode: 'MANAGED' } }]);
    sesv2.resetHistory();

    await harness.run(updateEvent(POOL, poolProps({ ScalingMode: 'STANDARD' }), poolProps(), POOL_EVENT));
    await harness.run(updateEvent(POOL, poolProps({ ScalingMode: 'MANAGED' }), poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT));
    expect(calls()).toEqual([]);
  });

  test('MANAGED to STANDARD (or the prop removed) is put, and the API\'s refusal fails the update with its message and what to do', async () => {
    sesv2.on(PutDedicatedIpPoolScalingAttributesCommand).rejects(new BadRequestException({
      message: 'Changing the scaling mode from MANAGED to STANDARD is not supported.', $metadata: { httpStatusCode: 400 },
    }));

    const { body } = await harness.run(updateEvent(POOL, poolProps(), poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT));

    expect(calls()).toStrictEqual([{ PutDedicatedIpPoolScalingAttributes: { PoolName: POOL, ScalingMode: 'STANDARD' } }]);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(`Dedicated IP pool "${POOL}": PutDedicatedIpPoolScalingAttributes failed: BadRequestException: `
      + 'Changing the scaling mode from MANAGED to STANDARD is not supported.');
    expect(body.Reason).toContain('a MANAGED pool cannot become STANDARD again: keep scalingMode MANAGED, or give the pool a new dedicatedIpPoolName');
    expect(body.Reason).toContain('continue the rollback and skip this resource');
  });

  test('the rollback of a failed conversion (the pool still STANDARD) puts STANDARD, which the API accepts', async () => {
    const { body } = await harness.run(updateEvent(POOL, poolProps(), poolProps({ ScalingMode: 'MANAGED' }), POOL_EVENT));
    expect(body.Status).toBe('SUCCESS');
    expect(calls()).toStrictEqual([{ PutDedicatedIpPoolScalingAttributes: { PoolName: POOL, ScalingMode: 'STANDARD' } }]);
  });

  test.each([
    ['differs', 'STANDARD', ['CreateDedicatedIpPool', 'ListTagsForResource', 'GetDedicatedIpPool', 'PutDedicatedIpPoolScalingAttributes', 'TagResource', 'ListTagsForResource']],
    ['is the declared one', 'MANAGED', ['CreateDedicatedIpPool', 'ListTagsForResource', 'GetDedicatedIpPool', 'TagResource', 'ListTagsForResource']],
  ])('a rename that takes back this resource\'s pool reads its scaling mode and puts the declared one when it %s', async (_what, live, operations) => {
    sesv2.on(CreateDedicatedIpPoolCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: { httpStatusCode: 400 } }));
    sesv2.on(ListTagsForResourceCommand).resolves({ Tags: [ownerTagOf('earlier')] });
    sesv2.on(GetDedicatedIpPoolCommand).resolves({ DedicatedIpPool: { PoolName: POOL, ScalingMode: live as 'STANDARD' } });

    const { body } = await harness.run(updateEvent('demo-new-pool', poolProps({ ScalingMode: 'MANAGED' }), poolProps({ PoolName: 'demo-new-pool' }), POOL_EVENT));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: POOL });
    expect(calls().map((call) => Object.keys(call)[0])).toEqual(operations);
    expect(calls()[2]).toStrictEqual({ GetDedicatedIpPool: { PoolName: POOL } });
    expect(calls()).toContainEqual({ ListTagsForResource: { ResourceArn: POOL_ARN } });
  });
});

describe('event destination', () => {
  test('Create: the EventBridge destination, and the SES-v2-only event types', async () => {
    await harness.run(createEvent(destinationProps({ MatchingEventTypes: ['DELIVERY_DELAY', 'SUBSCRIPTION'] }), DESTINATION_EVENT));
    expect(calls()).toStrictEqual([{
      CreateConfigurationSetEventDestination: {
        ConfigurationSetName: SET,
        EventDestinationName: 'events',
        EventDestination: { Enabled: true, MatchingEventTypes: ['DELIVERY_DELAY', 'SUBSCRIPTION'], EventBridgeDestination: { EventBusArn: BUS } },
      },
    }]);
  });

  test('another bus, or an SNS topic instead, is one UpdateConfigurationSetEventDestination; the same bus is no call', async () => {
    const other = 'arn:aws-cn:events:cn-north-1:123456789012:event-bus/default';
    await harness.run(updateEvent(`${SET}/events`, destinationProps({ EventBusArn: other }), destinationProps(), DESTINATION_EVENT));
    await harness.run(updateEvent(`${SET}/events`, destinationProps({ EventBusArn: undefined, SnsTopicArn: 'arn:aws:sns:us-east-1:123456789012:t' }),
      destinationProps(), DESTINATION_EVENT));
    await harness.run(updateEvent(`${SET}/events`, destinationProps(), destinationProps(), DESTINATION_EVENT));

    expect(calls().map((call) => (Object.values(call)[0] as { EventDestination: unknown }).EventDestination)).toStrictEqual([
      { Enabled: true, MatchingEventTypes: ['BOUNCE'], EventBridgeDestination: { EventBusArn: other } },
      { Enabled: true, MatchingEventTypes: ['BOUNCE'], SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } },
    ]);
  });
});
