/**
 * Property-based tests of the pure tag diff: applied to the live tags it yields the wanted tags on the managed keys,
 * touches nothing else, never names an `aws:` key or a `cdk-pinpoint-email:` key (the handler's ownership marker), and is
 * empty when nothing changed.
 */
import * as fc from 'fast-check';
import { OWNER_TAG_KEY } from '../../lambda/ownership';
import { diffTags, TagDiff, Tags } from '../../lambda/tags';

const isReserved = (key: string) => key.toLowerCase().startsWith('aws:') || key.toLowerCase().startsWith('cdk-pinpoint-email:');
const has = (tags: Tags, key: string) => Object.prototype.hasOwnProperty.call(tags, key);

/** Keys from a small shared pool (so old, new and live overlap), reserved keys, unicode and arbitrary strings. */
const key = fc.oneof(
  fc.constantFrom('team', 'stage', 'owner', 'Team', 'cost center', 'a/b=c+d-e_f.g:h'),
  fc.constantFrom('aws:cloudformation:stack-name', 'aws:', 'AWS:Owner', 'Aws:x'),
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.string({ minLength: 1, maxLength: 6 }).map((s) => `aws:${s}`),
  fc.constantFrom(OWNER_TAG_KEY, 'cdk-pinpoint-email:', 'CDK-Pinpoint-Email:Owner'),
  fc.string({ maxLength: 6 }).map((s) => `cdk-pinpoint-email:${s}`),
);
const value = fc.oneof(
  fc.constant(''),
  fc.constantFrom('mail', 'prod', 'dev'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
/** Plain objects, as the handler builds them from events and ListTagsForResource. */
const tags = fc.dictionary(key, value, { maxKeys: 8, noNullPrototype: true });

/** The live tags after the UntagResource and TagResource calls that `diff` describes. */
function apply(live: Tags, diff: TagDiff): Map<string, string> {
  const result = new Map(Object.entries(live));
  for (const k of diff.untag) result.delete(k);
  for (const [k, v] of Object.entries(diff.tag)) result.set(k, v);
  return result;
}

const RUNS = { numRuns: 500 };

test('applying the diff to the live tags yields the wanted value on every managed key', () => {
  fc.assert(fc.property(tags, tags, tags, (previous, wanted, live) => {
    const result = apply(live, diffTags(previous, wanted, live));
    const managed = new Set([...Object.keys(previous), ...Object.keys(wanted)].filter((k) => !isReserved(k)));
    for (const k of managed) {
      if (has(wanted, k)) {
        expect(result.get(k)).toBe(wanted[k]);
      } else {
        expect(result.has(k)).toBe(false);
      }
    }
  }), RUNS);
});

test('keys outside previous and wanted, every aws: key and the ownership marker are left exactly as they are', () => {
  fc.assert(fc.property(tags, tags, tags, (previous, wanted, live) => {
    const result = apply(live, diffTags(previous, wanted, live));
    for (const k of Object.keys(live)) {
      if (isReserved(k) || (!has(previous, k) && !has(wanted, k))) {
        expect(result.get(k)).toBe(live[k]);
      }
    }
    for (const k of result.keys()) {
      if (isReserved(k) || (!has(previous, k) && !has(wanted, k))) expect(has(live, k)).toBe(true);
    }
  }), RUNS);
});

test('no aws: or cdk-pinpoint-email: key (the ownership marker) is ever untagged or tagged', () => {
  fc.assert(fc.property(tags, tags, tags, (previous, wanted, live) => {
    const diff = diffTags(previous, wanted, live);
    expect(diff.untag.filter(isReserved)).toEqual([]);
    expect(Object.keys(diff.tag).filter(isReserved)).toEqual([]);
  }), RUNS);
});

test('the diff is minimal: it untags only keys that are live and tags only pairs whose live value differs', () => {
  fc.assert(fc.property(tags, tags, tags, (previous, wanted, live) => {
    const diff = diffTags(previous, wanted, live);
    expect(new Set(diff.untag).size).toBe(diff.untag.length);
    for (const k of diff.untag) expect(has(live, k)).toBe(true);
    for (const [k, v] of Object.entries(diff.tag)) expect(has(live, k) && live[k] === v).toBe(false);
  }), RUNS);
});

test('diffTags(x, x, x) is empty', () => {
  fc.assert(fc.property(tags, (x) => {
    expect(diffTags(x, x, x)).toEqual({ untag: [], tag: {} });
  }), RUNS);
});

test('with old and new equal, only drift of managed keys is corrected', () => {
  fc.assert(fc.property(tags, tags, (x, live) => {
    const diff = diffTags(x, x, live);
    expect(diff.untag).toEqual([]);
    for (const k of Object.keys(diff.tag)) expect(has(x, k) && !isReserved(k)).toBe(true);
  }), RUNS);
});

describe('examples', () => {
  test('a typical update', () => {
    const diff = diffTags(
      { team: 'mail', stage: 'dev', gone: '1' },
      { team: 'mail', stage: 'prod', added: '' },
      { 'team': 'mail', 'stage': 'dev', 'gone': '1', 'owner': 'ops', 'aws:cloudformation:stack-name': 'Demo' },
    );
    expect(diff).toEqual({ untag: ['gone'], tag: { stage: 'prod', added: '' } });
  });

  test('keys named like Object.prototype members are ordinary keys', () => {
    const diff = diffTags(
      { constructor: 'a', toString: 'b' },
      { valueOf: 'c' },
      { constructor: 'a', toString: 'b' },
    );
    expect([...diff.untag].sort()).toEqual(['constructor', 'toString']);
    expect(diff.tag).toEqual({ valueOf: 'c' });
  });

  test('the ownership marker is never removed or changed, even when old or new properties name it', () => {
    const live = { [OWNER_TAG_KEY]: 'a'.repeat(32), team: 'mail' };
    expect(diffTags({ [OWNER_TAG_KEY]: 'x', team: 'mail' }, { team: 'ops' }, live)).toEqual({ untag: [], tag: { team: 'ops' } });
    expect(diffTags({}, { [OWNER_TAG_KEY]: 'forged' }, live)).toEqual({ untag: [], tag: {} });
  });

  test('a key named __proto__ is tagged like any other', () => {
    const wanted: Tags = JSON.parse('{"__proto__": "x"}');
    const diff = diffTags({}, wanted, {});
    expect(Object.entries(diff.tag)).toEqual([['__proto__', 'x']]);
  });
});
