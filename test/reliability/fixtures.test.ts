/**
 * Every property shape the handler has ever shipped keeps working: the fixtures (fixtures/*.json, one file per resource
 * type and schema version, never edited once shipped) are replayed through the bundled handler against the local
 * service as CloudFormation would send them: Create, Update, the Update of a rollback (old and new swapped), Delete.
 *
 * A guard checks that the fixtures of the current schema version cover every property the constructs render: a new
 * property needs a fixture (and a new schema version needs a new fixture file, next to the old ones).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createEvent, deleteEvent, reliabilityHarness, updateEvent } from './harness';
import { SENDER, seedSender } from './stacks';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityDashboard, DeliverabilityTest, EmailAccountSettings, EmailIdentity, Identity,
  MailFromBehaviorOnMxFailure,
  TestContent, TlsPolicy,
} from '../../src';
import { SCHEMA_VERSION } from '../../src/private/contract';
import { AccountState } from '../support/local-service';

interface Shape {
  readonly name: string;
  readonly create: Record<string, unknown>;
  readonly update: Record<string, unknown>;
  /** The update replaces the resource (a new physical id). */
  readonly replaces?: boolean;
}

interface Fixture {
  readonly file: string;
  readonly resourceType: string;
  readonly schemaVersion: string;
  readonly shapes: readonly Shape[];
}

const FIXTURE_DIR = path.join(__dirname, 'fixtures');
const FIXTURES: Fixture[] = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort()
  .map((file) => ({ file, ...JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) }));

/** Whether the resource with this physical id exists in the service (a report always does: no API deletes one). */
const EXISTS: Record<string, (state: AccountState, physicalId: string) => boolean> = {
  'Custom::PinpointEmailConfigurationSet': (state, id) => state.configurationSets.has(id),
  'Custom::PinpointEmailDedicatedIpPool': (state, id) => state.dedicatedIpPools.has(id),
  'Custom::PinpointEmailIdentity': (state, id) => state.emailIdentities.has(id),
  'Custom::PinpointEmailDeliverabilityTest': (state, id) => state.deliverabilityTestReports.has(id),
  'Custom::PinpointEmailDeliverabilityDashboard': (state) => state.dashboard.enabled,
  // In one of the fixture pools (it goes back to the default pool on delete); automatic warm-up off (back on at delete).
  'Custom::PinpointEmailDedicatedIp': (state, id) => /^fixture-pool/.test(state.dedicatedIps.get(id.split(':')[1])?.poolName ?? ''),
  'Custom::PinpointEmailAccountSettings': (state) => !state.settings.dedicatedIpAutoWarmupEnabled,
};

const h = reliabilityHarness();

beforeEach(() => {
  seedSender(h.state());
  h.state().addDedicatedIpPool('fixture-pool');
  h.state().addDedicatedIpPool('fixture-pool-2');
  h.state().addDedicatedIp('192.0.2.50');
});

const CASES = FIXTURES.flatMap((fixture) => fixture.shapes.map((shape) => ({ ...shape, fixture })));

test('there is a fixture file for every resource type', () => {
  expect(new Set(FIXTURES.map((f) => f.resourceType))).toEqual(new Set(Object.keys(EXISTS)));
});

test.each(CASES.map((c) => [c.fixture.file, c.name, c] as const))('%s, %s: Create, Update, rollback Update and Delete succeed', async (_file, _name, shape) => {
  const type = shape.fixture.resourceType;
  const exists = (id: string) => EXISTS[type](h.state(), id);
  // The dashboard starts disabled, so that its Create enables it and its Delete disables it again.
  if (type.endsWith('Dashboard')) Object.assign(h.state().dashboard, { enabled: false, accountStatus: 'DISABLED', subscribedDomains: [] });

  const created = await h.invoke(createEvent(type, shape.create, { logicalId: 'Fixture' }));
  expect(created.body).toMatchObject({ Status: 'SUCCESS' });
  const id = String(created.body.PhysicalResourceId);
  expect(exists(id)).toBe(true);

  const updated = await h.invoke(updateEvent(type, id, shape.update, shape.create, { logicalId: 'Fixture' }));
  expect(updated.body).toMatchObject({ Status: 'SUCCESS' });
  const newId = String(updated.body.PhysicalResourceId);
  expect(newId === id).toBe(!shape.replaces);
  expect(exists(newId)).toBe(true);

  // The rollback of that update: old and new swapped, sent to the id the update returned.
  const rolledBack = await h.invoke(updateEvent(type, newId, shape.create, shape.update, { logicalId: 'Fixture' }));
  expect(rolledBack.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });

  // CloudFormation then deletes the replacement (if any), and at last the resource; Delete carries the last properties.
  if (shape.replaces) {
    const cleanup = await h.invoke(deleteEvent(type, newId, shape.update, { logicalId: 'Fixture' }));
    expect(cleanup.body).toMatchObject({ Status: 'SUCCESS' });
  }
  const deleted = await h.invoke(deleteEvent(type, id, shape.create, { logicalId: 'Fixture' }));
  expect(deleted.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  if (!type.endsWith('DeliverabilityTest')) {
    expect(exists(id)).toBe(false);
    expect(exists(newId)).toBe(false);
  }
});

