import {
  GetDeliverabilityDashboardOptionsCommand,
  GetDeliverabilityDashboardOptionsCommandOutput,
  PinpointEmailClient,
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, HandlerHarness, updateEvent } from './harness';
import { DASHBOARD_ENABLED_HERE, DASHBOARD_FOUND_ENABLED } from '../../lambda/resources/deliverability-dashboard';
import { ResourceTypes } from '../../src/private/contract';

const pinpoint = mockClient(PinpointEmailClient);
const harness = new HandlerHarness();
const TYPE = { resourceType: ResourceTypes.DELIVERABILITY_DASHBOARD };
const domains = (...names: string[]) => ({ SchemaVersion: '1', ...(names.length > 0 ? { SubscribedDomains: names } : {}) });
const TRACKING = { Global: true, TrackedIsps: ['Gmail'] };

/** Every call the handler made, in order: [operation, input]. */
function calls(): Array<[string, unknown]> {
  return pinpoint.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ''), command.input];
  });
}

function givenDashboard(options: Partial<GetDeliverabilityDashboardOptionsCommandOutput>): void {
  pinpoint.on(GetDeliverabilityDashboardOptionsCommand).resolves({ DashboardEnabled: false, ...options });
}

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  captureLogs();
});

describe('create', () => {
  test('enables a disabled dashboard with the domains, and records that it enabled it', async () => {
    givenDashboard({ DashboardEnabled: false });
    const response = await harness.run(createEvent(domains('example.com'), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', { DashboardEnabled: true, SubscribedDomains: [{ Domain: 'example.com' }] }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DASHBOARD_ENABLED_HERE });
  });

  test('enables it without domains', async () => {
    givenDashboard({ DashboardEnabled: false });
    await harness.run(createEvent(domains(), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', { DashboardEnabled: true }],
    ]);
  });

  test('adds its domains to a dashboard found enabled, keeping the others, and records that it found it', async () => {
    givenDashboard({ DashboardEnabled: true, ActiveSubscribedDomains: [{ Domain: 'other.com', SubscriptionStartDate: new Date(0), InboxPlacementTrackingOption: TRACKING }] });
    const response = await harness.run(createEvent(domains('example.com'), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', {
        DashboardEnabled: true,
        SubscribedDomains: [{ Domain: 'other.com', InboxPlacementTrackingOption: TRACKING }, { Domain: 'example.com' }],
      }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DASHBOARD_FOUND_ENABLED });
  });

  test('makes no write when the dashboard is enabled with its domains already', async () => {
    givenDashboard({ DashboardEnabled: true, ActiveSubscribedDomains: [{ Domain: 'example.com' }] });
    const response = await harness.run(createEvent(domains('example.com'), TYPE));

    expect(calls()).toEqual([['GetDeliverabilityDashboardOptions', {}]]);
    expect(response.body.PhysicalResourceId).toBe(DASHBOARD_FOUND_ENABLED);
  });
});

describe('update', () => {
  test('removes only the domains it no longer wants and adds the new ones', async () => {
    givenDashboard({
      DashboardEnabled: true,
      ActiveSubscribedDomains: [{ Domain: 'a.com' }, { Domain: 'b.com' }, { Domain: 'x.com', InboxPlacementTrackingOption: TRACKING }],
    });
    const response = await harness.run(updateEvent(DASHBOARD_FOUND_ENABLED, domains('b.com', 'c.com'), domains('a.com', 'b.com'), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', {
        DashboardEnabled: true,
        SubscribedDomains: [{ Domain: 'b.com' }, { Domain: 'x.com', InboxPlacementTrackingOption: TRACKING }, { Domain: 'c.com' }],
      }],
    ]);
    expect(response.body.PhysicalResourceId).toBe(DASHBOARD_FOUND_ENABLED);
  });

  test('re-enables a dashboard disabled outside the stack, which then counts as enabled here', async () => {
    givenDashboard({ DashboardEnabled: false });
    const response = await harness.run(updateEvent(DASHBOARD_FOUND_ENABLED, domains('c.com'), domains('a.com'), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', { DashboardEnabled: true, SubscribedDomains: [{ Domain: 'c.com' }] }],
    ]);
    expect(response.body.PhysicalResourceId).toBe(DASHBOARD_ENABLED_HERE);
  });
});

describe('delete', () => {
  test('disables the dashboard that it enabled', async () => {
    const response = await harness.run(deleteEvent(DASHBOARD_ENABLED_HERE, domains('example.com'), TYPE));

    expect(calls()).toEqual([['PutDeliverabilityDashboardOption', { DashboardEnabled: false }]]);
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('never disables a dashboard that it found enabled, and takes back only the domains it subscribed', async () => {
    givenDashboard({ DashboardEnabled: true, AccountStatus: 'ACTIVE', ActiveSubscribedDomains: [{ Domain: 'example.com' }, { Domain: 'theirs.com' }] });
    const response = await harness.run(deleteEvent(DASHBOARD_FOUND_ENABLED, domains('example.com'), TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['PutDeliverabilityDashboardOption', { DashboardEnabled: true, SubscribedDomains: [{ Domain: 'theirs.com' }] }],
    ]);
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('makes no call for a dashboard found enabled without domains of its own', async () => {
    const response = await harness.run(deleteEvent(DASHBOARD_FOUND_ENABLED, domains(), TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('leaves a dashboard found enabled alone once someone else disabled it', async () => {
    givenDashboard({ DashboardEnabled: true, AccountStatus: 'PENDING_EXPIRATION', ActiveSubscribedDomains: [{ Domain: 'example.com' }] });
    await harness.run(deleteEvent(DASHBOARD_FOUND_ENABLED, domains('example.com'), TYPE));

    expect(calls()).toEqual([['GetDeliverabilityDashboardOptions', {}]]);
  });

  test.each(['cdk-pinpoint-email:create-failed:request-1', 'something-else'])('makes no call for the id %s', async (physicalId) => {
    const response = await harness.run(deleteEvent(physicalId, domains(), TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body.Status).toBe('SUCCESS');
  });
});

test('rejects SubscribedDomains that are not a list of strings before any call', async () => {
  const response = await harness.run(createEvent({ SchemaVersion: '1', SubscribedDomains: 'example.com' }, TYPE));

  expect(pinpoint.calls()).toHaveLength(0);
  expect(response.body.Reason).toBe(`${ResourceTypes.DELIVERABILITY_DASHBOARD} MailSet1A2B3C4D: property SubscribedDomains must be a list of strings`);
});
