// Model validation: required members, member types, enum values, patterns and length/range traits, from an API's generated table.
import { badRequest } from './errors';
import { HttpBinding, ShapeSpec } from './model-types';

type Shapes = Readonly<Record<string, ShapeSpec>>;

const INT_RANGE: Record<string, [number, number]> = {
  byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647], long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks a raw input (see router.rawInput) against the input structure `inputShape` of `shapes` and returns it typed as
 * the SDK's input: numbers and booleans from the text of the binding's labels and query members, timestamps as Date (body:
 * epoch seconds; query: ISO 8601), blobs as Buffer (from base64). Members the structure does not have are dropped; JSON
 * `null` counts as absent. Every problem found is listed in one 400 BadRequestException, which never quotes a sensitive
 * value. (Real AWS may answer a JSON type mismatch with SerializationException; BadRequestException is what every
 * operation declares.)
 */
export function validateInput(shapes: Shapes, inputShape: string, binding: HttpBinding, raw: Record<string, unknown>): Record<string, unknown> {
  const problems: string[] = [];
  const textMembers = new Set([...binding.labels, ...binding.query.map((q) => q.member)]);
  const input = structure(shapes, inputShape, raw, '', problems, textMembers);
  if (problems.length > 0) {
    throw badRequest(`${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return input;
}

/** Fills members that are absent but have a model default (e.g. a missing `Enabled` boolean is `false`), recursively. */
export function applyDefaults(shapes: Shapes, shapeName: string, value: unknown): unknown {
  const shape = shapes[shapeName];
  if (value === undefined || !shape) return value;
  if (shape.type === 'structure') {
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = { ...v };
    for (const [m, member] of Object.entries(shape.members)) {
      out[m] = out[m] === undefined && member.default !== undefined ? member.default : applyDefaults(shapes, member.target, v[m]);
      if (out[m] === undefined) delete out[m];
    }
    return out;
  }
  if (shape.type === 'list') return (value as unknown[]).map((e) => applyDefaults(shapes, shape.member, e));
  if (shape.type === 'map') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, e]) => [k, applyDefaults(shapes, shape.value, e)]));
  }
  return value;
}

function structure(
  shapes: Shapes, shapeName: string, value: unknown, path: string, problems: string[], textMembers?: Set<string>,
): Record<string, unknown> {
  const shape = shapes[shapeName] as Extract<ShapeSpec, { type: 'structure' }>;
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path || 'input'} must be an object`);
    return out;
  }
  for (const [m, member] of Object.entries(shape.members)) {
    const v = (value as Record<string, unknown>)[m];
    const memberPath = path ? `${path}.${m}` : m;
    if (v === undefined || v === null) {
      if (member.required) problems.push(`${memberPath} is required but missing`);
      continue;
    }
    out[m] = textMembers?.has(m) ? fromText(shapes, member.target, v, memberPath, problems) : check(shapes, member.target, v, memberPath, problems);
  }
  return out;
}

function check(shapes: Shapes, shapeName: string, v: unknown, path: string, problems: string[]): unknown {
  const shape = shapes[shapeName];
  const bad = (what: string): undefined => {
    problems.push(`${path} must be ${what} (got ${shape.sensitive ? 'a value not shown: it is sensitive' : JSON.stringify(v)})`);
    return undefined;
  };
  switch (shape.type) {
    case 'structure':
      return structure(shapes, shapeName, v, path, problems);
    case 'list':
      if (!Array.isArray(v)) return bad('a list');
      return v.map((e, i) => (e === null ? bad(`a list without null elements at ${i}`) : check(shapes, shape.member, e, `${path}[${i}]`, problems)));
    case 'map':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('a map (JSON object)');
      return Object.fromEntries(Object.entries(v).map(([k, e]) =>
        [check(shapes, shape.key, k, `${path} key`, problems), check(shapes, shape.value, e, `${path}.${k}`, problems)]));
    case 'enum':
      if (typeof v !== 'string' || !shape.values.includes(v)) return bad(`one of ${shape.values.join(', ')}`);
      return v;
    case 'string':
      if (typeof v !== 'string') return bad('a string');
      if (shape.pattern !== undefined && !new RegExp(shape.pattern).test(v)) return bad(`text matching ${shape.pattern}`);
      return lengthChecked(shape, v, path, problems);
    case 'boolean':
      return typeof v === 'boolean' ? v : bad('a boolean');
    case 'byte': case 'short': case 'integer': case 'long': {
      const [min, max] = INT_RANGE[shape.type];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return bad(`an ${shape.type}`);
      return rangeChecked(shape, v, path, problems);
    }
    case 'double': case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? rangeChecked(shape, v, path, problems) : bad('a number');
    case 'timestamp':
      return typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000) : bad('a timestamp in epoch seconds');
    case 'blob':
      return typeof v === 'string' && BASE64.test(v) ? Buffer.from(v, 'base64') : bad('base64-encoded data');
  }
}

/** A label or query value (always text) converted to the member's type. */
function fromText(shapes: Shapes, shapeName: string, v: unknown, path: string, problems: string[]): unknown {
  const shape = shapes[shapeName];
  if (shape.type === 'list') return (v as string[]).map((e, i) => fromText(shapes, shape.member, e, `${path}[${i}]`, problems));
  const text = v as string;
  switch (shape.type) {
    case 'byte': case 'short': case 'integer': case 'long':
      return /^-?\d+$/.test(text) ? check(shapes, shapeName, Number(text), path, problems) : check(shapes, shapeName, text, path, problems);
    case 'double': case 'float':
      return check(shapes, shapeName, text.trim() === '' ? text : Number(text), path, problems);
    case 'boolean':
      return check(shapes, shapeName, text === 'true' ? true : text === 'false' ? false : text, path, problems);
    case 'timestamp':
      if (!ISO_8601.test(text) || Number.isNaN(Date.parse(text))) {
        problems.push(`${path} must be an ISO 8601 date-time (got ${JSON.stringify(text)})`);
        return undefined;
      }
      return new Date(text);
    default:
      return check(shapes, shapeName, text, path, problems);
  }
}

function lengthChecked(shape: { length?: { min?: number; max?: number } }, v: string, path: string, problems: string[]): string {
  const n = [...v].length;
  if (shape.length && (n < (shape.length.min ?? 0) || n > (shape.length.max ?? Infinity))) {
    problems.push(`${path} must be ${shape.length.min ?? 0} to ${shape.length.max ?? 'any'} characters long (got ${n})`);
  }
  return v;
}

function rangeChecked(shape: { range?: { min?: number; max?: number } }, v: number, path: string, problems: string[]): number {
  if (shape.range && (v < (shape.range.min ?? -Infinity) || v > (shape.range.max ?? Infinity))) {
    problems.push(`${path} must be between ${shape.range.min} and ${shape.range.max} (got ${v})`);
  }
  return v;
}
