/**
 * `npx projen bench:throttling`: what lowers the throttled responses per admitted call, and the time against the floor,
 * in the throughput run (bench/throughput.ts, the full 50-resource mix at R=5/s, one run per variant). Variants of the
 * handler's backoff are built from lambda/ with only the backoff constants of lambda/retry.ts replaced at bundle time,
 * so the experiment never edits the handler; the concurrency variants bound the handler invocations in flight.
 * Prints a table and writes bench/throttling-experiment.json. See docs/decisions.md, "Throttling in the bench".
 *
 *   npx projen bench:throttling [name filter...]   (only the variants whose name contains one of the filters; projen
 *                                                   splits a quoted filter at its spaces, each word is a filter)
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, Plugin } from 'esbuild';
import { loadDeliverabilityTest } from './stacks';
import { FULL_MIX, measureThroughput } from './throughput';
import { LocalPinpointEmailService } from '../test/support/local-service';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, '.tmp', 'throttling-experiment');
const RESULTS_FILE = path.join(__dirname, 'throttling-experiment.json');
const REQUESTS_PER_SECOND = 5;

interface Variant {
  readonly name: string;
  /**
   * Backoff of lambda/retry.ts: first ceiling and largest ceiling, in ms, and the share of the ceiling below which no
   * delay is drawn. @default the handler's own
   */
  readonly backoff?: { readonly baseDelayMs: number; readonly maxDelayMs: number; readonly minDelayShare?: number };
  readonly concurrency?: number;
}

const VARIANTS: Variant[] = [
  { name: 'as shipped (2.5 s, then 3 s, floor 1/3, unbounded)' },
  { name: 'was shipped until issue 17: 500 ms doubling to 4 s, full jitter', backoff: { baseDelayMs: 500, maxDelayMs: 4_000, minDelayShare: 0 } },
  { name: 'backoff to 8 s', backoff: { baseDelayMs: 500, maxDelayMs: 8_000, minDelayShare: 0 } },
  { name: 'backoff to 16 s', backoff: { baseDelayMs: 500, maxDelayMs: 16_000, minDelayShare: 0 } },
  { name: 'backoff 1 s doubling to 16 s', backoff: { baseDelayMs: 1_000, maxDelayMs: 16_000, minDelayShare: 0 } },
  { name: 'backoff 250 ms doubling to 2 s', backoff: { baseDelayMs: 250, maxDelayMs: 2_000, minDelayShare: 0 } },
  { name: 'at most 10 handlers at once', concurrency: 10 },
  { name: 'at most 5 handlers at once', concurrency: 5 },
  { name: 'at most 10 at once, backoff 250 ms to 2 s', concurrency: 10, backoff: { baseDelayMs: 250, maxDelayMs: 2_000, minDelayShare: 0 } },
  { name: 'at most 5 at once, backoff 250 ms to 2 s', concurrency: 5, backoff: { baseDelayMs: 250, maxDelayMs: 2_000, minDelayShare: 0 } },
  // A floor under the jitter: right after a 429 the rate window is still full, so a retry at once is wasted
  // (issue 17; "2.5 s, then 3 s" with floor 1/3 is now the shipped one).
  { name: 'floor 1/3: 500 ms doubling to 4 s', backoff: { baseDelayMs: 500, maxDelayMs: 4_000, minDelayShare: 1 / 3 } },
  { name: 'floor 1/3: 1 s doubling to 3 s', backoff: { baseDelayMs: 1_000, maxDelayMs: 3_000, minDelayShare: 1 / 3 } },
  { name: 'floor 1/3: 1.5 s doubling to 3 s', backoff: { baseDelayMs: 1_500, maxDelayMs: 3_000, minDelayShare: 1 / 3 } },
  { name: 'floor 0: 3 s, full jitter', backoff: { baseDelayMs: 3_000, maxDelayMs: 3_000, minDelayShare: 0 } },
  { name: 'floor 1/3: 2 s doubling to 3 s', backoff: { baseDelayMs: 2_000, maxDelayMs: 3_000, minDelayShare: 1 / 3 } },
  { name: 'floor 1/2: 1.5 s doubling to 3 s', backoff: { baseDelayMs: 1_500, maxDelayMs: 3_000, minDelayShare: 1 / 2 } },
  // Higher floors: a mean delay of 2.5 to 3 s, so that 45 waiting handlers offer at most about 15 requests per second.
  { name: 'floor 2/3: 3 s', backoff: { baseDelayMs: 3_000, maxDelayMs: 3_000, minDelayShare: 2 / 3 } },
  { name: 'floor 1/2: 4 s', backoff: { baseDelayMs: 4_000, maxDelayMs: 4_000, minDelayShare: 1 / 2 } },
  { name: 'floor 2/3: 3 s doubling to 4.5 s', backoff: { baseDelayMs: 3_000, maxDelayMs: 4_500, minDelayShare: 2 / 3 } },
  { name: 'floor 1/2: 3 s doubling to 6 s', backoff: { baseDelayMs: 3_000, maxDelayMs: 6_000, minDelayShare: 1 / 2 } },
];

