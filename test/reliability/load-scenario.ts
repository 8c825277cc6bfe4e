/**
 * The load scenario shared by scripts/load-test.ts (50 resources at 1 request per second, timed) and
 * test/reliability/load.test.ts (a small variant, correctness only): one stack with every kind of resource, created
 * at once as CloudFormation does, then its tags updated, then deleted, against the local service under a hard rate
 * limit. After each phase the service's state must be exactly what was asked: every resource of the stack with its
 * tags (and the ownership tag), and the unrelated resources seeded before the stack untouched.
 *
 * No jest here: problems are returned as messages, so that the script can print them too.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OWNER_TAG_KEY } from '../../lambda/ownership';
import { ConfigurationSet, DedicatedIpPool, DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../../src';
import { DriverEvent, DriverResult, LifecycleDriver } from '../support/lifecycle-driver';
import { AccountState, LocalPinpointEmailService } from '../support/local-service';

export interface LoadOptions {
  readonly service: LocalPinpointEmailService;
  /** How many resources the stack has (the four kinds in turn). */
  readonly resources: number;
  /** The service's rate limit, in requests per second (all requests together). */
  readonly requestsPerSecond: number;
  /** The Lambda timeout the driver gives the handler. */
  readonly timeoutMs: number;
  /** The handler asset to run. @default the bundle `npx projen bundle` builds */
  readonly handlerPath?: string;
  /** Called after each CloudFormation request, for progress output. */
  readonly onEvent?: (event: DriverEvent) => void;
}

export interface PhaseReport {
  readonly phase: 'create' | 'update tags' | 'delete';
  readonly status: string;
  readonly ms: number;
  /** API calls the service admitted (answered other than 429): what the rate limit counts. */
  readonly admitted: number;
  /** Calls answered 429 TooManyRequestsException (retried by the handler). */
  readonly throttled: number;
  /** The least time these calls can take at the rate limit: admitted / rate. */
  readonly floorMs: number;
  /** The slowest single CloudFormation request of the phase. */
  readonly slowestEventMs: number;
  /** What differs from the state that was asked for (empty when correct). */
  readonly problems: string[];
}

export interface LoadReport {
  readonly phases: PhaseReport[];
  readonly totalMs: number;
  readonly totalAdmitted: number;
  readonly totalFloorMs: number;
}

const STACK_NAME = 'Load';
const SENDER_DOMAIN = 'load-sender.example.com';
const SENDER = `test@${SENDER_DOMAIN}`;
const KINDS = ['set', 'pool', 'identity', 'test'] as const;
type Kind = typeof KINDS[number];

interface Planned {
  readonly kind: Kind;
  readonly index: number;
  /** The name in the service (a report's name for a test). */
  readonly name: string;
}

function plan(count: number): Planned[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = KINDS[index % KINDS.length];
    const name = kind === 'identity' ? `load-${index}.example.com` : `load-${kind}-${index}`;
    return { kind, index, name };
  });
}

/** The tags of each phase: the update changes one value and adds a key. */
function tagsOf(resource: Planned, phase: 1 | 2): Record<string, string> {
  return phase === 1 ? { team: 'mail', index: String(resource.index) } : { team: 'ops', index: String(resource.index), phase: '2' };
}

function template(resources: Planned[], phase: 1 | 2): Record<string, any> {
  const stack = new Stack(new App(), STACK_NAME);
  for (const r of resources) {
    const tags = tagsOf(r, phase);
    const id = `R${r.index}`;
    if (r.kind === 'set') new ConfigurationSet(stack, id, { configurationSetName: r.name, tags });
    if (r.kind === 'pool') new DedicatedIpPool(stack, id, { dedicatedIpPoolName: r.name, tags });
    if (r.kind === 'identity') new EmailIdentity(stack, id, { identity: Identity.domain(r.name), tags });
    if (r.kind === 'test') {
      new DeliverabilityTest(stack, id, {
        fromEmailAddress: SENDER, reportName: r.name, content: TestContent.simple({ subject: `Load ${r.index}`, text: 'Hello' }), tags,
      });
    }
  }
  return Template.fromStack(stack).toJSON();
}

/** Resources that exist before the stack and must survive it unchanged, plus what the deliverability tests need. */
function seedUnrelated(state: AccountState): void {
  for (let i = 1; i <= 3; i++) state.addConfigurationSet(`unrelated-set-${i}`, { tags: { owner: 'someone else' } });
  for (let i = 1; i <= 2; i++) state.addDedicatedIpPool(`unrelated-pool-${i}`, { owner: 'someone else' });
  state.addEmailIdentity('unrelated.example.com', { verified: true, tags: { owner: 'someone else' } });
  state.addEmailIdentity(SENDER, { verified: true });
  state.addEmailIdentity(SENDER_DOMAIN, { verified: true });
  state.enableDashboard();
  for (let i = 1; i <= 2; i++) {
    // Same sender, name and subject as tests of the stack, but an hour old: never taken for the stack's own report.
    state.deliverabilityTestReports.set(`unrelated-report-${i}`, {
      reportId: `unrelated-report-${i}`,
      reportName: `load-test-${i * 4 - 1}`,
      fromEmailAddress: SENDER,
      subject: `Load ${i * 4 - 1}`,
      createDate: new Date(Date.now() - 3_600_000),
      status: 'COMPLETED',
      tags: { owner: 'someone else' },
    });
  }
}

