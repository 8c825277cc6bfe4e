/**
 * npm run fuzz -- [--sequences N] [--seed S] [--workers W] [--path P]
 *
 * Runs N random stack histories (default 10000) against the model, through the local service and the bundled
 * handler with IAM enforced. Prints the sequences run, steps per second, divergences and the seed, then
 * `N passed, M failed`; exits 1 on a divergence (after shrinking it to a minimal history, printed).
 *
 * `--workers W` (default: one per CPU, at most 4) runs W processes at a time, each with its own local service, on chunks
 * of at most 1,000 histories: chunk i from seed S + i (a divergence's report names its seed). `--workers 1` runs all
 * in this process.
 * `--path P` replays the one history of seed S that a divergence's report names (in this process).
 */
import { spawn } from 'child_process';
import { availableParallelism } from 'os';
import { performance } from 'perf_hooks';
import { fuzz } from '../test/model/fuzz';
import { addTimings, formatTimings, Timings } from '../test/model/timings';

const RESULT = 'fuzz-result ';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Result {
  readonly sequences: number;
  readonly passed: number;
  readonly failed: number;
  readonly steps: number;
  readonly limits: Record<string, number>;
  readonly timings: Timings;
  readonly report?: string;
}

async function runHere(sequences: number, seed: number, worker: boolean, path?: string): Promise<Result> {
  const started = performance.now(); // (not Date: the fuzzer's fast clock moves it)
  let steps = 0;
  const timings: Timings = {};
  const summary = await fuzz({
    sequences,
    seed,
    path,
    timings,
    progress: (done, outcome) => {
      steps += outcome.steps;
      const line = `  ${worker ? `seed ${seed}: ` : ''}${done} histories, ${steps} steps, ${(steps / ((performance.now() - started) / 1000)).toFixed(1)} steps/s`;
      // (a worker's stdout carries its result: its progress goes to stderr, which the parent shares)
      if (done % (worker ? 500 : 100) === 0) (worker ? console.error : console.log)(line);
    },
  });
  return { ...summary, limits: Object.fromEntries(summary.limits), timings };
}

function runWorker(sequences: number, seed: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const args = ['-r', 'ts-node/register/transpile-only', __filename, '--sequences', `${sequences}`, '--seed', `${seed}`, '--child'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (line) resolve(JSON.parse(line.slice(RESULT.length)));
      else reject(new Error(`worker of seed ${seed} gave no result:\n${out.slice(-2000)}`));
    });
  });
}

/** Histories per worker process. */
const CHUNK = 1000;

/** Runs the chunks, `workers` at a time; chunk i from seed S + i. */
async function runChunks(chunks: readonly number[], seed: number, workers: number): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < chunks.length) {
      const i = next++;
      results[i] = await runWorker(chunks[i], seed + i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, chunks.length) }, lane));
  return results;
}

async function main(): Promise<void> {
  const sequences = Number(option('sequences') ?? 10_000);
  const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const path = option('path');
  const workers = path === undefined ? Number(option('workers') ?? Math.min(availableParallelism(), 4)) : 1;
  if (![sequences, seed, workers].every(Number.isInteger) || sequences < 1 || workers < 1) {
    throw new Error('usage: fuzz [--sequences N] [--seed S] [--workers W] [--path P]');
  }
  if (process.argv.includes('--child')) {
    console.log(RESULT + JSON.stringify(await runHere(sequences, seed, true)));
    return;
  }
  // A worker runs one chunk of at most CHUNK histories, of seed S + its index, in a fresh process: a process that
  // synthesizes thousands of apps runs out of heap (about 1 MB per history stays reachable, mostly aws-cdk-lib tokens
  // and constructs; a worker of 5,000 died at about 3,700). At least one chunk per worker, all of about one size.
  const count = Math.max(Math.ceil(sequences / CHUNK), Math.min(workers, sequences));
  const chunks = Array.from({ length: count }, (_, i) => Math.floor(sequences / count) + (i < sequences % count ? 1 : 0));
  console.log(path !== undefined ? `fuzz: the history at path ${path} of seed ${seed}`
    : `fuzz: ${sequences} histories, seed ${seed}${workers > 1 ? `, ${workers} workers, ${chunks.length} chunks (seeds ${seed} to ${seed + chunks.length - 1})` : ''}`);
  const started = performance.now();
  const results = workers === 1 ? [await runHere(sequences, seed, false, path)] : await runChunks(chunks, seed, workers);
  const seconds = (performance.now() - started) / 1000;
  const sum = (f: (r: Result) => number) => results.reduce((a, r) => a + f(r), 0);
  console.log(`sequences run: ${sum((r) => r.sequences)}`);
  console.log(`steps: ${sum((r) => r.steps)} in ${seconds.toFixed(0)} s = ${(sum((r) => r.steps) / seconds).toFixed(1)} steps/s, ${(sum((r) => r.sequences) / seconds).toFixed(2)} histories/s`);
  console.log(`seed: ${seed}`);
  console.log(`divergences: ${sum((r) => r.failed)}`);
  const limits = new Map<string, number>();
  for (const r of results) for (const [k, n] of Object.entries(r.limits)) limits.set(k, (limits.get(k) ?? 0) + n);
  for (const [what, n] of limits) console.log(`modelled limit met by ${n} histories: ${what}`);
  const timings: Timings = {};
  for (const r of results) addTimings(timings, r.timings);
  console.log(`where the time goes (summed over workers; retry waits in the handler's virtual ms, the rest real):\n${formatTimings(timings).join('\n')}`);
  for (const r of results) if (r.report) console.log(r.report);
  console.log(`${sum((r) => r.passed)} passed, ${sum((r) => r.failed)} failed`);
  process.exitCode = sum((r) => r.failed) > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
