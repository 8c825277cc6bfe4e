/**
 * The ownership marker (lambda/ownership.ts): the stack's uuid and a stable hash of the stack id and logical id, added
 * to every create call, and recognized only when it is exactly this resource's.
 */
import { createHash } from 'crypto';
import { isOwnedBy, OWNER_TAG_KEY, ownerMarker, stackUuid, withOwner } from '../../lambda/ownership';

const UUID = '0f5c1c20-0000-11ef-8000-0a1b2c3d4e5f';
const STACK = `arn:aws:cloudformation:us-east-1:123456789012:stack/Demo/${UUID}`;

test('the key is cdk-pinpoint-email:owner', () => {
  expect(OWNER_TAG_KEY).toBe('cdk-pinpoint-email:owner');
});

test('the marker is "<stack uuid>:" and the first 32 hex characters of sha256("<StackId>/<LogicalResourceId>")', () => {
  const hash = createHash('sha256').update(`${STACK}/MailSet`).digest('hex').slice(0, 32);
  expect(ownerMarker(STACK, 'MailSet')).toBe(`${UUID}:${hash}`);
});

test('the marker is a valid tag value: at most 256 of the characters the API allows', () => {
  // A nested stack's name is long; its id is still `.../stack/<name>/<uuid>`.
  const nested = `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'N'.repeat(128)}/${UUID}`;
  for (const marker of [ownerMarker(STACK, 'MailSet'), ownerMarker(nested, 'L'.repeat(255))]) {
    expect(marker).toMatch(/^[0-9a-f-]{36}:[0-9a-f]{32}$/);
    expect(marker.length).toBeLessThanOrEqual(256);
    expect(marker).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-]*$/u);
  }
});

test('the stack part is what Fn::Select [2, Fn::Split ["/", StackId]] gives', () => {
  expect(stackUuid(STACK)).toBe(STACK.split('/')[2]);
  expect(stackUuid(STACK)).toBe(UUID);
  expect(ownerMarker(STACK, 'MailSet').startsWith(`${stackUuid(STACK)}:`)).toBe(true);
  expect(stackUuid('not-a-stack-id')).toBe('');
});

test('another logical id or another stack (the same name redeployed gets a new StackId) gives another marker', () => {
  const marker = ownerMarker(STACK, 'MailSet');
  expect(ownerMarker(STACK, 'OtherSet')).not.toBe(marker);
  expect(ownerMarker(STACK.replace('0f5c1c20', '1a6d2d31'), 'MailSet')).not.toBe(marker);
  // Resources of one stack share the stack part, which is what the handler's policy matches.
  expect(ownerMarker(STACK, 'OtherSet').split(':')[0]).toBe(marker.split(':')[0]);
  expect(ownerMarker(STACK.replace('0f5c1c20', '1a6d2d31'), 'MailSet').split(':')[0]).not.toBe(marker.split(':')[0]);
});

test('withOwner adds the marker and overrides a user key of the same name', () => {
  expect(withOwner({ team: 'mail' }, 'm')).toEqual({ 'team': 'mail', 'cdk-pinpoint-email:owner': 'm' });
  expect(withOwner({ 'cdk-pinpoint-email:owner': 'forged' }, 'm')).toEqual({ 'cdk-pinpoint-email:owner': 'm' });
});

test('isOwnedBy needs the exact key and value', () => {
  expect(isOwnedBy([{ Key: 'team', Value: 'x' }, { Key: OWNER_TAG_KEY, Value: 'm' }], 'm')).toBe(true);
  expect(isOwnedBy([{ Key: OWNER_TAG_KEY, Value: 'other' }], 'm')).toBe(false);
  expect(isOwnedBy([{ Key: 'CDK-Pinpoint-Email:Owner', Value: 'm' }], 'm')).toBe(false);
  expect(isOwnedBy([], 'm')).toBe(false);
  expect(isOwnedBy(undefined, 'm')).toBe(false);
});
