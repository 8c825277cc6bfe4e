// Errors on the wire: the status comes from the model's error shape (smithy.api#httpError).
import { ERRORS, OPERATIONS } from './model.generated';

/**
 * AWS common errors that no operation declares in the model but that AWS can return for any call
 * (https://docs.aws.amazon.com/general/latest/gr/api-retries.html). Fault injection may use them for transient faults.
 */
export const COMMON_ERRORS: Readonly<Record<string, { status: number; fault: 'client' | 'server' }>> = {
  InternalFailure: { status: 500, fault: 'server' },
  ServiceUnavailable: { status: 503, fault: 'server' },
};

/** An error answer: `x-amzn-errortype: <errorName>`, status, `{"message": ...}`. */
export class ServiceError extends Error {
  constructor(readonly errorName: string, message: string, readonly status: number) {
    super(message);
  }
}

/** An error the operation declares in the model; anything else is a bug in the local service. */
export function declaredError(operation: string, errorName: string, message: string): ServiceError {
  const op = OPERATIONS[operation];
  if (!op?.errors.includes(errorName)) {
    throw new Error(`local service bug: ${operation} does not declare ${errorName} in the model`);
  }
  return new ServiceError(errorName, message, ERRORS[errorName].status);
}

/** 400 BadRequestException: every one of the 42 operations declares it. */
export function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, ERRORS.BadRequestException.status);
}

/** The status of an injectable error: a model error shape or one of COMMON_ERRORS. */
export function statusOf(errorName: string): number | undefined {
  return ERRORS[errorName]?.status ?? COMMON_ERRORS[errorName]?.status;
}
