/**
 * A fast clock for tests that mostly wait: `Date` and `setTimeout` of this realm run on a virtual clock, so a 2 s retry
 * backoff, a 1.5 s IAM propagation delay or a 40 s Lambda timeout take almost no real time. The handler, the SDK inside
 * its bundle, the lifecycle driver and the local service all read this one clock, so what they compare stays
 * consistent; nothing in the product changes.
 *
 * The clock moves in two ways, from a real 1 ms interval (the pump):
 * - while an HTTP request of this process is in flight (the handler's API calls, its answer to CloudFormation), it moves
 *   `speed` times faster than real time, in steps of at most `maxStepMs`: a timeout that guards the request (the SDK's
 *   connection and response timeouts) still needs a real stretch of waiting, and a stretch of real work (a synth, a
 *   garbage collection) that blocks the pump is not multiplied and cannot look like a timeout;
 * - when none is in flight and no other I/O is pending, everything left to do waits for a timer: the clock jumps to
 *   the next one and fires it.
 * Node's own timers (sockets, http) stay real.
 */
import { subscribe, unsubscribe } from 'diagnostics_channel';
import type { ClientRequest } from 'http';
import { performance } from 'perf_hooks';
import * as FakeTimers from '@sinonjs/fake-timers';

export interface FastClockOptions {
  /** Virtual milliseconds per real millisecond while an HTTP request is in flight. @default 25 */
  readonly speed?: number;
  /** The most the virtual clock moves in one step while a request is in flight. @default 50 */
  readonly maxStepMs?: number;
}

/** Node's channel for each HTTP request this process starts (published before it connects). */
const REQUEST_START = 'http.client.request.start';

/** Handles that stay open while nothing happens: timers, listening and idle keep-alive sockets, the terminal. */
const IDLE_RESOURCES = new Set(['Timeout', 'TCPServerWrap', 'TCPSocketWrap', 'PipeWrap', 'TTYWrap']);

export class FastClock {
  /** Installs the clock on this realm's globals; `uninstall` puts the real ones back. */
  static install(options: FastClockOptions = {}): FastClock {
    return new FastClock(options.speed ?? 25, options.maxStepMs ?? 50);
  }

  private readonly clock: ReturnType<ReturnType<typeof FakeTimers.withGlobal>['install']>;
  private readonly pump: NodeJS.Timeout;
  /** Requests started and not yet closed (a request always emits `close`, whatever ends it). */
  private readonly inFlight = new Set<ClientRequest>();
  private readonly onRequest: (message: unknown) => void;
  private last = performance.now();

  private constructor(speed: number, maxStepMs: number) {
    this.onRequest = (message) => {
      const request = (message as { request: ClientRequest }).request;
      this.inFlight.add(request);
      request.once('close', () => this.inFlight.delete(request));
    };
    subscribe(REQUEST_START, this.onRequest);
    // setInterval stays real: the pump is one.
    this.clock = FakeTimers.withGlobal(globalThis).install({
      now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true,
    });
    this.pump = setInterval(() => {
      const now = performance.now();
      const step = Math.min((now - this.last) * speed, maxStepMs);
      this.last = now;
      if (this.waitsForTimersOnly()) this.clock.next();
      else this.clock.tick(step);
    }, 1);
  }

  /** No HTTP request in flight, no other I/O pending (a file read, a connect, a close), and a timer to wait for. */
  private waitsForTimersOnly(): boolean {
    return this.inFlight.size === 0 && this.clock.countTimers() > 0 &&
      process.getActiveResourcesInfo().every((resource) => IDLE_RESOURCES.has(resource));
  }

  public uninstall(): void {
    clearInterval(this.pump);
    unsubscribe(REQUEST_START, this.onRequest);
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
