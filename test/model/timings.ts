/** Where a fuzz run's time goes: wall milliseconds and counts by phase, summed over histories (and workers). */
import { performance } from 'perf_hooks';
import type { DriverEvent } from '../support/lifecycle-driver';

export type Timings = Record<string, number>;

/** Adds `ms` (and one count) under `name`. */
export function record(timings: Timings, name: string, ms: number): void {
  timings[`${name} ms`] = (timings[`${name} ms`] ?? 0) + ms;
  timings[`${name} count`] = (timings[`${name} count`] ?? 0) + 1;
}

/** Adds `n` to the count of `name` (no time: events counted, not timed). */
export function countEvents(timings: Timings, name: string, n: number): void {
  if (n > 0) timings[`${name} count`] = (timings[`${name} count`] ?? 0) + n;
}

/** Runs `f`, adding its wall time under `name`. */
export async function timed<T>(timings: Timings | undefined, name: string, f: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await f();
  } finally {
    if (timings) record(timings, name, performance.now() - started);
  }
}

/** Sums several runs' timings. */
export function addTimings(into: Timings, from: Timings): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** One line per phase: total seconds, count, mean ms; sorted by total time. */
export function formatTimings(timings: Timings): string[] {
  const names = [...new Set(Object.keys(timings).map((k) => k.replace(/ (ms|count)$/, '')))];
  return names
    .map((n) => ({ n, ms: timings[`${n} ms`] ?? 0, count: timings[`${n} count`] ?? 0 }))
    .sort((a, b) => b.ms - a.ms)
    .map(({ n, ms, count }) => `  ${n}: ${(ms / 1000).toFixed(1)} s over ${count} (${count ? (ms / count).toFixed(1) : 0} ms each)`);
}

/** An invocation's wall time, and the backoff its handler logged (`retrying ... delayMs`), by what was retried. */
export function recordInvocation(timings: Timings, event: DriverEvent): void {
  record(timings, `invocation ${event.phase}`, event.ms);
  for (const line of event.logs) {
    if (!line.includes('"retrying"')) continue;
    try {
      const { outcome, delayMs } = JSON.parse(line);
      record(timings, `retry wait ${outcome}`, Number(delayMs) || 0);
    } catch {
      // not one of the handler's JSON lines
    }
  }
}
