/** Small numeric helpers shared by the measurements. */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import { performance } from 'perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `value` rounded to `digits` decimals (for the JSON and the table). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(value: number, baseline: number): number {
  return round(value / baseline, 2);
}

/** Wall time of a child process from spawn to exit, in ms; throws when it exits non-zero. */
export function timeProcess(command: string, args: readonly string[], options: SpawnSyncOptions = {}): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${String(result.stderr).slice(0, 2000)}`);
  }
  return { ms, stdout: String(result.stdout) };
}
