/**
 * The ownership marker against the local service, through the bundled handler: a create retried after it already
 * succeeded makes no duplicate and fails nothing; a resource of the same name owned by someone else fails the create
 * with the import message and stays untouched; the rollback of a rename restores the old resource.
 */
import { createEvent, physicalIdOf, reliabilityHarness, snapshot, STACK_ID } from './harness';
import { fourResources, IDS, seedSender, SENDER } from './stacks';
import { OWNER_TAG_KEY, ownerMarker, takenFlag } from '../../lambda/ownership';
import { ConfigurationSet } from '../../src';
import { ResourceTypes } from '../../src/private/contract';
import { ignoringOwnerRequests } from '../lifecycle/harness';

const h = reliabilityHarness();
const OTHER_STACK_ID = STACK_ID.replace('5e1f7a10', '9d8c7b6a');

/** A Create event of each kind, with options and tags, as CloudFormation delivers it. */
const CREATES = [
  {
    kind: 'a configuration set',
    type: ResourceTypes.CONFIGURATION_SET,
    name: 'retried-set',
    properties: { SchemaVersion: '1', ConfigurationSetName: 'retried-set', ReputationMetricsEnabled: true, Tags: [{ Key: 'team', Value: 'mail' }] },
    count: () => h.state().configurationSets.size,
  },
  {
    kind: 'a dedicated IP pool',
    type: ResourceTypes.DEDICATED_IP_POOL,
    name: 'retried-pool',
    properties: { SchemaVersion: '1', PoolName: 'retried-pool', Tags: [{ Key: 'team', Value: 'mail' }] },
    count: () => h.state().dedicatedIpPools.size,
  },
  {
    kind: 'an email identity',
    type: ResourceTypes.EMAIL_IDENTITY,
    name: 'retried.example.com',
    properties: { SchemaVersion: '1', EmailIdentity: 'retried.example.com', FeedbackForwardingEnabled: false, Tags: [{ Key: 'team', Value: 'mail' }] },
    // the sender's domain identity is seeded for every test
    count: () => h.state().emailIdentities.size - 1,
  },
  {
    kind: 'a deliverability test',
    type: ResourceTypes.DELIVERABILITY_TEST,
    name: undefined,
    properties: {
      SchemaVersion: '1', FromEmailAddress: SENDER, ReportName: 'retried', Content: { Simple: { Subject: 'Hi', Text: 'Hello' } }, Tags: [{ Key: 'team', Value: 'mail' }],
    },
    count: () => h.state().deliverabilityTestReports.size,
  },
];

beforeEach(() => seedSender(h.state()));

