import { EmailApi } from './email-api';
import { RESERVED_TAG_KEY_PREFIX } from '../src/private/contract';

export type Tags = Record<string, string>;

/** What to change on a resource so that its managed tags match the wanted ones. */
export interface TagDiff {
  /** Managed keys that are no longer wanted and are still on the resource. */
  readonly untag: string[];
  /** Wanted pairs whose live value differs or is missing. */
  readonly tag: Tags;
}

/** Keys that reconciliation never touches: AWS's own, and the handler's ownership marker (see ownership.ts). */
const RESERVED_PREFIXES = ['aws:', RESERVED_TAG_KEY_PREFIX];

export function isReservedTagKey(key: string): boolean {
  const lower = key.toLowerCase();
  return RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The tag changes that reconcile `live` with `wanted`. Managed keys are those in `previous` or `wanted`; any other
 * key on the resource belongs to someone else and is left alone, and `aws:` and `cdk-pinpoint-email:` keys are never
 * touched.
 */
export function diffTags(previous: Tags, wanted: Tags, live: Tags): TagDiff {
  // Own keys only (Object.hasOwn, Object.fromEntries): tag keys such as "constructor" or "__proto__" are ordinary keys.
  const untag = Object.keys(previous)
    .filter((key) => !isReservedTagKey(key) && !Object.hasOwn(wanted, key) && Object.hasOwn(live, key));
  const tag: Tags = Object.fromEntries(Object.entries(wanted)
    .filter(([key, value]) => !isReservedTagKey(key) && !(Object.hasOwn(live, key) && live[key] === value)));
  return { untag, tag };
}

export function sameTags(a: Tags, b: Tags): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

export function toTagList(tags: Tags): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Brings the managed tags of `arn` from `previous` to `wanted`: nothing when they are equal, otherwise at most one
 * UntagResource and one TagResource. No read: `live` is the caller's if it has them for free (an identity's
 * GetEmailIdentity), else `previous` (what CloudFormation last applied) stands for the live tags.
 * UntagResource ignores absent keys, so removing a key someone already removed is harmless; like CloudFormation for
 * native resources, a managed tag whose value did not change in the template is not rewritten (drift is not repaired).
 * A resource deleted outside CloudFormation fails with NotFound from UntagResource or TagResource.
 */
export async function reconcileTags(
  api: EmailApi, arn: string, previous: Tags, wanted: Tags, live: Tags = previous,
): Promise<void> {
  if (sameTags(previous, wanted)) return;
  const diff = diffTags(previous, wanted, live);
  if (diff.untag.length > 0) {
    await api.call('UntagResource', { ResourceArn: arn, TagKeys: diff.untag });
  }
  if (Object.keys(diff.tag).length > 0) {
    await api.call('TagResource', { ResourceArn: arn, Tags: toTagList(diff.tag) });
  }
}
