/** What the regression tests of the model share: a local service on the fast clock, and a history's divergence. */
import { Decl, History, Step } from './history';
import { runHistory } from './run-history';
import type { Timings } from './timings';
import { FastClock } from '../support/fast-clock';
import { LocalPinpointEmailService } from '../support/local-service';

export const none = { kind: 'none' as const };
export const test0: Decl = { kind: 'DeliverabilityTest', id: 'Test0', retain: false, props: { from: 'sender@verified.example.com', subject: 'Hello', tags: {} } };
export const history = (steps: Step[], extra: Partial<History> = {}): History => ({ foreign: [], foreignDashboard: false, steps, ...extra });

export interface RegressionHarness {
  readonly service: () => LocalPinpointEmailService;
  /** The problems and calls of the history's divergence (printed with SHOW_DIVERGENCE=1), or undefined. */
  readonly divergence: (h: History) => Promise<string | undefined>;
  /** The limits that the last history run met. */
  readonly limitsMet: () => readonly string[];
  /** Where the last history run's time went, and what it counted (timings.ts). */
  readonly timings: () => Timings;
}

/** Starts the service and the clock before the file's tests, and stops them after. */
export function regressionHarness(): RegressionHarness {
  let service: LocalPinpointEmailService;
  let clock: FastClock;
  let limits: readonly string[] = [];
  let timings: Timings = {};
  beforeAll(async () => {
    service = await LocalPinpointEmailService.start();
    clock = FastClock.install();
  });
  afterAll(async () => {
    clock.uninstall();
    await service.stop();
  });
  return {
    service: () => service,
    limitsMet: () => limits,
    timings: () => timings,
    divergence: async (h) => {
      timings = {};
      const outcome = await runHistory(service, h, { timings });
      limits = outcome.limits;
      const text = outcome.divergence && [...outcome.divergence.problems, ...outcome.divergence.calls].join('\n');
      if (process.env.SHOW_DIVERGENCE) console.log(text);
      return text;
    },
  };
}
