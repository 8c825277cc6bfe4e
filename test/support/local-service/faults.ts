// Fault injection: rate limit, "fail the next K calls of X with Y", added latency, dropped connections.
import { ApiVersion, APIS, apisOf } from './apis';
import { COMMON_ERRORS, ServiceError, statusOf } from './errors';

interface Failure { errorName: string; message: string; api?: ApiVersion }

export class Faults {
  /** added to every request before it is answered */
  latencyMs = 0;
  private rateLimit: number | undefined;
  /** arrival times of the requests admitted in the last second (throttled ones are not counted, like a token bucket) */
  private readonly admitted: number[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly drops: Array<{ operation?: string; remaining: number }> = [];

  /** Above `requestsPerSecond` admitted requests in any sliding 1 s window (all accounts together) -> 429. */
  setRateLimit(requestsPerSecond: number | undefined): void {
    if (requestsPerSecond !== undefined && !(requestsPerSecond >= 0)) throw new Error(`invalid rate limit ${requestsPerSecond}`);
    this.rateLimit = requestsPerSecond;
    this.admitted.length = 0;
  }

  /** A 429 TooManyRequestsException when this request would exceed the rate limit. */
  throttle(now: number): ServiceError | undefined {
    while (this.admitted.length > 0 && this.admitted[0] <= now - 1000) this.admitted.shift();
    if (this.rateLimit !== undefined && this.admitted.length >= this.rateLimit) {
      return new ServiceError('TooManyRequestsException', 'Too Many Requests', statusOf('TooManyRequestsException')!);
    }
    this.admitted.push(now);
    return undefined;
  }

  /**
   * The next `count` valid calls of `operation` (through `api`, or through either API) fail with `errorName`. It must be an
   * error that the operation declares in the model of every API it may come through (its status comes from the model), or
   * an AWS common error (InternalFailure 500, ServiceUnavailable 503).
   */
  failNext(operation: string, count: number, errorName: string, message?: string, api?: ApiVersion): void {
    const apis = api ? [APIS[api]].filter((a) => a.operations[operation]) : apisOf(operation);
    if (apis.length === 0) throw new Error(`failNext: unknown operation ${operation}${api ? ` in ${api}` : ''}`);
    const undeclared = apis.find((a) => !a.operations[operation].errors.includes(errorName));
    if (undeclared && !(errorName in COMMON_ERRORS)) {
      throw new Error(`failNext: ${operation} declares ${undeclared.operations[operation].errors.join(', ')} in ${undeclared.version} `
        + `(or use ${Object.keys(COMMON_ERRORS).join(', ')}), not ${errorName}`);
    }
    const queue = this.failures.get(operation) ?? [];
    for (let i = 0; i < count; i++) queue.push({ errorName, message: message ?? `Injected ${errorName} for ${operation}.`, api });
    this.failures.set(operation, queue);
  }

  /** The failure queued for the next call of `operation` through `api`, if any (taken off the queue). */
  takeFailure(operation: string, api: ApiVersion): ServiceError | undefined {
    const queue = this.failures.get(operation) ?? [];
    const i = queue.findIndex((f) => f.api === undefined || f.api === api);
    if (i < 0) return undefined;
    const [next] = queue.splice(i, 1);
    return new ServiceError(next.errorName, next.message, statusOf(next.errorName)!);
  }

  /** The next `count` requests (of `operation`, or of any route) get their socket destroyed without a response. */
  dropNextConnections(count: number, operation?: string): void {
    if (operation !== undefined && apisOf(operation).length === 0) throw new Error(`dropNextConnections: unknown operation ${operation}`);
    if (count > 0) this.drops.push({ operation, remaining: count });
  }

  takeDrop(operation: string | undefined): boolean {
    const i = this.drops.findIndex((d) => d.operation === undefined || d.operation === operation);
    if (i < 0) return false;
    if (--this.drops[i].remaining === 0) this.drops.splice(i, 1);
    return true;
  }

  reset(): void {
    this.latencyMs = 0;
    this.setRateLimit(undefined);
    this.failures.clear();
    this.drops.length = 0;
  }
}
