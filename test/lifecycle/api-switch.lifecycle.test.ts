/**
 * Switching a deployed stack between the Pinpoint Email API and the SES API v2 (the context key
 * `cdk-pinpoint-email:api`), through CloudFormation's lifecycle with IAM enforced: deploy on Pinpoint Email, switch to
 * SES v2, change tags and options there, switch back, destroy. A switch updates the handler function only: no custom
 * resource event, no API call, no replacement, the same physical ids and the same state.
 */
import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ignoringOwnerRequests, lifecycleHarness, snapshot, StateSnapshot, synth } from './harness';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityDashboard, EmailAccountSettings, EmailApiVersion, EmailIdentity, EmailSendingEvent,
  EventDestination, Identity, TlsPolicy,
} from '../../src';
import { DriverResult } from '../support/lifecycle-driver';

const h = lifecycleHarness();

interface Version {
  readonly team: string;
  readonly tlsPolicy: TlsPolicy;
  readonly feedbackForwarding: boolean;
  readonly events: EmailSendingEvent[];
  readonly autoWarmupEnabled: boolean;
}

const FIRST: Version = { team: 'mail', tlsPolicy: TlsPolicy.OPTIONAL, feedbackForwarding: true, events: [EmailSendingEvent.BOUNCE], autoWarmupEnabled: true };
const CHANGED: Version = { team: 'payments', tlsPolicy: TlsPolicy.REQUIRE, feedbackForwarding: false, events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT], autoWarmupEnabled: false };

/** Every kind of resource the two APIs share, in one stack. */
function app(version: Version, api: EmailApiVersion): Record<string, any> {
  return synth((stack: Stack) => {
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing', tags: { team: version.team } });
    const set = new ConfigurationSet(stack, 'Set', {
      configurationSetName: 'transactional', dedicatedIpPool: pool, tlsPolicy: version.tlsPolicy, tags: { team: version.team },
    });
    set.addEventDestination('Bounces', { destination: EventDestination.snsTopic(new sns.Topic(stack, 'Topic')), events: version.events });
    new EmailIdentity(stack, 'Domain', {
      identity: Identity.domain('example.com'), feedbackForwarding: version.feedbackForwarding, tags: { team: version.team },
    });
    new EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: version.autoWarmupEnabled });
    new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
  }, 'S', api);
}

function expectComplete(result: DriverResult, status: string): void {
  expect({ status: result.status, failure: result.failure }).toEqual({ status, failure: undefined });
}

/** The physical id of each custom resource of the stack, by logical id. */
function physicalIds(): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const event of h.driver.events) if (event.physicalId !== undefined && event.requestType !== 'Delete') ids[event.logicalId] = event.physicalId;
  return ids;
}

async function switchTo(version: Version, api: EmailApiVersion, before: StateSnapshot): Promise<void> {
  const ids = physicalIds();
  const eventsBefore = h.driver.events.length;
  const result = await h.driver.deploy(app(version, api));
  h.service.clearCalls();

  expectComplete(result, 'UPDATE_COMPLETE');
  expect(result.events).toEqual([]); // no custom resource event: the function alone changed
  expect(h.driver.events).toHaveLength(eventsBefore);
  expect(physicalIds()).toEqual(ids);
  expect(snapshot(h.state())).toEqual(before);
}

