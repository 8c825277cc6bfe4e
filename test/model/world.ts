/** What the oracle compares: every resource of every kind in the service, normalized, and how two such states differ. */
import { isDeepStrictEqual } from 'util';
import { KINDS, Observed } from './kinds';
import { AccountState } from '../support/local-service';

export type World = Readonly<Record<string, Readonly<Record<string, Observed>>>>;

export function observe(state: AccountState): World {
  return Object.fromEntries(KINDS.map((kind) => [kind.name, kind.observe(state)]));
}

/** One line per resource that differs: `kind key: expected ... got ...`. */
export function diffWorlds(expected: World, actual: World, ignore: (kind: string, key: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  for (const kind of Object.keys(expected)) {
    const keys = new Set([...Object.keys(expected[kind] ?? {}), ...Object.keys(actual[kind] ?? {})]);
    for (const key of keys) {
      if (ignore(kind, key)) continue;
      const e = expected[kind]?.[key];
      const a = actual[kind]?.[key];
      if (!isDeepStrictEqual(e, a)) lines.push(`${kind} ${key}: expected ${show(e)}, got ${show(a)}`);
    }
  }
  return lines;
}

export function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export const sameTags = (a: Record<string, string>, b: Record<string, string>): boolean =>
  isDeepStrictEqual(Object.fromEntries(Object.entries(a).sort()), Object.fromEntries(Object.entries(b).sort()));
