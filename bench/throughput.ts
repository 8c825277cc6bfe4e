/**
 * Measurement 4, throughput under the rate limit: one stack of mixed resources, created and then deleted through the
 * lifecycle driver (every ready resource at once, as CloudFormation does) against the local service limited to R
 * requests per second. The floor is the time the admitted calls need at R per second.
 */
import { performance } from 'perf_hooks';
import { Stack } from 'aws-cdk-lib';
import { DeliverabilityTestAvailability, synthTemplate, VERIFIED_SENDER_DOMAIN } from './stacks';
import { median, round } from './stats';
import { ConfigurationSet, TlsPolicy } from '../src/configuration-set';
import { DedicatedIpPool } from '../src/dedicated-ip-pool';
import { EmailIdentity, Identity } from '../src/email-identity';
import { CfnTemplate, DriverEvent, DriverResult, LifecycleDriver } from '../test/support/lifecycle-driver';
import { LocalPinpointEmailService } from '../test/support/local-service';

export interface ResourceMix {
  readonly configurationSets: number;
  readonly dedicatedIpPools: number;
  readonly emailIdentities: number;
  readonly deliverabilityTests: number;
}

export interface ThroughputOptions {
  readonly requestsPerSecond: number;
  readonly mix: ResourceMix;
  /** Repetitions of the whole create + delete; the run with the median total time is reported. */
  readonly runs: number;
  readonly log: (line: string) => void;
  /** The handler bundle to run. @default the built asset (DEFAULT_HANDLER_PATH) */
  readonly handlerPath?: string;
  /** At most this many handler invocations at once. @default unbounded, as CloudFormation starts every ready resource */
  readonly concurrency?: number;
}

/** One create + delete. */
export interface ThroughputRun {
  readonly totalMs: number;
  readonly ratio: number;
  readonly throttled: number;
  readonly throttledPerAdmitted: number;
  readonly failures: number;
}

export interface ThroughputResult {
  /** Every run; the figures below are those of the median run, except `failures`, which counts all runs. */
  readonly runs: ThroughputRun[];
  readonly requestsPerSecond: number;
  readonly mix: ResourceMix;
  /** Set when the deliverability tests of the mix could not be built. */
  readonly gap?: string;
  readonly resources: number;
  readonly createMs: number;
  readonly deleteMs: number;
  readonly totalMs: number;
  /** Every request the service received, throttled ones included. */
  readonly totalRequests: number;
  /** Requests answered 429 (TooManyRequestsException) and retried by the handler. */
  readonly throttled: number;
  /** Requests let through the rate limit: the work itself. */
  readonly admittedCalls: number;
  /** throttled / admittedCalls: the share of the account's rate budget spent on refused requests. */
  readonly throttledPerAdmitted: number;
  /** admittedCalls / R, in ms */
  readonly floorMs: number;
  /** totalMs / floorMs */
  readonly ratio: number;
  /** Resources that ended FAILED, plus failed stack operations and cleanup failures, over all runs. */
  readonly failures: number;
  readonly failureReasons: string[];
  /** Configuration sets, pools and identities of the stack still in the account after the delete. */
  readonly leftBehind: number;
  /** The handler's retries of throttled calls (from its logs) and their backoff delays. */
  readonly retries: { readonly count: number; readonly medianDelayMs: number; readonly maxDelayMs: number };
  /** The longest stretch with no admitted call while the stack was in progress. */
  readonly longestIdleGapMs: number;
}

export async function measureThroughput(
  service: LocalPinpointEmailService, deliverabilityTest: DeliverabilityTestAvailability, options: ThroughputOptions,
): Promise<ThroughputResult> {
  const mix: ResourceMix = deliverabilityTest.available ? options.mix : { ...options.mix, deliverabilityTests: 0 };
  const template = synthTemplate('BenchThroughput', (stack) => buildMixedStack(stack, mix, deliverabilityTest));
  const results: Omit<ThroughputResult, 'runs'>[] = [];
  for (let run = 1; run <= options.runs; run++) {
    results.push(await measureOnce(service, template, mix, deliverabilityTest, options));
    options.log(`throughput: run ${run}/${options.runs} done`);
  }
  const byTime = [...results].sort((a, b) => a.totalMs - b.totalMs);
  const chosen = byTime[Math.floor((byTime.length - 1) / 2)];
  return {
    runs: results.map(({ totalMs, ratio, throttled, throttledPerAdmitted, failures }) =>
      ({ totalMs, ratio, throttled, throttledPerAdmitted, failures })),
    ...chosen,
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    failureReasons: results.flatMap((r) => r.failureReasons),
  };
}