/** Replaces the backoff constants of lambda/retry.ts in the bundle; fails if they are no longer written that way. */
function backoffPlugin(backoff: NonNullable<Variant['backoff']>): Plugin {
  const constants: Record<string, number | undefined> = {
    DEFAULT_BASE_DELAY_MS: backoff.baseDelayMs,
    DEFAULT_MAX_DELAY_MS: backoff.maxDelayMs,
    DEFAULT_MIN_DELAY_SHARE: backoff.minDelayShare,
  };
  return {
    name: 'backoff',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]lambda[\\/]retry\.ts$/ }, (args) => {
        let contents = fs.readFileSync(args.path, 'utf8');
        for (const [name, value] of Object.entries(constants)) {
          if (value === undefined) continue;
          const declaration = new RegExp(`export const ${name} = [^;\\n]+;`);
          if (!declaration.test(contents)) throw new Error(`lambda/retry.ts no longer declares ${name} as a literal`);
          contents = contents.replace(declaration, `export const ${name} = ${value};`);
        }
        return { loader: 'ts', contents };
      });
    },
  };
}

async function bundle(variant: Variant, index: number): Promise<string | undefined> {
  if (!variant.backoff) return undefined;
  const outfile = path.join(OUT_DIR, `variant-${index}`, 'index.js');
  await build({
    entryPoints: [path.join(ROOT, 'lambda', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'error',
    plugins: [backoffPlugin(variant.backoff)],
  });
  return outfile;
}

async function main(): Promise<void> {
  const deliverabilityTest = loadDeliverabilityTest();
  const service = await LocalPinpointEmailService.start();
  const rows = [];
  try {
    const filters = process.argv.slice(2);
    for (const [index, variant] of VARIANTS.entries()) {
      if (filters.length > 0 && !filters.some((filter) => variant.name.includes(filter))) continue;
      const result = await measureThroughput(service, deliverabilityTest, {
        requestsPerSecond: REQUESTS_PER_SECOND,
        mix: FULL_MIX,
        runs: 1,
        handlerPath: await bundle(variant, index),
        concurrency: variant.concurrency,
        log: (line) => process.stderr.write(`[throttling] ${variant.name}: ${line}\n`),
      });
      const { ratio, throttledPerAdmitted, throttled, admittedCalls, totalMs, floorMs, failures, longestIdleGapMs } = result;
      rows.push({ variant: variant.name, ratio, throttledPerAdmitted, throttled, admittedCalls, totalMs, floorMs, failures, longestIdleGapMs });
    }
  } finally {
    await service.stop();
    fs.rmSync(OUT_DIR, { recursive: true, force: true });
  }
  const header = 'variant | x floor | throttled/admitted | throttled | admitted | total ms | longest idle ms | failures';
  process.stdout.write(`${header}\n${rows.map((r) => [r.variant, r.ratio, r.throttledPerAdmitted, r.throttled, r.admittedCalls, r.totalMs,
    r.longestIdleGapMs, r.failures].join(' | ')).join('\n')}\n`);
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ generatedAt: new Date().toISOString(), requestsPerSecond: REQUESTS_PER_SECOND, mix: FULL_MIX, rows }, undefined, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`throttling experiment failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
