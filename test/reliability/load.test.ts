/**
 * A small load test inside the suite: 8 resources (two of each kind) created at once, their tags updated, then deleted,
 * under a rate limit of 2 requests per second. Correctness only (never time): after each phase the service's state is
 * exactly what was asked, and the unrelated resources seeded first are untouched. The timed run is scripts/load-test.ts.
 */
import { runLoadScenario } from './load-scenario';
import { LocalPinpointEmailService } from '../support/local-service';

let service: LocalPinpointEmailService;

beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
});
afterAll(async () => {
  await service.stop();
});

test('8 resources at 2 requests per second: every phase completes, nothing leaks, nothing is lost', async () => {
  const report = await runLoadScenario({ service, resources: 8, requestsPerSecond: 2, timeoutMs: 120_000 });

  expect(report.phases.map((p) => [p.phase, p.status, p.problems])).toEqual([
    ['create', 'CREATE_COMPLETE', []],
    ['update tags', 'UPDATE_COMPLETE', []],
    ['delete', 'DELETE_COMPLETE', []],
  ]);
  // The rate limit was really hit, and ridden out by the handler's retries.
  expect(report.phases.reduce((sum, p) => sum + p.throttled, 0)).toBeGreaterThan(0);
}, 180_000);
