// Documented constraints that the model does not carry (API-REFERENCE section 7): tags, names, identities, ARNs.
// Every violation is a 400 BadRequestException (declared by all operations).
import { badRequest } from './errors';
import { SERVICE } from './model.generated';

export interface Tag { Key: string; Value: string }

export const MAX_TAGS = 50;
// AWS-wide tag convention given in API-REFERENCE section 7 (the docs' list of characters plus '@').
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** The model's Tag documentation reserves `aws:` in keys and values; matched case-insensitively as elsewhere in AWS. */
export const isReservedTagText = (s: string): boolean => s.toLowerCase().startsWith('aws:');

export function checkTagKey(key: string): void {
  if (!TAG_KEY.test(key)) throw badRequest(`Invalid tag key ${JSON.stringify(key)}: 1-128 Unicode letters, digits, white space or _ . : / = + - @.`);
}

/** Validates the tags of one request: syntax, no reserved prefix, no key twice. */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    checkTagKey(Key);
    if (!TAG_VALUE.test(Value)) {
      throw badRequest(`Invalid value for tag ${JSON.stringify(Key)}: 0-256 Unicode letters, digits, white space or _ . : / = + - @.`);
    }
    if (isReservedTagText(Key) || isReservedTagText(Value)) {
      throw badRequest(`Tag ${JSON.stringify(Key)}: the aws: prefix is reserved for AWS and cannot be used in tag keys or values.`);
    }
    if (seen.has(Key)) throw badRequest(`Duplicate tag key ${JSON.stringify(Key)} in the request.`);
    seen.add(Key);
  }
}

/** At most 50 tags per resource; `aws:` tags (only ever seeded) do not count, as documented. */
export function checkTagCount(tags: Record<string, string>): void {
  const n = Object.keys(tags).filter((k) => !isReservedTagText(k)).length;
  if (n > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags; this request would leave ${n}.`);
}

export function checkName(kind: string, name: string, pattern: RegExp, rule: string): void {
  if (!pattern.test(name)) throw badRequest(`Invalid ${kind} ${JSON.stringify(name)}: ${rule}.`);
}
export const CONFIGURATION_SET_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const EVENT_DESTINATION_NAME = /^[a-zA-Z0-9_-]{1,64}$/; // SES documents the same rule for event destination names
export const POOL_NAME = /^[a-z0-9_-]{1,64}$/;
export const MANAGED_POOLS = ['ses-default-dedicated-pool', 'ses-shared-pool'];

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`);
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export const isDomain = (s: string): boolean => DOMAIN.test(s);
export function isEmailAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  const local = s.slice(0, at);
  return at > 0 && local.length <= 64 && LOCAL_PART.test(local) && isDomain(s.slice(at + 1));
}
/** `a@b.com` or `Display Name <a@b.com>` -> the address, or undefined. */
export function addressOf(from: string): string | undefined {
  const m = /^[^<>]*<([^<>]+)>\s*$/.exec(from);
  const address = (m ? m[1] : from).trim();
  return isEmailAddress(address) ? address : undefined;
}
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

export type ResourceType = 'configuration-set' | 'dedicated-ip-pool' | 'identity' | 'deliverability-test-report';
const RESOURCE_TYPES: readonly string[] = ['configuration-set', 'dedicated-ip-pool', 'identity', 'deliverability-test-report'];

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

export function arnOf(region: string, accountId: string, type: ResourceType, name: string): string {
  return `arn:${partitionOf(region)}:${SERVICE.arnNamespace}:${region}:${accountId}:${type}/${name}`;
}

/** `arn:<partition>:ses:<region>:<account>:<type>/<name>`, for the caller's partition, region and account. */
export function parseArn(arn: string, region: string, accountId: string): { type: ResourceType; name: string } {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):([^/]+)\/(.+)$/.exec(arn);
  if (!m) throw badRequest(`Invalid ARN ${JSON.stringify(arn)}: expected arn:<partition>:ses:<region>:<account>:<resource-type>/<name>.`);
  const [, partition, service, arnRegion, arnAccount, type, name] = m;
  const expect = (what: string, got: string, want: string): void => {
    if (got !== want) throw badRequest(`Invalid ARN ${JSON.stringify(arn)}: ${what} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}.`);
  };
  expect('the partition', partition, partitionOf(region));
  expect('the service', service, SERVICE.arnNamespace);
  expect('the region (it must be the region of the request)', arnRegion, region);
  expect('the account (it must be the caller\'s account)', arnAccount, accountId);
  if (!RESOURCE_TYPES.includes(type)) {
    throw badRequest(`Invalid ARN ${JSON.stringify(arn)}: resource type ${JSON.stringify(type)} is not one of ${RESOURCE_TYPES.join(', ')}.`);
  }
  return { type: type as ResourceType, name };
}
