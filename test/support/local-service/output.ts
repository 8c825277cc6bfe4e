/**
 * What an API answers. The handlers answer SES v2's output members, a superset of Pinpoint Email's; each API's answer
 * keeps only what its own output shapes have, at any depth: members its structures lack are left out, and so are enum
 * values its enums lack (an element of a list is dropped). So a Pinpoint Email Get never shows an SES v2 addition.
 */
import { ApiModel, APIS } from './apis';
import { ShapeSpec } from './model-types';

type Shapes = Readonly<Record<string, ShapeSpec>>;

/**
 * The output of `operation` as `api` answers it. A handler that answers a member that no API has for the operation, or
 * leaves out one that the API requires, is a local-service bug (the server answers 500 InternalFailure).
 */
export function apiOutput(api: ApiModel, operation: string, output: Record<string, unknown>): Record<string, unknown> {
  const spec = api.operations[operation];
  const widest = APIS.v2.operations[operation] ?? spec;
  const extra = Object.keys(output).filter((k) => output[k] !== undefined && !widest.output.includes(k));
  const answer = project(api.shapes, spec.outputShape, output) as Record<string, unknown>;
  const missing = spec.outputRequired.filter((k) => answer[k] === undefined);
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`${operation} output breaks the ${api.service.sdkId} model: extra [${extra.join(', ')}], missing [${missing.join(', ')}]`);
  }
  return answer;
}

/** `value` with only what `shapeName` has (undefined when nothing of it is left). */
export function project(shapes: Shapes, shapeName: string, value: unknown): unknown {
  const shape = shapes[shapeName];
  if (value === undefined || value === null || !shape) return value ?? undefined;
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries(shape.members)
        .map(([m, member]) => [m, project(shapes, member.target, (value as Record<string, unknown>)[m])])
        .filter(([, v]) => v !== undefined));
    case 'list':
      return (value as unknown[]).map((e) => project(shapes, shape.member, e)).filter((e) => e !== undefined);
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => [k, project(shapes, shape.value, v)])
        .filter(([, v]) => v !== undefined));
    case 'enum':
      return shape.values.includes(value as string) ? value : undefined;
    default:
      return value;
  }
}
