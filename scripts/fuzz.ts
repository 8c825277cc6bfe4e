/**
 * npm run fuzz -- [--sequences N] [--seed S]
 *
 * Runs N random stack histories (default 10000) against the model, through the local service and the bundled
 * handler with IAM enforced. Prints the sequences run, steps per second, divergences and the seed, then
 * `N passed, M failed`; exits 1 on a divergence (after shrinking it to a minimal history, printed).
 */
import { fuzz } from '../test/model/fuzz';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sequences = Number(option('sequences') ?? 10_000);
  const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
  if (!Number.isInteger(sequences) || sequences < 1 || !Number.isInteger(seed)) throw new Error('usage: fuzz [--sequences N] [--seed S]');
  console.log(`fuzz: ${sequences} histories, seed ${seed}`);
  const started = Date.now();
  let steps = 0;
  const summary = await fuzz({
    sequences,
    seed,
    progress: (done, outcome) => {
      steps += outcome.steps;
      if (done % 100 === 0) {
        const s = (Date.now() - started) / 1000;
        console.log(`  ${done} histories, ${steps} steps, ${(steps / s).toFixed(1)} steps/s`);
      }
    },
  });
  const seconds = summary.ms / 1000;
  console.log(`sequences run: ${summary.sequences}`);
  console.log(`steps: ${summary.steps} in ${seconds.toFixed(0)} s = ${(summary.steps / seconds).toFixed(1)} steps/s`);
  console.log(`seed: ${summary.seed}`);
  console.log(`divergences: ${summary.failed}`);
  for (const [what, n] of summary.known) console.log(`known, not counted: ${n} x ${what}`);
  if (summary.report) console.log(summary.report);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
