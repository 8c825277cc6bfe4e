/**
 * A fast clock for tests that mostly wait: `Date` and `setTimeout` of this realm run on a virtual clock that moves
 * `speed` times faster than real time while the process waits, so a 2 s retry backoff, a 1.5 s IAM propagation delay or
 * a 40 s Lambda timeout take 1/speed of that. The handler, the SDK inside its bundle, the lifecycle driver and the
 * local service all read this one clock, so what they compare stays consistent; nothing in the product changes.
 *
 * The virtual clock moves in small steps from a real interval: at most `maxStepMs` per step, so a stretch of real work
 * (a synth, a garbage collection) that blocks the interval is not multiplied by `speed` and cannot look like a timeout.
 * Node's own timers (sockets, http) stay real.
 */
import { performance } from 'perf_hooks';
import * as FakeTimers from '@sinonjs/fake-timers';

export interface FastClockOptions {
  /** Virtual milliseconds per real millisecond while waiting. @default 25 */
  readonly speed?: number;
  /** The most the virtual clock moves in one step. @default 50 */
  readonly maxStepMs?: number;
}

export class FastClock {
  /** Installs the clock on this realm's globals; `uninstall` puts the real ones back. */
  static install(options: FastClockOptions = {}): FastClock {
    return new FastClock(options.speed ?? 25, options.maxStepMs ?? 50);
  }

  private readonly clock: ReturnType<ReturnType<typeof FakeTimers.withGlobal>['install']>;
  private readonly pump: NodeJS.Timeout;
  private last = performance.now();

  private constructor(speed: number, maxStepMs: number) {
    // setInterval stays real: the pump is one.
    this.clock = FakeTimers.withGlobal(globalThis).install({
      now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true,
    });
    this.pump = setInterval(() => {
      const now = performance.now();
      const step = Math.min((now - this.last) * speed, maxStepMs);
      this.last = now;
      this.clock.tick(step);
    }, 1);
  }

  public uninstall(): void {
    clearInterval(this.pump);
    this.clock.uninstall();
  }
}

/** Runs `f` on a fast clock (see FastClock). */
export async function onFastClock<T>(f: () => Promise<T>, options?: FastClockOptions): Promise<T> {
  const clock = FastClock.install(options);
  try {
    return await f();
  } finally {
    clock.uninstall();
  }
}