describe(`the fixtures of schema version ${SCHEMA_VERSION} cover every property the constructs render`, () => {
  /**
   * Every key path of a value: `Content.Simple.Subject`, `Tags[].Key`. An intrinsic (`Ref`, `Fn::GetAtt`...) is a leaf,
   * and so is a map of tags (`Tags{}`): its keys are tag keys, not property names.
   */
  function keyPaths(value: unknown, prefix = ''): string[] {
    if (prefix === 'Tags' && value !== null && typeof value === 'object' && !Array.isArray(value)) return ['Tags{}'];
    if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
    if (value === null || typeof value !== 'object') return [];
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return [];
    return Object.entries(value).flatMap(([key, item]) => {
      const here = prefix ? `${prefix}.${key}` : key;
      return [here, ...keyPaths(item, here)];
    });
  }

  /** One stack with every prop of every construct set (both kinds of test content). */
  function everyProp(): Stack {
    const stack = new Stack(new App(), 'Every');
    const tags = { team: 'mail' };
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'pool', tags });
    pool.addDedicatedIp('192.0.2.50', { warmupPercentage: 40 });
    new EmailAccountSettings(stack, 'Account', { sendingEnabled: true, autoWarmupEnabled: false });
    new ConfigurationSet(stack, 'Set', {
      configurationSetName: 'set',
      customTrackingRedirectDomain: 'links.example.com',
      dedicatedIpPool: pool,
      tlsPolicy: TlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: false,
      tags,
    });
    new EmailIdentity(stack, 'Identity', {
      identity: Identity.domain('example.com'),
      dkimSigning: false,
      feedbackForwarding: false,
      mailFromDomain: 'bounce.example.com',
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
      tags,
    });
    new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': { global: true, trackedIsps: ['Gmail'] } } });
    new DeliverabilityTest(stack, 'Simple', {
      fromEmailAddress: SENDER, reportName: 'r', content: TestContent.simple({ subject: 's', text: 't', html: '<p>h</p>', charset: 'UTF-8' }), tags,
    });
    new DeliverabilityTest(stack, 'Raw', { fromEmailAddress: SENDER, content: TestContent.raw('Subject: s\r\n\r\nbody\r\n') });
    new DeliverabilityTest(stack, 'Template', {
      fromEmailAddress: SENDER, content: TestContent.template('arn:aws:mobiletargeting:us-east-1:123456789012:templates/t/EMAIL', '{"v":1}'),
    });
    return stack;
  }

  const rendered = Object.values(Template.fromStack(everyProp()).toJSON().Resources as Record<string, { Type: string; Properties: object }>)
    .filter((r) => r.Type.startsWith('Custom::PinpointEmail'));

  test.each(Object.keys(EXISTS))('%s', (type) => {
    const current = FIXTURES.filter((f) => f.resourceType === type && f.schemaVersion === SCHEMA_VERSION);
    expect(current).toHaveLength(1);
    const covered = new Set(current[0].shapes.flatMap((s) => [...keyPaths(s.create), ...keyPaths(s.update)]));
    const needed = new Set(rendered.filter((r) => r.Type === type).flatMap((r) => keyPaths(r.Properties))
      .filter((key) => key !== 'ServiceToken' && key !== 'ServiceTimeout'));
    expect(needed.size).toBeGreaterThan(0);
    expect([...needed].filter((key) => !covered.has(key))).toEqual([]);
    for (const shape of current[0].shapes) expect(shape.create.SchemaVersion).toBe(SCHEMA_VERSION);
  });
});
