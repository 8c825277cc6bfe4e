/**
 * Measurement 1, synthesis: N configuration sets with 5 tags, this library's `ConfigurationSet` against the same N of
 * `aws_pinpointemail.CfnConfigurationSet` (same names, same tags). Every sample is a fresh Node process
 * (bench/synth-worker.ts) that builds the app and times only `app.synth()`; the two variants alternate which goes
 * first, N by N and run by run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, ratio, round, timeProcess } from './stats';
import type { PolicySize, SynthSample, SynthVariant } from './synth-worker';

export interface SynthOptions {
  readonly ns: readonly number[];
  readonly runs: number;
  readonly log: (line: string) => void;
}

export interface VariantFigures {
  readonly medianMs: number;
  readonly samplesMs: number[];
  readonly templateBytes: number;
  readonly lambdaFunctions: number;
  readonly resources: number;
  readonly bytesByType: Record<string, number>;
  readonly policies: PolicySize[];
}

export interface SynthRow {
  readonly n: number;
  readonly library: VariantFigures;
  readonly l1: VariantFigures;
  /** library median / L1 median */
  readonly timeRatio: number;
  /** library template bytes / L1 template bytes */
  readonly bytesRatio: number;
}

export interface Growth {
  readonly fromN: number;
  readonly toN: number;
  readonly library: { readonly bytesPerResource: number; readonly msPerResource: number };
  readonly l1: { readonly bytesPerResource: number; readonly msPerResource: number };
  /** What the library's bytes per extra resource go to, by resource type. */
  readonly libraryBytesPerResourceByType: Record<string, number>;
}

export interface SynthResult {
  readonly timed: string;
  readonly runs: number;
  readonly rows: SynthRow[];
  readonly growth?: Growth;
}

export const SYNTH_TIMED = 'app.synth() of a freshly built App (construct tree built before the clock starts; prepare, validation, '
  + 'asset staging and writing the cloud assembly are timed), one fresh Node process per sample, garbage collected before timing';

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(__dirname, 'synth-worker.ts');
const VARIANTS: readonly SynthVariant[] = ['library', 'l1'];

export function measureSynth(options: SynthOptions): SynthResult {
  const samples = new Map<string, SynthSample[]>();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pinpoint-email-bench-synth-'));
  try {
    for (let run = 0; run < options.runs; run++) {
      options.ns.forEach((n, index) => {
        const order = (run + index) % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          const sample = synthOnce(variant, n, fs.mkdtempSync(path.join(scratch, `${variant}-${n}-`)));
          const key = `${variant}/${n}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      });
      options.log(`synth: run ${run + 1}/${options.runs} done`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const rows = options.ns.map((n): SynthRow => {
    const library = figures(samples.get(`library/${n}`)!);
    const l1 = figures(samples.get(`l1/${n}`)!);
    return { n, library, l1, timeRatio: ratio(library.medianMs, l1.medianMs), bytesRatio: ratio(library.templateBytes, l1.templateBytes) };
  });
  return { timed: SYNTH_TIMED, runs: options.runs, rows, growth: growth(rows) };
}

function synthOnce(variant: SynthVariant, n: number, outdir: string): SynthSample {
  const { stdout } = timeProcess(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', WORKER, variant, String(n), outdir], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  fs.rmSync(outdir, { recursive: true, force: true });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as SynthSample;
}

/** The template is the same in every run; the time is the median. */
function figures(samples: readonly SynthSample[]): VariantFigures {
  const last = samples[samples.length - 1];
  return {
    medianMs: round(median(samples.map((s) => s.synthMs)), 1),
    samplesMs: samples.map((s) => round(s.synthMs, 1)),
    templateBytes: last.templateBytes,
    lambdaFunctions: last.lambdaFunctions,
    resources: last.resources,
    bytesByType: last.bytesByType,
    policies: last.policies,
  };
}

/** Slope between the two largest N: the cost of one more configuration set once the fixed part is paid. */
function growth(rows: readonly SynthRow[]): Growth | undefined {
  if (rows.length < 2) return undefined;
  const [a, b] = rows.slice(-2);
  const extra = b.n - a.n;
  const slope = (v: SynthVariant) => ({
    bytesPerResource: round((b[v].templateBytes - a[v].templateBytes) / extra, 1),
    msPerResource: round((b[v].medianMs - a[v].medianMs) / extra, 3),
  });
  const types = new Set([...Object.keys(a.library.bytesByType), ...Object.keys(b.library.bytesByType)]);
  const byType: Record<string, number> = {};
  for (const type of types) {
    const delta = ((b.library.bytesByType[type] ?? 0) - (a.library.bytesByType[type] ?? 0)) / extra;
    if (delta !== 0) byType[type] = round(delta, 1);
  }
  return { fromN: a.n, toN: b.n, library: slope('library'), l1: slope('l1'), libraryBytesPerResourceByType: byType };
}
