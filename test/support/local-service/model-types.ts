// The types of the generated model tables (model.generated.ts for Pinpoint Email, model-sesv2.generated.ts for SES v2).

export type PrimitiveType = 'string' | 'boolean' | 'integer' | 'long' | 'double' | 'float' | 'short' | 'byte' | 'timestamp' | 'blob';
export interface MemberSpec { readonly target: string; readonly required?: boolean; readonly default?: unknown }
/** `sensitive`: the model marks the shape `smithy.api#sensitive` (the service never records such a value in clear). */
export type ShapeSpec = (
  | { readonly type: 'structure'; readonly members: Readonly<Record<string, MemberSpec>> }
  | { readonly type: 'list'; readonly member: string }
  | { readonly type: 'map'; readonly key: string; readonly value: string }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | PrimitiveShape
) & { readonly sensitive?: boolean };
export interface PrimitiveShape {
  readonly type: PrimitiveType;
  readonly length?: { readonly min?: number; readonly max?: number };
  readonly range?: { readonly min?: number; readonly max?: number };
  readonly pattern?: string;
}
export interface QueryBinding { readonly member: string; readonly name: string; readonly list: boolean }
/** Where a request's members travel: the path labels, the query string, the JSON body. */
export interface HttpBinding {
  readonly method: string;
  readonly uri: string;
  readonly labels: readonly string[];
  readonly query: readonly QueryBinding[];
  readonly body: readonly string[];
}
export interface OperationSpec extends HttpBinding {
  readonly code: number;
  /** the input structure in SHAPES */
  readonly input: string;
  readonly required: readonly string[];
  /** input member -> shape name in SHAPES */
  readonly members: Readonly<Record<string, string>>;
  /** the output structure in SHAPES */
  readonly outputShape: string;
  readonly output: readonly string[];
  readonly outputRequired: readonly string[];
  readonly errors: readonly string[];
  readonly paginated?: { readonly inputToken?: string; readonly outputToken?: string; readonly pageSize?: string; readonly items?: string };
  /** Other routes that the SDK sends this operation to, beside the model's (labels from the URI, every other member in the body). */
  readonly sdkRoutes?: readonly HttpBinding[];
}
export interface ErrorSpec { readonly status: number; readonly fault: 'client' | 'server' }
export interface ServiceSpec {
  readonly shapeId: string;
  readonly version: string;
  readonly sdkId: string;
  readonly endpointPrefix: string;
  readonly arnNamespace: string;
  readonly signingName: string;
}
