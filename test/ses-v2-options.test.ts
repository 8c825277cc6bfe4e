/**
 * The options that only the SES API v2 has (issue 15): on a stack that uses it, each renders one property of its
 * custom resource, only when set; on a Pinpoint Email stack, each fails synth naming the construct path, the prop and
 * the switch; invalid values fail synth; and the handler's policy grants the SES-v2-only actions on every SES v2 stack,
 * whether or not a prop is set, and on no Pinpoint Email stack.
 */
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetProps, DedicatedIpPool, EmailApi, EmailApiVersion, EmailSendingEvent,
  EventDestination, HttpsPolicy, ScalingMode, SuppressionReasons,
} from '../src';
import { synthErrors } from './support/synth';

type Json = any;

const ENV = { account: '123456789012', region: 'us-east-1' };
const SWITCH = 'needs the SES API v2, and this stack uses the Pinpoint Email API: set the context key cdk-pinpoint-email:api to "sesv2", '
  + 'or call EmailApi.use(stack, EmailApiVersion.SES_V2)';
const SET_TYPE = 'Custom::PinpointEmailConfigurationSet';
const POOL_TYPE = 'Custom::PinpointEmailDedicatedIpPool';
const DESTINATION_TYPE = 'Custom::PinpointEmailConfigurationSetEventDestination';
const DEFAULT_BUS_ARN = 'arn:aws:events:us-east-1:123456789012:event-bus/default';

/** A stack `Mail` on `api` (the context key), or on the default API. */
function newStack(api?: EmailApiVersion): Stack {
  return new Stack(new App({ context: api === undefined ? {} : { [EmailApi.CONTEXT_KEY]: api } }), 'Mail', { env: ENV });
}

function propertiesOf(stack: Stack, type: string): Json {
  const found = Object.values(Template.fromStack(stack).findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

function actionsOf(stack: Stack): string[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  return [...new Set(policies.flatMap((p) => (p.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => [s.Action].flat())))].sort();
}

const EVERY_SET_OPTION: ConfigurationSetProps = {
  configurationSetName: 'transactional',
  customTrackingRedirectDomain: 'links.example.com',
  customTrackingHttpsPolicy: HttpsPolicy.REQUIRE_OPEN_ONLY,
  maxDeliveryDuration: Duration.hours(2),
  suppressionReasons: SuppressionReasons.BOUNCES_ONLY,
  vdmOptions: { engagementMetrics: true, optimizedSharedDelivery: false },
};

describe('ConfigurationSet', () => {
  test('on SES v2, each option renders its property: HttpsPolicy, MaxDeliverySeconds in seconds, the suppression reasons, the VDM booleans', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', EVERY_SET_OPTION);

    expect(propertiesOf(stack, SET_TYPE)).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '660',
      SchemaVersion: '2',
      ConfigurationSetName: 'transactional',
      CustomRedirectDomain: 'links.example.com',
      HttpsPolicy: 'REQUIRE_OPEN_ONLY',
      MaxDeliverySeconds: 7200,
      SuppressionReasons: 'BOUNCES_ONLY',
      EngagementMetrics: true,
      OptimizedSharedDelivery: false,
    });
  });

  test('disableSuppressionList renders SuppressionListDisabled: no suppression list at all, which unset (the account\'s settings) is not', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional', disableSuppressionList: true });
    expect(propertiesOf(stack, SET_TYPE)).toMatchObject({ SuppressionListDisabled: true });
    expect(propertiesOf(stack, SET_TYPE)).not.toHaveProperty('SuppressionReasons');
  });

  test('unset, on either API, the template has none of the new properties (templates of earlier versions are unchanged)', () => {
    for (const api of [undefined, EmailApiVersion.SES_V2]) {
      const stack = newStack(api);
      new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional', customTrackingRedirectDomain: 'links.example.com' });
      expect(Object.keys(propertiesOf(stack, SET_TYPE)).sort()).toEqual(
        ['ConfigurationSetName', 'CustomRedirectDomain', 'SchemaVersion', 'ServiceTimeout', 'ServiceToken']);
    }
  });

  test('on Pinpoint Email, each option fails synth, naming the construct path, the prop and the switch', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Set', { ...EVERY_SET_OPTION, suppressionReasons: undefined, disableSuppressionList: true });
    const errors = synthErrors(stack);
    for (const prop of ['customTrackingHttpsPolicy', 'maxDeliveryDuration', 'disableSuppressionList', 'vdmOptions']) {
      expect(errors).toContain(`[Mail/Set] ${prop} ${SWITCH}`);
    }
    expect(errors).not.toContain('suppressionReasons');
  });

  test('on Pinpoint Email, suppressionReasons fails synth too; chosen with EmailApi.use after the construct, it synthesizes', () => {
    const pinpoint = newStack();
    new ConfigurationSet(pinpoint, 'Set', { suppressionReasons: SuppressionReasons.COMPLAINTS_ONLY });
    expect(synthErrors(pinpoint)).toContain(`[Mail/Set] suppressionReasons ${SWITCH}`);

    const sesV2 = newStack();
    new ConfigurationSet(sesV2, 'Set', { suppressionReasons: SuppressionReasons.COMPLAINTS_ONLY });
    EmailApi.use(sesV2, EmailApiVersion.SES_V2);
    expect(synthErrors(sesV2)).toBe('');
  });

  test.each([
    ['4 minutes 59 seconds', Duration.seconds(299)],
    ['14 hours and 1 second', Duration.seconds(50_401)],
    ['a fraction of a second', Duration.millis(300_500)],
  ])('maxDeliveryDuration of %s fails synth with the range', (_what, duration) => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', { maxDeliveryDuration: duration });
    expect(synthErrors(stack)).toMatch(/\[Mail\/Set\] maxDeliveryDuration .+ is not a whole number of seconds from 300 \(5 minutes\) to 50400 \(14 hours\)/);
  });

  test.each([Duration.minutes(5), Duration.hours(14), Duration.seconds(301)])('maxDeliveryDuration %s is accepted', (duration) => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', { maxDeliveryDuration: duration });
    expect(propertiesOf(stack, SET_TYPE).MaxDeliverySeconds).toBe(duration.toSeconds());
  });

  test('maxDeliveryDuration from a parameter is sent as it is in seconds, and refused in another unit', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    new ConfigurationSet(stack, 'Set', { maxDeliveryDuration: Duration.seconds(seconds.valueAsNumber) });
    expect(propertiesOf(stack, SET_TYPE).MaxDeliverySeconds).toEqual({ Ref: 'Seconds' });

    const minutes = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(minutes, 'Set', { maxDeliveryDuration: Duration.minutes(Token.asNumber({ Ref: 'Minutes' })) });
    expect(synthErrors(minutes)).toContain('[Mail/Set] maxDeliveryDuration from a token must be given as Duration.seconds(...)');
  });

  test('customTrackingHttpsPolicy without customTrackingRedirectDomain, and suppressionReasons with disableSuppressionList, fail synth', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', {
      customTrackingHttpsPolicy: HttpsPolicy.REQUIRE, suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS, disableSuppressionList: true,
    });
    const errors = synthErrors(stack);
    expect(errors).toContain('[Mail/Set] customTrackingHttpsPolicy applies to the links of the custom tracking domain: set customTrackingRedirectDomain too');
    expect(errors).toContain('[Mail/Set] suppressionReasons cannot be set with disableSuppressionList: true');
  });
});

