/**
 * Lifecycle edge cases through the local service and the bundled handler: a failed create never deletes what existed
 * before the stack; a Delete of a physical id the handler never produced makes no call; a resource deleted outside
 * CloudFormation fails an update with a message naming it, and its delete succeeds.
 */
import { Stack } from 'aws-cdk-lib';
import { deleteEvent, reliabilityHarness, snapshot } from './harness';
import { SENDER, seedSender } from './stacks';
import { ConfigurationSet, DedicatedIpPool, DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../../src';
import { ResourceTypes } from '../../src/private/contract';
import { AccountState } from '../support/local-service';

const h = reliabilityHarness();

beforeEach(() => seedSender(h.state()));

/** One resource of each kind, named `name` (the deliverability test's report name), with `tags`. */
const KINDS = [
  {
    kind: 'a configuration set',
    label: 'Configuration set',
    /** The first call of an update that changes only the tags (value change, no removal). */
    tagUpdateCall: 'TagResource',
    build: (name: string, tags: Record<string, string> = {}) => (stack: Stack) => new ConfigurationSet(stack, 'Subject', { configurationSetName: name, tags }),
    seed: (state: AccountState, name: string) => state.addConfigurationSet(name, { tags: { owner: 'someone else' } }),
    remove: (state: AccountState, name: string) => state.configurationSets.delete(name),
  },
  {
    kind: 'a dedicated IP pool',
    label: 'Dedicated IP pool',
    /** The first call of an update that changes only the tags (value change, no removal). */
    tagUpdateCall: 'TagResource',
    build: (name: string, tags: Record<string, string> = {}) => (stack: Stack) => new DedicatedIpPool(stack, 'Subject', { dedicatedIpPoolName: name, tags }),
    seed: (state: AccountState, name: string) => state.addDedicatedIpPool(name, { owner: 'someone else' }),
    remove: (state: AccountState, name: string) => state.dedicatedIpPools.delete(name),
  },
  {
    kind: 'an email identity',
    label: 'Email identity',
    /** The first call of an update that changes only the tags (value change, no removal). */
    tagUpdateCall: 'GetEmailIdentity',
    build: (name: string, tags: Record<string, string> = {}) => (stack: Stack) => new EmailIdentity(stack, 'Subject', {
      identity: Identity.domain(`${name}.example.com`), feedbackForwarding: false, tags,
    }),
    seed: (state: AccountState, name: string) => state.addEmailIdentity(`${name}.example.com`, { verified: true, tags: { owner: 'someone else' } }),
    remove: (state: AccountState, name: string) => state.emailIdentities.delete(`${name}.example.com`),
  },
  {
    kind: 'a deliverability test',
    label: 'Deliverability test',
    /** The first call of an update that changes only the tags (value change, no removal). */
    tagUpdateCall: 'TagResource',
    /**
     * The handler may tag a report only while it carries this stack's ownership tag (report ids are unknown before
     * the create, so no exact ARN is granted): IAM denies the call on a report that is gone before the service can
     * answer NotFound, as it would in AWS (the aws:ResourceTag condition has nothing to match).
     */
    vanishedError: 'AccessDeniedException',
    build: (name: string, tags: Record<string, string> = {}) => (stack: Stack) => new DeliverabilityTest(stack, 'Subject', {
      fromEmailAddress: SENDER, reportName: name, content: TestContent.simple({ subject: 'Hi', text: 'Hello' }), tags,
    }),
    seed: undefined,
    remove: (state: AccountState, name: string) => {
      for (const [id, report] of state.deliverabilityTestReports) if (report.reportName === name) state.deliverabilityTestReports.delete(id);
    },
  },
];

/** A set that the stack creates successfully, so that the rollback has something of its own to delete. */
function withCompanion(build: (stack: Stack) => unknown) {
  return (stack: Stack) => {
    build(stack);
    new ConfigurationSet(stack, 'Companion', { configurationSetName: 'companion' });
  };
}

describe('a create that fails never deletes, on rollback, anything that existed before the stack', () => {
  test.each(KINDS.filter((k) => k.seed))('$kind of the same name: ROLLBACK_COMPLETE, the stack\'s own resource deleted, the other untouched', async ({ build, seed }) => {
    seed!(h.state(), 'existing');
    const before = snapshot(h.state());

    const result = await h.deployApp(withCompanion(build('existing')));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toMatch(/already exists and is not managed by this stack/);
    const rollbackDeletes = result.events.filter((e) => e.phase === 'ROLLBACK_IN_PROGRESS');
    expect(rollbackDeletes.find((e) => e.logicalId.startsWith('Subject'))).toMatchObject({
      requestType: 'Delete', status: 'SUCCESS', physicalId: expect.stringMatching(/^cdk-pinpoint-email:create-failed:/),
    });
    // The only delete call is the companion's: the stack created it.
    expect(h.service.calls.filter((c) => c.operation.startsWith('Delete')).map((c) => [c.operation, c.input]))
      .toEqual([['DeleteConfigurationSet', { ConfigurationSetName: 'companion' }]]);
    expect(snapshot(h.state())).toEqual(before);
  });

  test('a deliverability test whose precondition fails (dashboard off) leaves every existing report alone', async () => {
    const state = h.state();
    state.dashboard.enabled = false;
    for (const name of ['existing', 'other']) {
      state.deliverabilityTestReports.set(name, {
        reportId: name, reportName: 'existing', fromEmailAddress: SENDER, subject: 'Hi', createDate: new Date(), status: 'COMPLETED', tags: {},
      });
    }
    const before = snapshot(state);

    const result = await h.deployApp(withCompanion(KINDS[3].build('existing')));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toMatch(/the Deliverability dashboard is not enabled/);
    // The create is tried first (and refused), then the dashboard is read to explain it; nothing else is called.
    expect(h.service.calls.filter((c) => !['GetDeliverabilityDashboardOptions', 'CreateConfigurationSet', 'DeleteConfigurationSet', 'ListTagsForResource'].includes(c.operation))
      .map((c) => [c.operation, c.status])).toEqual([['CreateDeliverabilityTestReport', 400]]);
    expect(snapshot(state)).toEqual(before);
  });
});

describe('a Delete of a physical id the handler never produced changes nothing and succeeds (no call; a test: at most a read of the report\'s marker)', () => {
  /** The properties of a resource of each kind whose real name is `mine`; the service holds `theirs` of every kind. */
  const PROPERTIES = [
    { type: ResourceTypes.CONFIGURATION_SET, properties: { SchemaVersion: '1', ConfigurationSetName: 'mine' } },
    { type: ResourceTypes.DEDICATED_IP_POOL, properties: { SchemaVersion: '1', PoolName: 'mine' } },
    { type: ResourceTypes.EMAIL_IDENTITY, properties: { SchemaVersion: '1', EmailIdentity: 'mine.example.com' } },
    {
      type: ResourceTypes.DELIVERABILITY_TEST,
      properties: { SchemaVersion: '1', FromEmailAddress: SENDER, Content: { Simple: { Subject: 'Hi', Text: 'Hello' } } },
    },
  ];
  const IDS = [
    ['this handler\'s create-failed marker', 'cdk-pinpoint-email:create-failed:7c9e6679-7425-40de-944b-e07fc1f90ae7'],
    ['the provider framework\'s create-failed marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['a placeholder id (a failed create without a response)', 'R-Subject-1A2B3C4D5E6F'],
    ['an id that does not match the properties (another resource\'s name)', 'theirs'],
    ['an id that does not match the properties (another identity)', 'theirs.example.com'],
  ];
  const CASES = PROPERTIES.flatMap((p) => IDS.map(([what, id]) => ({ ...p, what, id })));

  test.each(CASES)('$type, $what', async ({ type, properties, id }) => {
    const state = h.state();
    state.addConfigurationSet('theirs');
    state.addDedicatedIpPool('theirs');
    state.addEmailIdentity('theirs.example.com');
    const before = snapshot(state);

    const result = await h.invoke(deleteEvent(type, id, properties));

    expect(result.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    const reads = type === ResourceTypes.DELIVERABILITY_TEST && !/create-failed|CREATE_FAILED/i.test(id) ? ['ListTagsForResource'] : [];
    expect(result.calls.map((c) => c.operation)).toEqual(reads);
    expect(snapshot(state)).toEqual(before);
  });
});

describe('a resource deleted outside CloudFormation', () => {
  test.each(KINDS)('$kind: an update fails with a message naming it; the delete that follows succeeds', async (kind) => {
    const { label, tagUpdateCall, build, remove } = kind;
    const vanishedError = 'vanishedError' in kind ? kind.vanishedError : 'NotFoundException';
    // The handler retries AccessDenied (IAM propagation) until 30 s before the Lambda deadline: keep that short here.
    h.setTimeoutMs(32_000);
    expect((await h.deployApp(build('gone', { team: 'mail' }))).status).toBe('CREATE_COMPLETE');
    remove(h.state(), 'gone');

    const updated = await h.deployApp(build('gone', { team: 'ops' }));

    expect(updated.status).toMatch(/^UPDATE_ROLLBACK_(COMPLETE|FAILED)$/);
    expect(updated.failure?.logicalId).toMatch(/^Subject/);
    expect(updated.failure?.reason).toContain(`${label} "gone`);
    expect(updated.failure?.reason).toContain(`${tagUpdateCall} failed: ${vanishedError}`);
    if (vanishedError === 'NotFoundException') {
      expect(updated.failure?.reason).toContain('if it was deleted outside CloudFormation, remove it from the stack or rename it to create a new one');
    }

    const destroyed = await h.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(destroyed.events.map((e) => e.status)).toEqual(['SUCCESS']);
  });

  test.each(KINDS)('$kind: a delete with no update before it succeeds', async ({ build, remove }) => {
    expect((await h.deployApp(build('gone'))).status).toBe('CREATE_COMPLETE');
    remove(h.state(), 'gone');

    const destroyed = await h.destroy();

    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(destroyed.events).toHaveLength(1);
  });
});
