/**
 * The CI subset of the model-based lifecycle tests: a fixed seed (the same histories on every run), then one history
 * from a random seed, printed so that a failure can be replayed with `npm run fuzz -- --seed S`.
 */
import { CI_SEED, CI_SEQUENCES, CI_TIME_LIMIT_MS } from './ci';
import { fuzz, FuzzSummary } from './fuzz';

function explain(summary: FuzzSummary): string {
  const limits = [...summary.limits].map(([k, n]) => `${n} x ${k}`).join('; ');
  return `${summary.sequences} histories, ${summary.steps} steps in ${Math.round(summary.ms / 1000)} s` +
    ` (${(summary.steps / (summary.ms / 1000)).toFixed(1)} steps/s); modelled limits met: ${limits || 'none'}\n${summary.report ?? ''}`;
}

test(`${CI_SEQUENCES} histories of seed ${CI_SEED} (or ${CI_TIME_LIMIT_MS / 1000} s of them): no divergence`, async () => {
  const summary = await fuzz({ sequences: CI_SEQUENCES, seed: CI_SEED, timeLimitMs: CI_TIME_LIMIT_MS });
  console.log(explain(summary));
  expect(summary.report).toBeUndefined();
  expect(summary.failed).toBe(0);
}, 120_000);

test('one history from a random seed: no divergence', async () => {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const summary = await fuzz({ sequences: 1, seed });
  console.log(`random seed ${seed} (replay: npm run fuzz -- --sequences 1 --seed ${seed})\n${explain(summary)}`);
  expect(summary.report).toBeUndefined();
}, 120_000);
