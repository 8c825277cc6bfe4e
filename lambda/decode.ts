/**
 * Decoding of custom resource properties. CloudFormation sends every scalar as a string ("true", "42"); the
 * construct may also have rendered real booleans. Anything else is a malformed event: InvalidProperties, before any
 * API call.
 */
import { ResourceFailure } from './errors';

export type RawProperties = Record<string, unknown>;

export class InvalidProperties extends ResourceFailure {}

export function asObject(value: unknown, what: string): RawProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidProperties(`${what} must be an object`);
  }
  return value as RawProperties;
}

export function requiredString(props: RawProperties, name: string): string {
  const value = optionalString(props, name);
  if (value === undefined || value === '') throw new InvalidProperties(`property ${name} is required`);
  return value;
}

export function optionalString(props: RawProperties, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidProperties(`property ${name} must be a string`);
  return value;
}

export function optionalBoolean(props: RawProperties, name: string): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidProperties(`property ${name} must be "true" or "false"`);
}

export function optionalEnum<T extends string>(props: RawProperties, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(props, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidProperties(`property ${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
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

/** Tags as a map, from the `[{Key, Value}]` list that a KEY_VALUE TagManager renders. */
export function tagMap(props: RawProperties): Record<string, string> {
  const value = props.Tags;
  if (value === undefined || value === null || value === '') return {};
  if (!Array.isArray(value)) throw new InvalidProperties('property Tags must be a list of {Key, Value}');
  const entries: Array<[string, string]> = [];
  for (const item of value) {
    const tag = asObject(item, 'each tag');
    if (typeof tag.Key !== 'string' || (tag.Value !== undefined && typeof tag.Value !== 'string')) {
      throw new InvalidProperties('property Tags must be a list of {Key, Value} strings');
    }
    entries.push([tag.Key, (tag.Value as string | undefined) ?? '']);
  }
  return Object.fromEntries(entries); // an assignment loop would drop a "__proto__" key
}

/** The schema versions this handler reads; every version ever shipped stays here. */
const KNOWN_SCHEMA_VERSIONS = ['1'];

export function checkSchemaVersion(props: RawProperties): void {
  const version = optionalString(props, 'SchemaVersion');
  if (version === undefined) throw new InvalidProperties('property SchemaVersion is required');
  if (!KNOWN_SCHEMA_VERSIONS.includes(version)) {
    throw new InvalidProperties(`SchemaVersion ${version} is newer than this handler understands (${KNOWN_SCHEMA_VERSIONS.join(', ')})`);
  }
}
