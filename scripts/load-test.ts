/**
 * Load test: one stack of 50 resources (the four kinds mixed) created at once, its tags updated, then deleted, through
 * the lifecycle driver and the bundled handler, against the local Pinpoint Email service limited to 1 request per
 * second (the API's documented rate). Prints each phase's time against the floor (admitted calls / rate) and checks the
 * service's state after each phase: nothing leaked, nothing deleted by mistake, unrelated resources untouched.
 *
 *   npx projen bundle
 *   npx ts-node --transpile-only --project tsconfig.dev.json scripts/load-test.ts [resources=50] [requestsPerSecond=1] [handler.js]
 *
 * The handler gets the real Lambda timeout (10 minutes); the run fails (exit 1) if any phase fails or any check does.
 */
import { LoadReport, runLoadScenario } from '../test/reliability/load-scenario';
import { describeEvent } from '../test/support/lifecycle-driver';
import { LocalPinpointEmailService } from '../test/support/local-service';

const LAMBDA_TIMEOUT_MS = 600_000;

async function main(): Promise<number> {
  const resources = Number(process.argv[2] ?? 50);
  const requestsPerSecond = Number(process.argv[3] ?? 1);
  const handlerPath = process.argv[4];
  if (!(resources > 0) || !(requestsPerSecond > 0)) throw new Error('usage: load-test.ts [resources] [requestsPerSecond] [handler.js]');

  const service = await LocalPinpointEmailService.start();
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`${resources} resources, ${requestsPerSecond} request(s) per second, Lambda timeout ${LAMBDA_TIMEOUT_MS / 1000} s`);
  try {
    const report = await runLoadScenario({
      service,
      resources,
      requestsPerSecond,
      timeoutMs: LAMBDA_TIMEOUT_MS,
      handlerPath,
      onEvent: (event) => console.log(`${seconds()} s  ${describeEvent(event)}`),
    });
    print(report);
    return report.phases.length === 3 && report.phases.every((p) => p.problems.length === 0) ? 0 : 1;
  } finally {
    await service.stop();
  }
}

function print(report: LoadReport): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log('');
  console.log('phase        status                     time    floor   ratio  admitted  throttled  slowest request');
  for (const p of report.phases) {
    console.log([
      p.phase.padEnd(12), p.status.padEnd(24), s(p.ms).padStart(8), s(p.floorMs).padStart(8),
      (p.ms / Math.max(1, p.floorMs)).toFixed(2).padStart(6), String(p.admitted).padStart(9), String(p.throttled).padStart(10),
      s(p.slowestEventMs).padStart(16),
    ].join(' '));
  }
  console.log(`total: ${s(report.totalMs)} for ${report.totalAdmitted} admitted calls; floor ${s(report.totalFloorMs)} ` +
    `(ratio ${(report.totalMs / Math.max(1, report.totalFloorMs)).toFixed(2)})`);
  const problems = report.phases.flatMap((p) => p.problems.map((problem) => `${p.phase}: ${problem}`));
  console.log(problems.length === 0 ? 'state after every phase: exactly as asked' : `PROBLEMS:\n  ${problems.join('\n  ')}`);
}

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
