/**
 * The one retry policy for every API call (an SDK retry strategy): throttling (429, a LimitExceededException that
 * speaks of a rate) and transient faults (5xx, connection resets, timeouts) are retried with a capped exponential
 * backoff and jitter above a floor until a deadline; a denial (`AccessDeniedException`, or CloudFormation's
 * `AccessDenied`) is retried for ACCESS_DENIED_RETRY_MS from the first denial (a policy that CloudFormation has just
 * written can take seconds to apply, docs/decisions.md); other client errors and quotas are not retried. Past the
 * deadline the SDK throws the last error, with its attempt count.
 */
import { log } from './log';

/** The SDK's classification of a failed attempt (`@smithy/types` RetryErrorInfo). */
interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  readonly error?: { readonly name?: string; readonly message?: string; readonly operation?: string };
}

/** Words of a message that says the request rate was exceeded, not a quota. */
const RATE_MESSAGE = /\brate\b|throttl|too many requests|slow down/i;

/**
 * Whether an error is a hard quota rather than throttling. The SDK classifies `LimitExceededException` as throttling,
 * but the model documents it as "too many instances of the specified resource type" (50 dedicated IP pools per region,
 * say), which no retry fixes. It is a quota unless its message speaks of a rate, or the operation only reads (a Get or
 * List has no instances to count).
 */
export function isQuotaError(error: RetryErrorInfo['error']): boolean {
  if (error?.name !== 'LimitExceededException') return false;
  if (RATE_MESSAGE.test(error.message ?? '')) return false;
  return !/^(Get|List)/.test(error.operation ?? '');
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

export interface RetryPolicy {
  /** Epoch milliseconds after which no new attempt starts. */
  readonly deadline: number;
  /** First backoff ceiling. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling. */
  readonly maxDelayMs: number;
  /** Each delay is drawn between this share of its ceiling and the ceiling. @default 0 (full jitter) */
  readonly minDelayShare?: number;
  /** Replaceable for tests. */
  readonly random?: () => number;
  readonly now?: () => number;
  /** How long a denial is retried from the first one. @default ACCESS_DENIED_RETRY_MS */
  readonly accessDeniedRetryMs?: number;
}

/*
 * Each retry waits between a third of its ceiling and the ceiling: 0.83-2.5 s, then 1-3 s. Right after a 429 the
 * account's rate window is still full, so a retry at once is wasted; and a short ceiling keeps the shared quota in
 * use, where a long sleep leaves it idle. Measured against 500 ms doubling to 4 s with full jitter (the throughput
 * bench, 50 handlers at 5 requests per second): the same time, a third fewer throttled responses
 * (docs/decisions.md, "Throttling in the bench").
 */
export const DEFAULT_BASE_DELAY_MS = 2_500;
export const DEFAULT_MAX_DELAY_MS = 3_000;
export const DEFAULT_MIN_DELAY_SHARE = 1 / 3;
/** How long a denied call is retried, from the first denial of the event: IAM's usual propagation time, with margin. */
export const ACCESS_DENIED_RETRY_MS = 30_000;
/** The codes of a denial: the email APIs' and Secrets Manager's, and CloudFormation's (its reads of the handler's stack). */
const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied'];

export class DeadlineRetryStrategy {
  /** When the first denial of this client came (epoch ms). */
  private firstDenial?: number;

  constructor(private readonly policy: RetryPolicy) {}

  public async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return token(0, 0);
  }

  public async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    if (isQuotaError(info.error)) throw new Error('not retryable');
    const now = (this.policy.now ?? Date.now)();
    let deadline = this.policy.deadline;
    if (info.errorType === 'CLIENT_ERROR') {
      if (!ACCESS_DENIED.includes(info.error?.name ?? '')) throw new Error('not retryable');
      this.firstDenial ??= now;
      deadline = Math.min(deadline, this.firstDenial + (this.policy.accessDeniedRetryMs ?? ACCESS_DENIED_RETRY_MS));
    }
    const retries = previous.getRetryCount() + 1;
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (retries - 1));
    const shortest = Math.ceil(ceiling * (this.policy.minDelayShare ?? 0));
    const delay = shortest + Math.floor((ceiling - shortest) * (this.policy.random ?? Math.random)());
    if (now + delay >= deadline) throw new Error('deadline reached');
    log('retrying', { outcome: info.error?.name ?? info.errorType, attempts: retries, delayMs: delay });
    return token(retries, delay);
  }

  public recordSuccess(_token: RetryToken): void {}
}

function token(retryCount: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delayMs };
}
