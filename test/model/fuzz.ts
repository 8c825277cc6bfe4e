/**
 * The fuzzer: random histories (fast-check) run against the model; a divergence shrinks to a minimal history, printed
 * with its seed. The limits of CloudFormation and of the API that the model follows are counted (limits.ts).
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as fc from 'fast-check';
import { putByoDkimKeys } from './byodkim';
import { describeHistory, History, historyArb } from './history';
import { HistoryOutcome, runHistory, RunOptions, synthDir } from './run-history';
import { FastClock } from '../support/fast-clock';
import { LocalSecretsManager } from '../support/local-secrets';
import { LocalPinpointEmailService } from '../support/local-service';

export interface FuzzOptions extends RunOptions {
  readonly sequences: number;
  readonly seed: number;
  /** Replays one history of the seed: the path a divergence's report prints (fast-check's, e.g. `215` or `215:3:0`). */
  readonly path?: string;
  /** Stop at the first divergence without shrinking it (the oracle-can-fail proofs). */
  readonly noShrink?: boolean;
  /** Start no new history after this long, unless shrinking a divergence (the histories left are not run). */
  readonly timeLimitMs?: number;
  /** Called after each history. */
  readonly progress?: (done: number, outcome: HistoryOutcome) => void;
}

export interface FuzzSummary {
  readonly seed: number;
  readonly sequences: number;
  readonly passed: number;
  readonly failed: number;
  /** How many histories met each modelled limit. */
  readonly limits: ReadonlyMap<string, number>;
  readonly steps: number;
  readonly ms: number;
  /** The (shrunk) counterexample, printed. */
  readonly report?: string;
  readonly counterexample?: History;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const service = await LocalPinpointEmailService.start();
  // The BYODKIM keys, read by the handler from the local Secrets Manager (on the service's IAM), for every history.
  const secrets = await LocalSecretsManager.start(service.iam);
  putByoDkimKeys(secrets);
  // One directory for the cloud assemblies of all the histories (one per history cost about 2%).
  const outdir = synthDir();
  const runOptions: RunOptions = { secrets, outdir, ...options };
  // Histories mostly wait (backoff, IAM propagation, verification polls): on the fast clock, almost none of that.
  const clock = FastClock.install();
  const started = performance.now();
  let steps = 0;
  let runs = 0;
  let done = 0;
  const limits = new Map<string, number>();
  let last: { history: History; outcome: HistoryOutcome } | undefined;
  try {
    let skipped = 0;
    const property = fc.asyncProperty(historyArb, async (history) => {
      // (fast-check's own time limit would abandon a history half-way, its handler still running)
      if (options.timeLimitMs !== undefined && !last && performance.now() - started > options.timeLimitMs) {
        skipped++;
        return true;
      }
      const outcome = await runHistory(service, history, runOptions);
      steps += outcome.steps;
      options.progress?.(++done, outcome);
      const d = outcome.divergence;
      for (const limit of outcome.limits) limits.set(limit, (limits.get(limit) ?? 0) + 1);
      if (d) last = { history, outcome };
      return !d;
    });
    const details = await fc.check(property, {
      seed: options.seed,
      numRuns: options.path === undefined ? options.sequences : 1,
      path: options.path,
      endOnFailure: options.noShrink || options.path !== undefined,
    });
    runs = details.numRuns - skipped;
    const failed = details.failed ? 1 : 0;
    const counterexample = details.counterexample?.[0];
    let report: string | undefined;
    if (counterexample) {
      const outcome = last && last.history === counterexample ? last.outcome : await runHistory(service, counterexample, runOptions);
      report = formatReport(options.seed, details.counterexamplePath ?? undefined, counterexample, outcome);
    }
    return {
      seed: options.seed,
      sequences: runs,
      passed: runs - failed,
      failed,
      limits,
      steps,
      ms: performance.now() - started,
      report,
      counterexample,
    };
  } finally {
    clock.uninstall();
    await service.stop();
    await secrets.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The minimal history as app versions, the fault, the calls made and the state difference, with the seed. */
export function formatReport(seed: number, path: string | undefined, history: History, outcome: HistoryOutcome): string {
  const d = outcome.divergence;
  return [
    `DIVERGENCE (seed ${seed}${path ? `, path ${path}` : ''}): reproduce with npm run fuzz -- --seed ${seed}${path ? ` --path ${path}` : ' --workers 1'}`,
    describeHistory(history),
    d ? `at ${d.step > history.steps.length ? 'the deletion' : `the deploy of v${d.step}`}, fault ${d.fault}` : 'no divergence on replay',
    ...(d ? ['calls made:', ...d.calls.map((c) => `  ${c}`), 'state difference and problems:', ...d.problems.map((p) => `  ${p}`)] : []),
  ].join('\n');
}
