/**
 * The options that only the SES API v2 has, through CloudFormation's lifecycle (the lifecycle driver running the built
 * handler) against the local service's `/v2/email`, IAM enforced: after each step, the service's state and the exact
 * calls it recorded. The handler's policy holds the SES-v2-only actions for as long as the stack uses SES v2, so
 * removing an option is allowed to call the Put that resets it.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { lifecycleHarness, snapshot, STACK_NAME, synth } from './harness';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetProps, DedicatedIpPool, DedicatedIpPoolProps, EmailApiVersion, EmailSendingEvent,
  EventDestination, HttpsPolicy, ScalingMode, SuppressionReasons,
} from '../../src';

const h = lifecycleHarness({ api: EmailApiVersion.SES_V2 });

const SET = 'orders';
const POOL = 'managed';

function setStack(props: ConfigurationSetProps) {
  return (stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET, ...props });
  };
}

function poolStack(props: DedicatedIpPoolProps) {
  return (stack: Stack) => {
    new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: POOL, ...props });
  };
}

/** `build`, plus a set deployed after everything else whose tag update fails: the stack rolls back. */
function thenFailing(build: (stack: Stack) => void, team: string) {
  return (stack: Stack) => {
    build(stack);
    const later = new ConfigurationSet(stack, 'Later', { configurationSetName: 'later', tags: { team } });
    for (const child of stack.node.children) if (child !== later && child.node.id !== 'PinpointEmailProvider') later.node.addDependency(child);
  };
}

const EVERY_OPTION: ConfigurationSetProps = {
  customTrackingRedirectDomain: 'links.example.com',
  customTrackingHttpsPolicy: HttpsPolicy.REQUIRE,
  maxDeliveryDuration: Duration.hours(2),
  suppressionReasons: SuppressionReasons.BOUNCES_ONLY,
  vdmOptions: { engagementMetrics: true, optimizedSharedDelivery: false },
};

describe('ConfigurationSet', () => {
  test('create sends every option in one CreateConfigurationSet', async () => {
    const result = await h.deployApp(setStack(EVERY_OPTION));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.operations()).toEqual(['CreateConfigurationSet']);
    expect(h.state().configurationSets.get(SET)).toMatchObject({
      TrackingOptions: { CustomRedirectDomain: 'links.example.com', HttpsPolicy: 'REQUIRE' },
      DeliveryOptions: { MaxDeliverySeconds: 7200 },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE'] },
      VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' }, GuardianOptions: { OptimizedSharedDelivery: 'DISABLED' } },
    });
  });

  test('an update calls only the Puts of the options that changed', async () => {
    await h.deployApp(setStack(EVERY_OPTION));

    const result = await h.deployApp(setStack({ ...EVERY_OPTION, suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
      ['PutConfigurationSetSuppressionOptions', { ConfigurationSetName: SET, SuppressedReasons: ['BOUNCE', 'COMPLAINT'] }],
    ]);
    expect(h.state().configurationSets.get(SET)!.SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });
  });

  test('removing every option puts each default back, under the policy of a template that sets none of them', async () => {
    await h.deployApp(setStack(EVERY_OPTION));

    const result = await h.deployApp(setStack({ customTrackingRedirectDomain: 'links.example.com' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
      ['PutConfigurationSetDeliveryOptions', { ConfigurationSetName: SET, TlsPolicy: 'OPTIONAL' }],
      ['PutConfigurationSetTrackingOptions', { ConfigurationSetName: SET, CustomRedirectDomain: 'links.example.com' }],
      ['PutConfigurationSetSuppressionOptions', { ConfigurationSetName: SET }],
      ['PutConfigurationSetVdmOptions', { ConfigurationSetName: SET }],
    ]);
    const record = h.state().configurationSets.get(SET)!;
    expect(record.TrackingOptions).toEqual({ CustomRedirectDomain: 'links.example.com' });
    expect(record.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL' });
    expect(record.VdmOptions).toBeUndefined();
  });

  // A PutConfigurationSetSuppressionOptions without SuppressedReasons puts the set back on the account's suppression
  // list settings, as Terraform's provider observed of AWS (docs/decisions.md, "Options of the SES API v2").
  test('removing suppressionReasons puts the set back on the account\'s suppression settings (no options of its own)', async () => {
    await h.deployApp(setStack({ suppressionReasons: SuppressionReasons.BOUNCES_ONLY }));

    await h.deployApp(setStack({}));

    expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([['PutConfigurationSetSuppressionOptions', { ConfigurationSetName: SET }]]);
    expect(h.state().configurationSets.get(SET)!.SuppressionOptions).toBeUndefined();
  });

  test('disableSuppressionList: no suppression list at all (an empty list, which unset is not)', async () => {
    await h.deployApp(setStack({ disableSuppressionList: true }));
    expect(h.state().configurationSets.get(SET)!.SuppressionOptions).toEqual({ SuppressedReasons: [] });

    await h.deployApp(setStack({ suppressionReasons: SuppressionReasons.COMPLAINTS_ONLY }));
    expect(h.state().configurationSets.get(SET)!.SuppressionOptions).toEqual({ SuppressedReasons: ['COMPLAINT'] });
  });

  test('an update that set options and failed elsewhere rolls back to exactly the old options', async () => {
    const before = { suppressionReasons: SuppressionReasons.BOUNCES_ONLY, maxDeliveryDuration: Duration.minutes(30) };
    await h.deployApp(thenFailing(setStack(before), 'a'));
    const state = snapshot(h.state());
    h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

    const result = await h.deployApp(thenFailing(setStack({ disableSuppressionList: true, vdmOptions: { engagementMetrics: true } }), 'b'));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.rollbackFailure).toBeUndefined();
    expect(snapshot(h.state())).toEqual(state);
  });
});