describe('a create retried after it already succeeded', () => {
  test.each(CREATES)('of $kind succeeds twice with the same physical id and Data, and makes one resource', async ({ type, name, properties, count }) => {
    const event = createEvent(type, properties, { logicalId: 'Retried' });

    const first = await h.invoke(event);
    const stateAfterFirst = snapshot(h.state());
    const second = await h.invoke(event);

    expect(first.body.Status).toBe('SUCCESS');
    expect(second.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.body.PhysicalResourceId, Data: first.body.Data });
    if (name !== undefined) expect(first.body.PhysicalResourceId).toBe(name);
    expect(count()).toBe(1);
    expect(snapshot(h.state())).toEqual(stateAfterFirst); // the retry changed nothing
    expect(second.calls.filter((c) => c.status === 200 && c.operation.startsWith('Create'))).toEqual([]);
  });

  test('of a deliverability test in a new Lambda environment, long after the request was issued, finds the report of its request: no duplicate', async () => {
    const event = createEvent(CREATES[3].type, CREATES[3].properties, { logicalId: 'Retried' });
    // The first attempt created the report, then its Lambda died before answering.
    const first = await h.invoke(event);
    const retried = await h.invoke(event, { newEnvironment: true, issuedAgoMs: 120_000 });

    expect(retried.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.body.PhysicalResourceId });
    expect(retried.calls.map((c) => c.operation)).toEqual(['ListDeliverabilityTestReports', 'ListTagsForResource']);
    expect(h.state().deliverabilityTestReports.size).toBe(1);
  });

  test('of a deliverability test on the happy path is one call, and a repeated delivery to the same environment none', async () => {
    const event = createEvent(CREATES[3].type, CREATES[3].properties, { logicalId: 'Once' });
    const first = await h.invoke(event);
    const again = await h.invoke(event);

    expect(first.calls.map((c) => c.operation)).toEqual(['CreateDeliverabilityTestReport']);
    expect(again.calls).toEqual([]);
    expect(again.body).toMatchObject({ PhysicalResourceId: first.body.PhysicalResourceId });
  });

  test('of an email identity that stopped between CreateEmailIdentity and its Puts gets the missing Puts', async () => {
    // What a first attempt leaves when the Lambda dies right after CreateEmailIdentity: the identity, its tags and the marker.
    const event = createEvent(ResourceTypes.EMAIL_IDENTITY, {
      SchemaVersion: '1',
      EmailIdentity: 'half.example.com',
      FeedbackForwardingEnabled: false,
      MailFromDomain: 'bounce.half.example.com',
      Tags: [{ Key: 'team', Value: 'mail' }],
    }, { logicalId: 'Half' });
    h.state().addEmailIdentity('half.example.com', { tags: { team: 'mail', [OWNER_TAG_KEY]: `${ownerMarker(STACK_ID, 'Half')} request=${event.RequestId}` } });

    const retried = await h.invoke(event);

    expect(retried.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'half.example.com' });
    expect(retried.calls.map((c) => c.operation)).toEqual([
      'GetEmailIdentity', 'PutEmailIdentityFeedbackAttributes', 'PutEmailIdentityMailFromAttributes',
    ]);
    expect(h.state().emailIdentities.get('half.example.com')).toMatchObject({
      feedbackForwarding: false, mailFrom: { MailFromDomain: 'bounce.half.example.com' },
    });
  });
});