/** The resources of the four kinds as plain JSON, Maps and Dates included, for exact comparison. */
function unrelatedSnapshot(state: AccountState): string {
  const pick = <T>(map: Map<string, T>) => [...map].filter(([name]) => name.startsWith('unrelated') || name.startsWith(SENDER_DOMAIN) || name === SENDER);
  return JSON.stringify({
    sets: pick(state.configurationSets).map(([name, r]) => [name, { ...r, eventDestinations: [...r.eventDestinations] }]),
    pools: pick(state.dedicatedIpPools),
    identities: pick(state.emailIdentities),
    reports: pick(state.deliverabilityTestReports),
  });
}

/** What differs between the service's state and the stack's resources at `phase` (0: deleted). */
function verify(state: AccountState, resources: Planned[], phase: 0 | 1 | 2, unrelated: string): string[] {
  const problems: string[] = [];
  if (unrelatedSnapshot(state) !== unrelated) problems.push('a resource that existed before the stack was changed or deleted');

  const ours = <T>(map: Map<string, T>) => [...map.keys()].filter((name) => name.startsWith('load-') && !name.startsWith(SENDER_DOMAIN)).sort();
  const expectedNames = (kind: Kind) => (phase === 0 ? [] : resources.filter((r) => r.kind === kind).map((r) => r.name).sort());
  const compare = (what: string, actual: string[], expected: string[]) => {
    const missing = expected.filter((n) => !actual.includes(n));
    const extra = actual.filter((n) => !expected.includes(n));
    if (missing.length > 0) problems.push(`${what} missing: ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`${what} left behind: ${extra.join(', ')}`);
  };
  compare('configuration sets', ours(state.configurationSets), expectedNames('set'));
  compare('dedicated IP pools', ours(state.dedicatedIpPools), expectedNames('pool'));
  compare('email identities', ours(state.emailIdentities), expectedNames('identity'));

  // Reports cannot be deleted: after the delete phase they all stay, one per test, with their last tags.
  const reports = [...state.deliverabilityTestReports.values()].filter((r) => !r.reportId.startsWith('unrelated'));
  compare('deliverability test reports', reports.map((r) => r.reportName ?? '').sort(), resources.filter((r) => r.kind === 'test').map((r) => r.name).sort());

  const tagPhase = phase === 0 ? 2 : phase;
  for (const r of resources) {
    if (phase === 0 && r.kind !== 'test') continue;
    const record = r.kind === 'set' ? state.configurationSets.get(r.name)
      : r.kind === 'pool' ? state.dedicatedIpPools.get(r.name)
        : r.kind === 'identity' ? state.emailIdentities.get(r.name)
          : reports.find((report) => report.reportName === r.name);
    if (!record) continue;
    const { [OWNER_TAG_KEY]: owner, ...tags } = record.tags;
    // A report's marker also names the request that created it; the Delete of a report removes its marker.
    const released = phase === 0 && r.kind === 'test';
    if (released ? owner !== undefined : !/^[0-9a-f-]{36}:[0-9a-f]{32}( .+)?$/.test(owner ?? '')) {
      problems.push(`${r.name} ${released ? 'still has' : 'has no'} ownership tag`);
    }
    if (JSON.stringify(Object.entries(tags).sort()) !== JSON.stringify(Object.entries(tagsOf(r, tagPhase)).sort())) {
      problems.push(`${r.name} has tags ${JSON.stringify(tags)}, not ${JSON.stringify(tagsOf(r, tagPhase))}`);
    }
  }
  return problems;
}

/** Runs the three phases and reports their times, call counts and problems. Resets the service first. */
export async function runLoadScenario(options: LoadOptions): Promise<LoadReport> {
  const { service, requestsPerSecond } = options;
  service.reset();
  const state = service.account();
  seedUnrelated(state);
  const unrelated = unrelatedSnapshot(state);
  const resources = plan(options.resources);
  const driver = new LifecycleDriver({
    env: service.clientEnv(),
    iam: service.iam,
    stackName: STACK_NAME,
    timeoutMs: options.timeoutMs,
    onEvent: options.onEvent,
    handlerPath: options.handlerPath,
  });
  service.setRateLimit(requestsPerSecond);
  const phases: PhaseReport[] = [];
  const started = Date.now();

  const run = async (phase: PhaseReport['phase'], operation: () => Promise<DriverResult>, expected: 0 | 1 | 2): Promise<boolean> => {
    const first = service.calls.length;
    const result = await operation();
    const calls = service.calls.slice(first);
    const admitted = calls.filter((c) => c.status !== 429).length;
    const problems = verify(state, resources, expected, unrelated);
    if (!result.ok) problems.unshift(`${phase} ended ${result.status}: ${result.failure?.reason ?? result.rollbackFailure?.reason}`);
    for (const failure of result.cleanupFailures) problems.push(`cleanup failed: ${failure.logicalId}: ${failure.reason}`);
    phases.push({
      phase,
      status: result.status,
      ms: result.ms,
      admitted,
      throttled: calls.length - admitted,
      floorMs: Math.round((admitted / requestsPerSecond) * 1000),
      slowestEventMs: Math.max(0, ...result.events.map((e) => e.ms)),
      problems,
    });
    return result.ok;
  };

  try {
    if (await run('create', () => driver.deploy(template(resources, 1)), 1)) {
      await run('update tags', () => driver.deploy(template(resources, 2)), 2);
    }
    await run('delete', () => driver.destroy(), 0);
  } finally {
    service.setRateLimit(undefined);
    await driver.close();
  }
  return {
    phases,
    totalMs: Date.now() - started,
    totalAdmitted: phases.reduce((sum, p) => sum + p.admitted, 0),
    totalFloorMs: phases.reduce((sum, p) => sum + p.floorMs, 0),
  };
}