describe('DedicatedIpPool', () => {
  test('create sends the scaling mode', async () => {
    const result = await h.deployApp(poolStack({ scalingMode: ScalingMode.MANAGED }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.callsOf('CreateDedicatedIpPool').map((c) => c.input.ScalingMode)).toEqual(['MANAGED']);
    expect(h.state().dedicatedIpPools.get(POOL)).toMatchObject({ scalingMode: 'MANAGED' });
  });

  test('STANDARD to MANAGED converts the pool in place with one call', async () => {
    await h.deployApp(poolStack({}));

    const result = await h.deployApp(poolStack({ scalingMode: ScalingMode.MANAGED }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
      ['PutDedicatedIpPoolScalingAttributes', { PoolName: POOL, ScalingMode: 'MANAGED' }],
    ]);
    expect(h.state().dedicatedIpPools.get(POOL)).toMatchObject({ scalingMode: 'MANAGED' });
  });

  test('MANAGED to STANDARD fails the update with the API\'s message and what to do; the rollback leaves the pool MANAGED', async () => {
    await h.deployApp(poolStack({ scalingMode: ScalingMode.MANAGED }));

    const result = await h.deployApp(poolStack({}));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.failure!.reason).toContain(`Dedicated IP pool "${POOL}": PutDedicatedIpPoolScalingAttributes failed: BadRequestException: `);
    expect(result.failure!.reason).toContain('a MANAGED pool cannot become STANDARD again');
    expect(h.state().dedicatedIpPools.get(POOL)).toMatchObject({ scalingMode: 'MANAGED' });
  });

  test('the rollback of a conversion that succeeded cannot make the pool STANDARD again: it fails on the pool, saying so', async () => {
    await h.deployApp(thenFailing(poolStack({}), 'a'));
    h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

    const result = await h.deployApp(thenFailing(poolStack({ scalingMode: ScalingMode.MANAGED }), 'b'));

    expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
    expect(result.rollbackFailure!.reason).toContain('continue the rollback and skip this resource, which stays MANAGED');
    expect(h.state().dedicatedIpPools.get(POOL)).toMatchObject({ scalingMode: 'MANAGED' });
  });
});

describe('ConfigurationSetEventDestination', () => {
  const busDestination = (stack: Stack) => {
    new ConfigurationSet(stack, 'Set', { configurationSetName: SET }).addEventDestination('Bus', {
      destination: EventDestination.eventBus(events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.DELIVERY_DELAY, EmailSendingEvent.SUBSCRIPTION],
      configurationSetEventDestinationName: 'to-eventbridge',
    });
  };

  test('an EventBridge destination with the SES-v2-only event types is created, and becomes CloudWatch in one update', async () => {
    const created = await h.deployApp(busDestination);

    expect(created.status).toBe('CREATE_COMPLETE');
    expect(h.state().configurationSets.get(SET)!.eventDestinations.get('to-eventbridge')).toMatchObject({
      Enabled: true,
      MatchingEventTypes: ['DELIVERY_DELAY', 'SUBSCRIPTION'],
      EventBridgeDestination: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    });

    const updated = await h.deployApp((stack) => {
      new ConfigurationSet(stack, 'Set', { configurationSetName: SET }).addEventDestination('Bus', {
        destination: EventDestination.cloudWatchDimensions([{ name: 'campaign', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' }]),
        events: [EmailSendingEvent.DELIVERY_DELAY],
        configurationSetEventDestinationName: 'to-eventbridge',
      });
    });

    expect(updated.status).toBe('UPDATE_COMPLETE');
    expect(h.operations()).toEqual(['UpdateConfigurationSetEventDestination']);
    expect(h.state().configurationSets.get(SET)!.eventDestinations.get('to-eventbridge')!.EventBridgeDestination).toBeUndefined();
  });
});

describe('switching a deployed stack', () => {
  const onPinpointEmail = (build: (stack: Stack) => void) => h.driver.deploy(synth(build, STACK_NAME, EmailApiVersion.PINPOINT_EMAIL));

  test('from Pinpoint Email to SES v2 sends no event to the resources; the next update sets an SES v2 option under the new policy', async () => {
    await onPinpointEmail(setStack({}));
    h.service.clearCalls();

    const switched = await h.deployApp(setStack({}));

    expect(switched.status).toBe('UPDATE_COMPLETE');
    expect(switched.events).toEqual([]);
    expect(h.operations()).toEqual([]);

    const result = await h.deployApp(setStack({ suppressionReasons: SuppressionReasons.BOUNCES_ONLY }));
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(h.operations()).toEqual(['PutConfigurationSetSuppressionOptions']);
  });

  test('the rollback of an update that switched to SES v2 and set an option completes; the option stays (Pinpoint Email cannot reset it)', async () => {
    await onPinpointEmail(thenFailing(setStack({}), 'a'));
    h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

    const result = await h.deployApp(thenFailing(setStack({ suppressionReasons: SuppressionReasons.BOUNCES_ONLY }), 'b'));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.rollbackFailure).toBeUndefined();
    expect(h.state().configurationSets.get(SET)!.SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE'] });
  });
});