describe('a resource of the same name owned by someone else', () => {
  const OWNERS = [
    ['no ownership tag', {}],
    ['another stack\'s ownership tag', { [OWNER_TAG_KEY]: ownerMarker(OTHER_STACK_ID, 'Retried') }],
    ['the ownership tag of another resource of this stack', { [OWNER_TAG_KEY]: ownerMarker(STACK_ID, 'Other') }],
  ] as const;

  test.each(OWNERS)('with %s: the create fails with the import message, for every named kind, and nothing is touched', async (_what, owner) => {
    const state = h.state();
    state.addConfigurationSet('retried-set', { tags: { team: 'theirs', ...owner } });
    state.addDedicatedIpPool('retried-pool', { team: 'theirs', ...owner });
    state.addEmailIdentity('retried.example.com', { tags: { team: 'theirs', ...owner } });
    const before = snapshot(state);

    for (const { type, properties } of CREATES.slice(0, 3)) {
      const result = await h.invoke(createEvent(type, properties, { logicalId: 'Retried' }));
      expect(result.body.Status).toBe('FAILED');
      expect(result.body.Reason).toMatch(/already exists and is not managed by this stack, so it was neither adopted nor changed/);
      expect(result.body.Reason).toMatch(/from(ConfigurationSet|DedicatedIpPool|EmailIdentity)Name\(this, 'Imported', '/);
      expect(result.body.PhysicalResourceId).toMatch(/^cdk-pinpoint-email:create-failed:/);
    }
    expect(snapshot(state)).toEqual(before);
  });

  test.each(OWNERS)('with %s: a deliverability test that may be a retry (issued 2 minutes ago) does not reuse the report, creates its own and leaves the other alone', async (_what, owner) => {
    // A report that matches in every listed field, created a second ago (structuredClone would give a Date of another realm).
    const createDate = Date.now() - 1000;
    const theirs = () => ({
      reportId: 'theirs',
      reportName: 'retried',
      fromEmailAddress: SENDER,
      subject: 'Hi',
      createDate: new Date(createDate),
      status: 'IN_PROGRESS' as const,
      tags: { ...owner },
    });
    h.state().deliverabilityTestReports.set('theirs', theirs());

    const result = await h.invoke(createEvent(CREATES[3].type, CREATES[3].properties, { logicalId: 'Retried' }), { issuedAgoMs: 120_000 });

    // It was a candidate (its tags were read), and was not reused.
    expect(result.calls.filter((c) => c.operation === 'ListTagsForResource').map((c) => c.input.ResourceArn))
      .toEqual([h.state().arn('deliverability-test-report', 'theirs')]);
    expect(result.body.Status).toBe('SUCCESS');
    expect(result.body.PhysicalResourceId).not.toBe('theirs');
    expect(h.state().deliverabilityTestReports.size).toBe(2);
    expect(h.state().deliverabilityTestReports.get('theirs')).toEqual(theirs());
  });
});

describe('the rollback of a rename (another resource fails in the same update)', () => {
  const V1 = { set: 'orders-v1', pool: 'pool-v1', identity: 'v1.example.com', subject: 'Version 1' };
  const V2 = { set: 'orders-v2', pool: 'pool-v2', identity: 'v2.example.com', subject: 'Version 2' };

  test('restores every old resource unchanged and still the stack\'s, and deletes the new ones (UPDATE_ROLLBACK_COMPLETE)', async () => {
    h.state().addConfigurationSet('someone-elses-set');
    const created = await h.deployApp(fourResources(V1));
    expect(created.status).toBe('CREATE_COMPLETE');
    const oldReport = physicalIdOf(created, IDS.test)!;
    const before = snapshot(h.state());

    // V2 renames all four (a new report for the test), and adds a set that fails after them: it is owned by someone else.
    const updated = await h.deployApp((stack) => {
      fourResources(V2)(stack);
      const breaker = new ConfigurationSet(stack, 'Breaker', { configurationSetName: 'someone-elses-set' });
      for (const id of Object.values(IDS)) breaker.node.addDependency(stack.node.findChild(id));
    });

    expect(updated.failure).toMatchObject({ logicalId: expect.stringMatching(/^Breaker/), reason: expect.stringMatching(/not managed by this stack/) });
    expect(updated.rollbackFailure).toBeUndefined();
    expect(updated.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(updated.cleanupFailures).toEqual([]);
    // The renames did happen before the failure, and the rollback sent each resource back to its old name.
    for (const id of Object.values(IDS)) {
      const rollback = updated.events.find((e) => e.phase === 'UPDATE_ROLLBACK_IN_PROGRESS' && e.logicalId.startsWith(id));
      expect(rollback).toMatchObject({ requestType: 'Update', status: 'SUCCESS' });
      expect(rollback!.oldPhysicalId).not.toBe(rollback!.physicalId);
    }
    expect([...updated.resources.values()].map((r) => r.physicalId).sort())
      .toEqual([V1.set, V1.pool, V1.identity, oldReport].sort());

    // Every old resource as it was; the ownership tag of each now says the rollback took it back from the new name.
    const after = ignoringOwnerRequests(snapshot(h.state()));
    const was = ignoringOwnerRequests(before);
    expect(after.configurationSets).toEqual(was.configurationSets);
    expect(after.dedicatedIpPools).toEqual(was.dedicatedIpPools);
    expect(after.emailIdentities).toEqual(was.emailIdentities);
    expect(h.state().configurationSets.get(V1.set)!.tags[OWNER_TAG_KEY]).toMatch(new RegExp(`${takenFlag(V2.set)}$`));
    // No API deletes a report: the new one stays, the old one is the stack's again, both unchanged.
    expect([...after.deliverabilityTestReports.keys()]).toContain(oldReport);
    expect(after.deliverabilityTestReports.get(oldReport)).toEqual(was.deliverabilityTestReports.get(oldReport));
    expect(after.deliverabilityTestReports.size).toBe(2);

    // And the stack still owns them: destroy deletes the old names, leaves the other set.
    const destroyed = await h.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect([...h.state().configurationSets.keys()]).toEqual(['someone-elses-set']);
    expect(h.state().dedicatedIpPools.size).toBe(0);
    expect([...h.state().emailIdentities.keys()]).toEqual(['verified.example.com']);
  }, 30_000);
});
