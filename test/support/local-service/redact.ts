// What the service records of an input: every value of a shape that the model marks sensitive is replaced, at any depth.
import { ShapeSpec } from './model-types';

export const REDACTED = '<redacted: sensitive>';

/** `value` read as `shapeName` of `shapes`, with each sensitive value (e.g. a DKIM private key) replaced by REDACTED. */
export function redactSensitive(shapes: Readonly<Record<string, ShapeSpec>>, shapeName: string, value: unknown): unknown {
  const shape = shapes[shapeName];
  if (value === undefined || value === null || !shape) return value;
  if (shape.sensitive) return REDACTED;
  if (typeof value !== 'object') return value;
  switch (shape.type) {
    case 'structure':
      return Object.fromEntries(Object.entries(value).map(([m, v]) =>
        [m, shape.members[m] ? redactSensitive(shapes, shape.members[m].target, v) : v]));
    case 'list':
      return Array.isArray(value) ? value.map((e) => redactSensitive(shapes, shape.member, e)) : value;
    case 'map':
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSensitive(shapes, shape.value, v)]));
    default:
      return value;
  }
}
