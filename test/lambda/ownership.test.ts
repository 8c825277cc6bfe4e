/**
 * The ownership marker (lambda/ownership.ts): a stable hash of the stack id and logical id, added to every create call,
 * and recognized only when it is exactly this resource's.
 */
import { createHash } from 'crypto';
import { isOwnedBy, OWNER_TAG_KEY, ownerMarker, withOwner } from '../../lambda/ownership';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Demo/0f5c1c20-0000-11ef-8000-0a1b2c3d4e5f';

test('the key is cdk-pinpoint-email:owner', () => {
  expect(OWNER_TAG_KEY).toBe('cdk-pinpoint-email:owner');
});

test('the marker is the first 32 hex characters of sha256("<StackId>/<LogicalResourceId>")', () => {
  const expected = createHash('sha256').update(`${STACK}/MailSet`).digest('hex').slice(0, 32);
  expect(ownerMarker(STACK, 'MailSet')).toBe(expected);
  expect(ownerMarker(STACK, 'MailSet')).toMatch(/^[0-9a-f]{32}$/);
});

test('another logical id or another stack (the same name redeployed gets a new StackId) gives another marker', () => {
  const marker = ownerMarker(STACK, 'MailSet');
  expect(ownerMarker(STACK, 'OtherSet')).not.toBe(marker);
  expect(ownerMarker(STACK.replace('0f5c1c20', '1a6d2d31'), 'MailSet')).not.toBe(marker);
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