test('Pinpoint Email -> SES v2 -> changes on SES v2 -> Pinpoint Email -> destroy: the switches change nothing', async () => {
  // 1. Deploy on Pinpoint Email: every call through /v1.
  expectComplete(await h.driver.deploy(app(FIRST, EmailApiVersion.PINPOINT_EMAIL)), 'CREATE_COMPLETE');
  const calls = h.service.calls;
  expect(calls.map((c) => c.operation).sort()).toEqual([
    'CreateConfigurationSet', 'CreateConfigurationSetEventDestination', 'CreateDedicatedIpPool', 'CreateEmailIdentity',
    'GetAccount', 'GetDeliverabilityDashboardOptions', 'GetEmailIdentity', 'PutDeliverabilityDashboardOption',
  ]);
  expect(calls.filter((c) => c.api !== 'v1')).toEqual([]);
  const deployed = snapshot(h.state());
  expect(deployed.configurationSets.get('transactional')).toMatchObject({
    tags: expect.objectContaining({ team: 'mail' }), DeliveryOptions: { TlsPolicy: 'OPTIONAL', SendingPoolName: 'marketing' },
  });
  expect(deployed.emailIdentities.get('example.com')).toMatchObject({ feedbackForwarding: true, tags: expect.objectContaining({ team: 'mail' }) });

  // 2. Switch to SES v2: nothing is sent, and nothing changes.
  h.service.clearCalls();
  await switchTo(FIRST, EmailApiVersion.SES_V2, deployed);
  expect(h.service.calls).toEqual([]);

  // 3. Change tags and options on SES v2: only the calls that changed inputs, every one through /v2.
  h.service.clearCalls();
  expectComplete(await h.driver.deploy(app(CHANGED, EmailApiVersion.SES_V2)), 'UPDATE_COMPLETE');
  const changes = h.service.calls;
  expect(changes.filter((c) => c.api !== 'v2')).toEqual([]);
  expect(h.service.writeCalls().map((c) => c.operation).sort()).toEqual([
    'PutAccountDedicatedIpWarmupAttributes',
    'PutConfigurationSetDeliveryOptions',
    'PutEmailIdentityFeedbackAttributes',
    'TagResource', 'TagResource', 'TagResource',
    'UpdateConfigurationSetEventDestination',
  ]);
  const changed = snapshot(h.state());
  expect(changed.configurationSets.get('transactional')).toMatchObject({
    tags: expect.objectContaining({ team: 'payments' }), DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'marketing' },
  });
  expect(changed.emailIdentities.get('example.com')).toMatchObject({ feedbackForwarding: false, tags: expect.objectContaining({ team: 'payments' }) });
  expect(changed.dedicatedIpPools.get('marketing')).toMatchObject({ tags: expect.objectContaining({ team: 'payments' }) });
  expect(changed.settings.dedicatedIpAutoWarmupEnabled).toBe(false);
  expect([...changed.configurationSets.get('transactional')!.eventDestinations.values()].map((d) => d.MatchingEventTypes)).toEqual([['BOUNCE', 'COMPLAINT']]);
  expect(ignoringOwnerRequests(changed)).not.toEqual(ignoringOwnerRequests(deployed));

  // 4. Switch back to Pinpoint Email: nothing is sent, and nothing changes.
  h.service.clearCalls();
  await switchTo(CHANGED, EmailApiVersion.PINPOINT_EMAIL, changed);
  expect(h.service.calls).toEqual([]);

  // 5. Destroy on Pinpoint Email: every call through /v1, and nothing of the stack is left.
  h.service.clearCalls();
  expectComplete(await h.driver.destroy(), 'DELETE_COMPLETE');
  expect(h.service.calls.map((c) => c.operation).sort()).toEqual([
    'DeleteConfigurationSet', 'DeleteConfigurationSetEventDestination', 'DeleteDedicatedIpPool', 'DeleteEmailIdentity',
    'GetEmailIdentity', 'ListTagsForResource', 'ListTagsForResource', 'PutAccountDedicatedIpWarmupAttributes',
    'PutDeliverabilityDashboardOption',
  ]);
  expect(h.service.calls.filter((c) => c.api !== 'v1')).toEqual([]);
  const left = h.state();
  expect([...left.configurationSets.keys(), ...left.dedicatedIpPools.keys(), ...left.emailIdentities.keys()]).toEqual([]);
  expect(left.dashboard.enabled).toBe(false);
  expect(left.settings.dedicatedIpAutoWarmupEnabled).toBe(true); // the account's setting as the stack found it
});