describe('DedicatedIpPool', () => {
  test('on SES v2, scalingMode renders ScalingMode; unset, nothing', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing', scalingMode: ScalingMode.MANAGED });
    expect(propertiesOf(stack, POOL_TYPE)).toMatchObject({ PoolName: 'marketing', ScalingMode: 'MANAGED' });

    const unset = newStack(EmailApiVersion.SES_V2);
    new DedicatedIpPool(unset, 'Pool', { dedicatedIpPoolName: 'marketing' });
    expect(Object.keys(propertiesOf(unset, POOL_TYPE)).sort()).toEqual(['PoolName', 'SchemaVersion', 'ServiceTimeout', 'ServiceToken']);
  });

  test('on Pinpoint Email, scalingMode fails synth, naming the construct path, the prop and the switch', () => {
    const stack = newStack();
    new DedicatedIpPool(stack, 'Pool', { scalingMode: ScalingMode.STANDARD });
    expect(synthErrors(stack)).toContain(`[Mail/Pool] scalingMode ${SWITCH}`);
  });
});

describe('ConfigurationSetEventDestination', () => {
  const defaultBus = (stack: Stack) => events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default');

  test('on SES v2, EventDestination.eventBus renders EventBusArn, and DELIVERY_DELAY and SUBSCRIPTION are event types', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' }).addEventDestination('Bus', {
      destination: EventDestination.eventBus(defaultBus(stack)),
      events: [EmailSendingEvent.DELIVERY_DELAY, EmailSendingEvent.SUBSCRIPTION, EmailSendingEvent.BOUNCE],
    });

    const properties = propertiesOf(stack, DESTINATION_TYPE);
    expect(stack.resolve(properties.EventBusArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:123456789012:event-bus/default']],
    });
    expect(properties.MatchingEventTypes).toEqual(['DELIVERY_DELAY', 'SUBSCRIPTION', 'BOUNCE']);
    expect(synthErrors(stack)).toBe('');
  });

  test('the default events are the eight of Pinpoint Email on either API: switching the API changes no destination', () => {
    const eightEvents = ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK', 'RENDERING_FAILURE'];
    for (const api of [undefined, EmailApiVersion.SES_V2]) {
      const stack = newStack(api);
      new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' }).addEventDestination('Cw', {
        destination: EventDestination.cloudWatchDimensions([{ name: 'campaign', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' }]),
      });
      expect(propertiesOf(stack, DESTINATION_TYPE).MatchingEventTypes).toEqual(eightEvents);
      expect(propertiesOf(stack, DESTINATION_TYPE)).not.toHaveProperty('EventBusArn');
    }
  });

  test('on Pinpoint Email, the event bus and each SES-v2-only event type fail synth, naming the path, the prop and the switch', () => {
    const stack = newStack();
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' }).addEventDestination('Bus', {
      destination: EventDestination.eventBus(defaultBus(stack)),
      events: [EmailSendingEvent.DELIVERY_DELAY, EmailSendingEvent.SUBSCRIPTION, EmailSendingEvent.BOUNCE],
    });
    const errors = synthErrors(stack);
    expect(errors).toContain(`[Mail/Set/Bus] destination: EventDestination.eventBus ${SWITCH}`);
    expect(errors).toContain(`[Mail/Set/Bus] events: EmailSendingEvent.DELIVERY_DELAY ${SWITCH}`);
    expect(errors).toContain(`[Mail/Set/Bus] events: EmailSendingEvent.SUBSCRIPTION ${SWITCH}`);
    expect(errors).not.toContain('EmailSendingEvent.BOUNCE');
  });

  test.each([
    ['a bus of the app', (stack: Stack) => new events.EventBus(stack, 'Custom'), 'destination: Mail/Custom is a bus of this app'],
    ['another bus by name', (stack: Stack) => events.EventBus.fromEventBusName(stack, 'Other', 'orders'), 'destination: the event bus is named "orders"'],
    ['the default bus of another account and region', (stack: Stack) =>
      events.EventBus.fromEventBusArn(stack, 'Elsewhere', 'arn:aws:events:eu-west-1:210987654321:event-bus/default'),
    'destination: the event bus is in account 210987654321 and is in region eu-west-1'],
  ])('%s fails synth: SES publishes to the default bus of the stack\'s account and region only', (_what, bus, message) => {
    const stack = newStack(EmailApiVersion.SES_V2);
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' }).addEventDestination('Bus', { destination: EventDestination.eventBus(bus(stack)) });
    expect(synthErrors(stack)).toContain(`[Mail/Set/Bus] ${message}; EventDestination.eventBus needs the default event bus`);
  });

  test('the default bus by ARN, or a bus whose ARN is a parameter, synthesizes', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    const set = new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' });
    set.addEventDestination('ByArn', { destination: EventDestination.eventBus(events.EventBus.fromEventBusArn(stack, 'ByArnBus', DEFAULT_BUS_ARN)) });
    const parameter = new CfnParameter(stack, 'BusArn').valueAsString;
    set.addEventDestination('ByParameter', { destination: EventDestination.eventBus(events.EventBus.fromEventBusArn(stack, 'ParameterBus', parameter)) });
    expect(synthErrors(stack)).toBe('');
  });
});

describe('the handler\'s policy', () => {
  const SES_V2_ACTIONS = ['ses:GetDedicatedIpPool', 'ses:PutConfigurationSetSuppressionOptions', 'ses:PutConfigurationSetVdmOptions',
    'ses:PutDedicatedIpPoolScalingAttributes'];
  const declare = (stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing' });
  };

  test('on SES v2, grants the SES-v2-only actions of the stack\'s kinds though no prop needs them (removing one calls its Put)', () => {
    const stack = newStack(EmailApiVersion.SES_V2);
    declare(stack);
    expect(actionsOf(stack)).toEqual(expect.arrayContaining(SES_V2_ACTIONS));
  });

  test('on SES v2 chosen with EmailApi.use after the constructs, the same', () => {
    const stack = newStack();
    declare(stack);
    EmailApi.use(stack, EmailApiVersion.SES_V2);
    expect(actionsOf(stack)).toEqual(expect.arrayContaining(SES_V2_ACTIONS));
  });

  test('on Pinpoint Email, none of them', () => {
    const stack = newStack();
    declare(stack);
    expect(actionsOf(stack).filter((action) => SES_V2_ACTIONS.includes(action))).toEqual([]);
  });
});
