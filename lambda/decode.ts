/**
 * Decoding of custom resource properties. CloudFormation sends every scalar as a string ("true", "42"); the
 * construct may also have rendered real booleans. Anything else is a malformed event: InvalidProperties, before any
 * API call.
 */
import { ResourceFailure } from './errors';

export type RawProperties = Record<string, unknown>;

export class InvalidProperties extends ResourceFailure {}

/**
 * Stands for a value of `OldResourceProperties` that could not be read (decodeLeniently): it equals no real value, so
 * the property counts as changed, and it is never sent to the API (calls take the new properties).
 */
export const UNREADABLE = '\u0000cdk-pinpoint-email:unreadable';

let lenient = false;

/**
 * Runs `decode` so that whatever it cannot read becomes UNREADABLE (tags and lists: empty) instead of failing, and the
 * schema version is not checked: the old properties of an update may be a shape this handler rejects (an update to an
 * invalid value that failed, now rolled back; a newer library version, then a downgrade), and the rollback must not
 * fail because of them.
 */
export function decodeLeniently<T>(decode: () => T): T {
  lenient = true;
  try {
    return decode();
  } finally {
    lenient = false;
  }
}

/** Whether decodeLeniently is running: a decoder with its own structure checks turns a failure into UNREADABLE. */
export function isLenient(): boolean {
  return lenient;
}

function unreadable<T>(message: string): T {
  if (lenient) return UNREADABLE as unknown as T;
  throw new InvalidProperties(message);
}

export function asObject(value: unknown, what: string): RawProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidProperties(`${what} must be an object`);
  }
  return value as RawProperties;
}

export function requiredString(props: RawProperties, name: string): string {
  const value = optionalString(props, name);
  if (value === undefined || value === '') return unreadable(`property ${name} is required`);
  return value;
}

export function optionalString(props: RawProperties, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return unreadable(`property ${name} must be a string`);
  return value;
}

export function optionalBoolean(props: RawProperties, name: string): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return unreadable(`property ${name} must be "true" or "false"`);
}

export function optionalEnum<T extends string>(props: RawProperties, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(props, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value) && value !== UNREADABLE) {
    return unreadable(`property ${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** An integer from `min` to `max`, as CloudFormation delivers it (text) or as the construct rendered it (a number). */
export function optionalInteger(props: RawProperties, name: string, min: number, max: number): number | undefined {
  const value = props[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) return unreadable(`property ${name} must be an integer from ${min} to ${max}`);
  return number;
}

/** A list of strings; absent (or the empty string CloudFormation may send for an empty list) is the empty list. */
export function stringList(props: RawProperties, name: string): string[] {
  const value = props[name];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InvalidProperties(`property ${name} must be a list of strings`);
  }
  return value as string[];
}

/** A list of objects, each decoded by `item`; absent is undefined. */
export function optionalObjectList<T>(props: RawProperties, name: string, item: (raw: RawProperties) => T): T[] | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new InvalidProperties(`property ${name} must be a list`);
  return value.map((raw) => item(asObject(raw, `each item of ${name}`)));
}

/**
 * Tags as a map. `Tags` is a map since schema version 2; the `[{Key, Value}]` list is version 1's, and version 2's for
 * a key that a template's map cannot carry.
 */
export function tagMap(props: RawProperties): Record<string, string> {
  if (!lenient) return strictTagMap(props);
  try {
    return strictTagMap(props);
  } catch {
    return {}; // unknown previous tags: every wanted tag counts as changed
  }
}

function strictTagMap(props: RawProperties): Record<string, string> {
  const value = props.Tags;
  if (value === undefined || value === null || value === '') return {};
  const malformed = new InvalidProperties('property Tags must be a map of strings, or a list of {Key, Value} strings');
  if (typeof value !== 'object') throw malformed;
  const entries: Array<[unknown, unknown]> = Array.isArray(value)
    ? value.map((item) => {
      const tag = asObject(item, 'each tag');
      return [tag.Key, tag.Value ?? ''];
    })
    : Object.entries(value);
  if (!entries.every((entry): entry is [string, string] => typeof entry[0] === 'string' && typeof entry[1] === 'string')) throw malformed;
  return Object.fromEntries(entries); // an assignment loop would drop a "__proto__" key
}

/** The schema versions this handler reads; every version ever shipped stays here. */
const KNOWN_SCHEMA_VERSIONS = ['1', '2'];

export function checkSchemaVersion(props: RawProperties): void {
  if (lenient) return;
  const version = optionalString(props, 'SchemaVersion');
  if (version === undefined) throw new InvalidProperties('property SchemaVersion is required');
  if (!KNOWN_SCHEMA_VERSIONS.includes(version)) {
    throw new InvalidProperties(`SchemaVersion ${version} is newer than this handler understands (${KNOWN_SCHEMA_VERSIONS.join(', ')})`);
  }
}
