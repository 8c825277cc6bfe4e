/**
 * Measurement 2, handler start-up: the size of the bundled asset, and the wall time of a fresh Node process that loads
 * it (spawn to exit) against one that loads only `@aws-sdk/client-pinpoint-email` from node_modules. The variants
 * alternate which goes first; an empty `node -e ""` is timed alongside as the floor of any process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { median, ratio, round, timeProcess } from './stats';

export interface StartupOptions {
  readonly assetPath: string;
  readonly runs: number;
  readonly log: (line: string) => void;
}

export interface ProcessTiming {
  readonly command: string;
  readonly medianMs: number;
  readonly samplesMs: number[];
}

export interface StartupResult {
  readonly assetPath: string;
  readonly assetBytes: number;
  readonly runs: number;
  readonly timed: string;
  readonly asset: ProcessTiming;
  readonly baseline: ProcessTiming;
  /** `node -e ""`: what every process costs before loading anything. */
  readonly emptyProcess: ProcessTiming;
  /** asset median / baseline median */
  readonly ratio: number;
}

const ROOT = path.resolve(__dirname, '..');
const BASELINE_MODULE = '@aws-sdk/client-pinpoint-email';

export function measureStartup(options: StartupOptions): StartupResult {
  const commands = {
    asset: `require(${JSON.stringify(options.assetPath)})`,
    baseline: `require(${JSON.stringify(BASELINE_MODULE)})`,
    emptyProcess: '',
  };
  type Variant = keyof typeof commands;
  const samples: Record<Variant, number[]> = { asset: [], baseline: [], emptyProcess: [] };
  const run = (variant: Variant): void => {
    samples[variant].push(timeProcess(process.execPath, ['-e', commands[variant]], { cwd: ROOT }).ms);
  };

  run('asset'); // one untimed round fills the OS file cache for both
  run('baseline');
  samples.asset.length = 0;
  samples.baseline.length = 0;
  for (let i = 0; i < options.runs; i++) {
    const order: Variant[] = i % 2 === 0 ? ['asset', 'baseline', 'emptyProcess'] : ['baseline', 'asset', 'emptyProcess'];
    order.forEach(run);
  }
  options.log(`startup: ${options.runs} runs of each done`);

  const timing = (variant: Variant): ProcessTiming => ({
    command: `node -e ${JSON.stringify(commands[variant])}`,
    medianMs: round(median(samples[variant]), 1),
    samplesMs: samples[variant].map((ms) => round(ms, 1)),
  });
  const asset = timing('asset');
  const baseline = timing('baseline');
  return {
    assetPath: path.relative(ROOT, options.assetPath),
    assetBytes: fs.statSync(options.assetPath).size,
    runs: options.runs,
    timed: 'wall time of a fresh `node -e` process from spawn to exit (spawnSync), cwd = repository root',
    asset,
    baseline,
    emptyProcess: timing('emptyProcess'),
    ratio: ratio(asset.medianMs, baseline.medianMs),
  };
}
