/**
 * The two APIs that the service serves over one state, each from its own model table: Pinpoint Email (`/v1/email`,
 * model.generated.ts) and SES API v2 (`/v2/email`, model-sesv2.generated.ts). They share the operation names, ARNs, IAM
 * actions and signing name; SES v2 only adds operations and members. Handlers answer SES v2's members, and each API's
 * answer keeps only the members of its own output shapes (output.ts).
 */
import * as sesv2 from './model-sesv2.generated';
import type { ErrorSpec, OperationSpec, ServiceSpec, ShapeSpec } from './model-types';
import * as pinpointEmail from './model.generated';

/** v1: Pinpoint Email (`@aws-sdk/client-pinpoint-email`); v2: SES API v2 (`@aws-sdk/client-sesv2`). */
export type ApiVersion = 'v1' | 'v2';

export interface ApiModel {
  readonly version: ApiVersion;
  readonly service: ServiceSpec;
  readonly operations: Readonly<Record<string, OperationSpec>>;
  readonly shapes: Readonly<Record<string, ShapeSpec>>;
  readonly errors: Readonly<Record<string, ErrorSpec>>;
}

export const APIS: Readonly<Record<ApiVersion, ApiModel>> = {
  v1: { version: 'v1', service: pinpointEmail.SERVICE, operations: pinpointEmail.OPERATIONS, shapes: pinpointEmail.SHAPES, errors: pinpointEmail.ERRORS },
  v2: { version: 'v2', service: sesv2.SERVICE, operations: sesv2.OPERATIONS, shapes: sesv2.SHAPES, errors: sesv2.ERRORS },
};

/** The APIs that have this operation (none for an unknown name). */
export function apisOf(operation: string): ApiModel[] {
  return Object.values(APIS).filter((api) => Object.hasOwn(api.operations, operation));
}
