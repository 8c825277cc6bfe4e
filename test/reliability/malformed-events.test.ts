/**
 * Malformed events sent straight to the bundled handler (as a broken template, a hand-made event or a future schema
 * could produce them) fail cleanly: one FAILED response with a message that says what is wrong, the physical id kept
 * (or the create-failed marker for a Create), and no API call at all.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createEvent, deleteEvent, reliabilityHarness, snapshot, updateEvent } from './harness';
import { ResourceTypes, SCHEMA_VERSION } from '../../src/private/contract';

const h = reliabilityHarness();

const SET = ResourceTypes.CONFIGURATION_SET;
const VALID_SET = { SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: 'malformed-set' };
const FUTURE_VERSION = String(Number(SCHEMA_VERSION) + 1);

type Mutator = (event: Record<string, unknown>) => void;

/** A malformed Create, Update and Delete of each case: the valid event, then `mutate` applied to it. */
const CASES: Array<[string, string, Mutator, RegExp]> = [
  ['missing properties', SET, (e) => delete e.ResourceProperties, /ResourceProperties must be an object/],
  ['properties that are a string', SET, (e) => (e.ResourceProperties = 'ConfigurationSetName=x'), /ResourceProperties must be an object/],
  ['properties that are a list', SET, (e) => (e.ResourceProperties = [VALID_SET]), /ResourceProperties must be an object/],
  ['properties that are null', SET, (e) => (e.ResourceProperties = null), /ResourceProperties must be an object/],
  ['no SchemaVersion', SET, (e) => delete props(e).SchemaVersion, /property SchemaVersion is required/],
  ['a SchemaVersion from the future', SET, (e) => (props(e).SchemaVersion = FUTURE_VERSION),
    new RegExp(`SchemaVersion ${FUTURE_VERSION} is newer than this handler understands \\(1, 2\\)`)],
  ['no name', SET, (e) => delete props(e).ConfigurationSetName, /property ConfigurationSetName is required/],
  ['an empty name', SET, (e) => (props(e).ConfigurationSetName = ''), /property ConfigurationSetName is required/],
  ['a name that is a number', SET, (e) => (props(e).ConfigurationSetName = 42), /property ConfigurationSetName must be a string/],
  ['a name that is an object', SET, (e) => (props(e).ConfigurationSetName = { Ref: 'X' }), /property ConfigurationSetName must be a string/],
  ['a boolean that is neither true nor false', SET, (e) => (props(e).SendingEnabled = 'yes'), /property SendingEnabled must be "true" or "false"/],
  ['an unknown enum value', SET, (e) => (props(e).TlsPolicy = 'NEVER'), /property TlsPolicy must be one of REQUIRE, OPTIONAL/],
  ['tags that are a string', SET, (e) => (props(e).Tags = 'team=mail'), /property Tags must be a map of strings, or a list of \{Key, Value\} strings/],
  ['a tag whose value is a number', SET, (e) => (props(e).Tags = [{ Key: 'n', Value: 1 }]), /property Tags must be a map of strings, or a list of \{Key, Value\} strings/],
  ['a map of tags with a value that is a number', SET, (e) => (props(e).Tags = { n: 1 }), /property Tags must be a map of strings, or a list of \{Key, Value\} strings/],
  ['a tag that is a string', SET, (e) => (props(e).Tags = ['team=mail']), /each tag must be an object/],
  ['a pool without its name', ResourceTypes.DEDICATED_IP_POOL, (e) => (e.ResourceProperties = { SchemaVersion: '1', Name: 'x' }), /property PoolName is required/],
  ['an identity that is a list', ResourceTypes.EMAIL_IDENTITY, (e) => (e.ResourceProperties = { SchemaVersion: '1', EmailIdentity: ['a.example.com'] }), /property EmailIdentity must be a string/],
  ['a test whose content is a string', ResourceTypes.DELIVERABILITY_TEST,
    (e) => (e.ResourceProperties = { SchemaVersion: '1', FromEmailAddress: 'a@example.com', Content: 'Hello' }), /property Content must be an object/],
  ['a test with both simple and raw content', ResourceTypes.DELIVERABILITY_TEST,
    (e) => (e.ResourceProperties = { SchemaVersion: '1', FromEmailAddress: 'a@example.com', Content: { Raw: 'x', Simple: { Subject: 's', Text: 't' } } }),
    /property Content must have exactly one of Simple, Raw and Template/],
  ['an unknown resource type', 'Custom::PinpointEmailTemplate', () => undefined, /unknown resource type Custom::PinpointEmailTemplate/],
  ['another service\'s resource type', 'AWS::S3::Bucket', () => undefined, /unknown resource type AWS::S3::Bucket/],
  ['no resource type', SET, (e) => delete e.ResourceType, /unknown resource type undefined/],
];

function props(event: Record<string, unknown>): Record<string, unknown> {
  return event.ResourceProperties as Record<string, unknown>;
}

/** Valid events of the three request types, each then broken by `mutate`. */
function events(resourceType: string, mutate: Mutator): CloudFormationCustomResourceEvent[] {
  const made = [
    createEvent(resourceType, VALID_SET, { logicalId: 'Malformed' }),
    updateEvent(resourceType, 'malformed-set', { ...VALID_SET, ReputationMetricsEnabled: 'true' }, VALID_SET, { logicalId: 'Malformed' }),
    deleteEvent(resourceType, 'malformed-set', VALID_SET, { logicalId: 'Malformed' }),
  ];
  for (const event of made) mutate(event as unknown as Record<string, unknown>);
  return made;
}

beforeEach(() => {
  // A set of the event's name exists, so that an API call would have something to act on.
  h.state().addConfigurationSet('malformed-set');
});

test.each(CASES)('%s: Create, Update and Delete fail with the reason, keep the physical id, and call nothing', async (_what, type, mutate, reason) => {
  const before = snapshot(h.state());
  for (const event of events(type, mutate)) {
    const result = await h.invoke(event);

    expect(result.responses).toBe(1);
    expect(result.body.Status).toBe('FAILED');
    expect(result.body.Reason).toMatch(reason);
    expect(result.body.Reason).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.body.PhysicalResourceId).toBe(event.RequestType === 'Create'
      ? `cdk-pinpoint-email:create-failed:${event.RequestId}` : 'malformed-set');
    expect(result.calls).toEqual([]);
  }
  expect(snapshot(h.state())).toEqual(before);
});

test('an Update whose old properties are malformed reads them leniently: the unreadable name counts as changed, and the update succeeds', async () => {
  h.state().addConfigurationSet('malformed-set');
  const event = updateEvent(SET, 'malformed-set', VALID_SET, VALID_SET);
  (event as { OldResourceProperties: Record<string, unknown> }).OldResourceProperties.ConfigurationSetName = 7;

  const result = await h.invoke(event);

  expect(result.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'malformed-set' });
  expect(result.logs.join('\n')).toContain('reading the old properties leniently');
});

test.each([
  ['an unknown request type', 'Upsert', /unknown request type Upsert/],
  ['no request type', undefined, /unknown request type undefined/],
])('%s fails without a call', async (_what, requestType, reason) => {
  const event = { ...createEvent(SET, VALID_SET), RequestType: requestType } as unknown as CloudFormationCustomResourceEvent;

  const result = await h.invoke(event);

  expect(result.body.Status).toBe('FAILED');
  expect(result.body.Reason).toMatch(reason);
  expect(result.calls).toEqual([]);
});
