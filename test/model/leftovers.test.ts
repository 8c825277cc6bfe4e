/**
 * The fuzzer synthesizes tens of thousands of versions: their cloud assemblies go into a directory that is removed
 * afterwards (the fuzz's, or a history's own), and nothing is left in the system's temp.
 */
import * as fc from 'fast-check';
import { CI_SEED } from './ci';
import { fuzz } from './fuzz';
import { historyArb } from './history';
import { runHistory } from './run-history';
import { FastClock } from '../support/fast-clock';
import { LocalPinpointEmailService } from '../support/local-service';

/** The directories that `run` makes with `mkdtempSync` and leaves behind. */
async function leftBehind(run: () => Promise<void>): Promise<{ made: number; left: string[] }> {
  // The module object that aws-cdk-lib calls (a namespace import's properties cannot be spied on).
  const fs = jest.requireActual<typeof import('fs')>('fs');
  const mkdtemp = jest.spyOn(fs, 'mkdtempSync');
  try {
    await run();
    const dirs = mkdtemp.mock.results.map((r) => r.value as string);
    return { made: dirs.length, left: dirs.filter((dir) => fs.existsSync(dir)) };
  } finally {
    mkdtemp.mockRestore();
  }
}

test('a fuzz leaves no directory behind', async () => {
  const { made, left } = await leftBehind(async () => {
    expect((await fuzz({ sequences: 3, seed: CI_SEED })).failed).toBe(0);
  });
  expect(made).toBeGreaterThanOrEqual(2); // the fuzz's, and an App's for a generated name
  expect(left).toEqual([]);
}, 60_000);

test('a history run on its own leaves no directory behind', async () => {
  const [history] = fc.sample(historyArb, { seed: CI_SEED, numRuns: 1 });
  const service = await LocalPinpointEmailService.start();
  const clock = FastClock.install();
  try {
    const { made, left } = await leftBehind(async () => {
      expect((await runHistory(service, history)).steps).toBeGreaterThan(0);
    });
    expect(made).toBeGreaterThanOrEqual(1);
    expect(left).toEqual([]);
  } finally {
    clock.uninstall();
    await service.stop();
  }
}, 60_000);
