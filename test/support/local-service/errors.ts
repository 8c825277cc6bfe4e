// Errors on the wire: the status comes from the model's error shape (smithy.api#httpError).
import { ApiModel, APIS } from './apis';

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

/** An error the operation declares in this API's model; anything else is a bug in the local service. */
export function declaredError(api: ApiModel, operation: string, errorName: string, message: string): ServiceError {
  if (!api.operations[operation]?.errors.includes(errorName)) {
    throw new Error(`local service bug: ${operation} does not declare ${errorName} in the ${api.service.sdkId} model`);
  }
  return new ServiceError(errorName, message, api.errors[errorName].status);
}

/** 400 BadRequestException: every operation of both APIs declares it. */
export function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, APIS.v1.errors.BadRequestException.status);
}

/** The status of an injectable error: a model error shape (the shared ones have the same status in both APIs) or one of COMMON_ERRORS. */
export function statusOf(errorName: string): number | undefined {
  return APIS.v1.errors[errorName]?.status ?? APIS.v2.errors[errorName]?.status ?? COMMON_ERRORS[errorName]?.status;
}
