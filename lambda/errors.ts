import { ApiError } from './api';
import { ACCESS_DENIED_RETRY_MS, isQuotaError } from './retry';

/** A failure whose message is meant for the CloudFormation console as it is; reported without a stack trace. */
export class ResourceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceFailure';
  }
}

const RETRIED_ERRORS = new Set(['TooManyRequestsException', 'LimitExceededException', 'ConcurrentModificationException']);

export function hasErrorName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

export function isNotFound(error: unknown): boolean {
  return hasErrorName(error, 'NotFoundException');
}

/** Awaits an API call for which NotFoundException means "absent": undefined then, the call's output otherwise. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Awaits an API call for which AccessDeniedException means "not this stack's": undefined then. */
export async function unlessDenied<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (hasErrorName(error, 'AccessDeniedException')) return undefined;
    throw error;
  }
}

/**
 * What went wrong, for the CloudFormation console: the resource, the operation, the API's error name and message,
 * and whether the handler gave up retrying throttling before its deadline.
 */
export function describeFailure(resource: string, error: unknown): string {
  if (error instanceof ResourceFailure) return `${resource}: ${error.message}`;
  if (!(error instanceof Error)) return `${resource}: ${String(error)}`;
  const apiError = error as ApiError;
  const operation = apiError.operation ? `${apiError.operation} failed` : 'failed';
  const attempts = apiError.$metadata?.attempts ?? 1;
  const status = apiError.$metadata?.httpStatusCode;
  const gaveUp = attempts > 1 && (RETRIED_ERRORS.has(error.name) || status === undefined || status >= 500);
  const throttled = gaveUp
    ? ` (throttled or failing transiently: gave up after ${attempts} attempts to finish before the Lambda deadline; retry the deployment)`
    : '';
  const denied = error.name === 'AccessDeniedException' && attempts > 1
    ? ` (still denied after ${attempts} attempts over up to ${ACCESS_DENIED_RETRY_MS / 1000} s, longer than IAM takes to apply a new policy)`
    : '';
  const quota = isQuotaError(apiError) ? ' (a quota of the account and region, not throttling: it was not retried)' : '';
  return `${resource}: ${operation}: ${error.name}: ${error.message}${throttled}${denied}${quota}`;
}