async function measureOnce(
  service: LocalPinpointEmailService, template: CfnTemplate, mix: ResourceMix, deliverabilityTest: DeliverabilityTestAvailability,
  options: ThroughputOptions,
): Promise<Omit<ThroughputResult, 'runs'>> {
  service.reset();
  const account = service.account();
  account.enableDashboard();
  account.addEmailIdentity(VERIFIED_SENDER_DOMAIN);
  account.verifyIdentity(VERIFIED_SENDER_DOMAIN);
  service.setRateLimit(options.requestsPerSecond);

  const driver = new LifecycleDriver({
    env: service.clientEnv(), iam: service.iam, handlerPath: options.handlerPath, concurrency: options.concurrency,
  });
  const started = performance.now();
  let created: DriverResult;
  let deleted: DriverResult;
  let createdAt: number;
  try {
    created = await driver.deploy(template);
    createdAt = performance.now();
    deleted = await driver.destroy();
  } finally {
    service.setRateLimit(undefined);
    await driver.close();
  }
  const finished = performance.now();

  const calls = [...service.calls];
  const throttled = calls.filter((c) => c.status === 429).length;
  const admitted = calls.filter((c) => c.status !== 429);
  const floorMs = (admitted.length / options.requestsPerSecond) * 1000;
  const totalMs = finished - started;
  const failureReasons = [created, deleted].flatMap(failuresOf);
  const leftBehind = account.configurationSets.size + account.dedicatedIpPools.size + account.emailIdentities.size - 1; // the seeded sender
  return {
    requestsPerSecond: options.requestsPerSecond,
    mix,
    gap: deliverabilityTest.available ? undefined : deliverabilityTest.gap,
    resources: mix.configurationSets + mix.dedicatedIpPools + mix.emailIdentities + mix.deliverabilityTests,
    createMs: Math.round(createdAt - started),
    deleteMs: Math.round(finished - createdAt),
    totalMs: Math.round(totalMs),
    totalRequests: calls.length,
    throttled,
    admittedCalls: admitted.length,
    throttledPerAdmitted: round(throttled / admitted.length, 2),
    floorMs: Math.round(floorMs),
    ratio: round(totalMs / floorMs, 2),
    failures: failureReasons.length,
    failureReasons,
    leftBehind,
    retries: retriesOf([...created.events, ...deleted.events]),
    longestIdleGapMs: longestGap(admitted.map((c) => c.at)),
  };
}

/** The mix of the full run: 50 resources. */
export const FULL_MIX: ResourceMix = { configurationSets: 20, dedicatedIpPools: 10, emailIdentities: 15, deliverabilityTests: 5 };

/** Configuration sets with options, pools, address and domain identities (some with MAIL FROM), tests. */
export function buildMixedStack(stack: Stack, mix: ResourceMix, deliverabilityTest: DeliverabilityTestAvailability): void {
  const tags = (i: number) => ({ bench: 'throughput', index: String(i) });
  for (let i = 0; i < mix.configurationSets; i++) {
    new ConfigurationSet(stack, `ConfigurationSet${i}`, {
      configurationSetName: `bench-cs-${i}`,
      ...(i % 2 === 0 ? { tlsPolicy: TlsPolicy.REQUIRE } : { reputationMetrics: true }),
      tags: tags(i),
    });
  }
  for (let i = 0; i < mix.dedicatedIpPools; i++) {
    new DedicatedIpPool(stack, `Pool${i}`, { dedicatedIpPoolName: `bench-pool-${i}`, tags: tags(i) });
  }
  for (let i = 0; i < mix.emailIdentities; i++) {
    const domain = `d${i}.bench.example.com`;
    if (i % 3 === 0) {
      new EmailIdentity(stack, `Identity${i}`, { identity: Identity.email(`sender@${domain}`), tags: tags(i) });
    } else {
      new EmailIdentity(stack, `Identity${i}`, {
        identity: Identity.domain(domain),
        ...(i % 3 === 2 ? { feedbackForwarding: false, mailFromDomain: `mail.${domain}` } : {}),
        tags: tags(i),
      });
    }
  }
  if (!deliverabilityTest.available) return;
  const { DeliverabilityTest, TestContent } = deliverabilityTest.module;
  for (let i = 0; i < mix.deliverabilityTests; i++) {
    new DeliverabilityTest(stack, `Test${i}`, {
      fromEmailAddress: `bench${i}@${VERIFIED_SENDER_DOMAIN}`,
      content: TestContent.simple({ subject: `Bench ${i}`, text: 'Hello from the bench' }),
      tags: tags(i),
    });
  }
}

function failuresOf(result: DriverResult): string[] {
  const failed = result.events.filter((e) => e.status === 'FAILED').map((e) => `${e.requestType} ${e.logicalId}: ${e.reason}`);
  const cleanup = result.cleanupFailures.map((f) => `cleanup ${f.requestType} ${f.logicalId}: ${f.reason}`);
  const stack = result.ok || failed.length > 0 ? [] : [`stack ${result.status}`];
  return [...failed, ...cleanup, ...stack];
}

/** The handler logs one JSON line `{"message":"retrying",...,"delayMs":n}` per retry. */
function retriesOf(events: readonly DriverEvent[]): ThroughputResult['retries'] {
  const delays: number[] = [];
  for (const line of events.flatMap((e) => e.logs)) {
    try {
      const entry = JSON.parse(line) as { message?: string; delayMs?: number };
      if (entry.message === 'retrying' && typeof entry.delayMs === 'number') delays.push(entry.delayMs);
    } catch {
      // not one of the handler's JSON lines
    }
  }
  return { count: delays.length, medianDelayMs: Math.round(median(delays) || 0), maxDelayMs: Math.max(0, ...delays) };
}

function longestGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < sorted.length; i++) longest = Math.max(longest, sorted[i] - sorted[i - 1]);
  return longest;
}
