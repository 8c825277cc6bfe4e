/**
 * The dispatcher in lambda/index.ts: malformed events fail clearly before any API call, the response always fits
 * CloudFormation's 4 KB, it is always sent (even when the work overruns), and the logs never carry the ResponseURL
 * or property values.
 */
import { BadRequestException, CreateConfigurationSetCommand, PinpointEmailClient } from '@aws-sdk/client-pinpoint-email';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, fakeContext, HandlerHarness, Properties, updateEvent } from './harness';
import { MAX_RESPONSE_BYTES } from '../../lambda/cfn-response';
import { handler } from '../../lambda/index';
import { SCHEMA_VERSION } from '../../src/private/contract';

const NAME = 'Demo-MailSet1A2B3C4D';
const CREATE_FAILED = /^cdk-pinpoint-email:create-failed:/;

const pinpoint = mockClient(PinpointEmailClient);
const harness = new HandlerHarness();

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  pinpoint.onAnyCommand().resolves({});
});
afterEach(() => jest.restoreAllMocks());

function setProps(overrides: Properties = {}): Properties {
  return { SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: NAME, ...overrides };
}

function fiftyTags(): Array<{ Key: string; Value: string }> {
  return Array.from({ length: 50 }, (_, i) => ({ Key: `tag-key-${i}`.padEnd(128, 'k'), Value: `value-${i}`.padEnd(256, 'v') }));
}

describe('malformed events fail with a clear message and no API call', () => {
  beforeEach(() => {
    captureLogs();
  });

  const createCases: Array<[string, Properties, RegExp]> = [
    ['a missing name', { SchemaVersion: SCHEMA_VERSION }, /property ConfigurationSetName is required/],
    ['an empty name', setProps({ ConfigurationSetName: '' }), /property ConfigurationSetName is required/],
    ['a boolean that is "yes"', setProps({ ReputationMetricsEnabled: 'yes' }), /property ReputationMetricsEnabled must be "true" or "false"/],
    ['an unknown TlsPolicy', setProps({ TlsPolicy: 'STRICT' }), /property TlsPolicy must be one of REQUIRE, OPTIONAL/],
    ['a missing SchemaVersion', { ConfigurationSetName: NAME }, /property SchemaVersion is required/],
    ['a SchemaVersion from the future', setProps({ SchemaVersion: '99' }), /SchemaVersion 99 is newer than this handler understands/],
    ['Tags that are neither a map nor a list', setProps({ Tags: 'team=mail' }), /property Tags must be a map of strings, or a list of \{Key, Value\} strings/],
    ['a tag without a string key', setProps({ Tags: [{ Value: 'v' }] }), /property Tags must be a map of strings, or a list of \{Key, Value\} strings/],
  ];
  test.each(createCases)('Create with %s', async (_what, properties, message) => {
    const { body } = await harness.run(createEvent(properties));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toMatch(message);
    expect(body.PhysicalResourceId).toMatch(CREATE_FAILED);
    expect(pinpoint.calls()).toHaveLength(0);
  });

  test('an unknown resource type', async () => {
    const { body } = await harness.run(createEvent(setProps(), { resourceType: 'Custom::PinpointEmailSomethingElse' }));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('unknown resource type Custom::PinpointEmailSomethingElse');
    expect(pinpoint.calls()).toHaveLength(0);
  });

  test('an unknown request type', async () => {
    const event = { ...createEvent(setProps()), RequestType: 'Replace' } as unknown as CloudFormationCustomResourceEvent;

    const { body } = await harness.run(event);

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('unknown request type Replace');
    expect(pinpoint.calls()).toHaveLength(0);
  });

  test('an Update whose old properties are malformed reads them leniently: what cannot be read counts as changed', async () => {
    const { body } = await harness.run(updateEvent(NAME, setProps({ SendingEnabled: true }), setProps({ SendingEnabled: 'maybe' })));

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
    expect(pinpoint.calls().map((call) => (call.args[0] as { input: unknown }).input)).toEqual([
      { ConfigurationSetName: NAME, SendingEnabled: true },
    ]);
  });

  test('a Delete of a real set with malformed properties fails rather than guess', async () => {
    const { body } = await harness.run(deleteEvent(NAME, { ConfigurationSetName: NAME }));

    expect(body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: NAME });
    expect(body.Reason).toContain('property SchemaVersion is required');
    expect(pinpoint.calls()).toHaveLength(0);
  });

  test('a function ARN without partition, region or account', async () => {
    const { body } = await harness.run(createEvent(setProps()), fakeContext({ functionArn: 'handler' }));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('cannot read the environment from handler');
    expect(pinpoint.calls()).toHaveLength(0);
  });
});

describe('the response', () => {
  beforeEach(() => {
    captureLogs();
  });

  test('has every field CloudFormation needs, and an empty content-type as pre-signed URLs require', async () => {
    const event = createEvent(setProps(), { requestId: 'req-abc', logicalId: 'MySet' });

    const { body, contentType } = await harness.run(event);

    expect(body).toEqual({
      Status: 'SUCCESS',
      Reason: 'OK',
      PhysicalResourceId: NAME,
      StackId: event.StackId,
      RequestId: 'req-abc',
      LogicalResourceId: 'MySet',
      Data: { ConfigurationSetName: NAME, Arn: `arn:aws:ses:us-east-1:123456789012:configuration-set/${NAME}` },
    });
    expect(contentType ?? '').toBe('');
  });

  test.each([
    ['plain text', 'x'.repeat(10 * 1024)],
    ['quotes, backslashes and newlines', '"quoted" \\ and\nnew lines '.repeat(400)],
    ['multi-byte text', 'é漢😀'.repeat(1200)],
  ])('stays under 4096 bytes with a 10 KB API error message of %s and 50 tags, still naming the resource', async (_what, message) => {
    pinpoint.on(CreateConfigurationSetCommand).rejects(new BadRequestException({ message, $metadata: { httpStatusCode: 400 } }));

    const { body, bytes } = await harness.run(createEvent(setProps({ Tags: fiftyTags() })));

    expect(bytes).toBeLessThan(MAX_RESPONSE_BYTES);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason.startsWith(`Configuration set "${NAME}": `)).toBe(true);
    expect(body.Reason).toContain('BadRequestException: ');
    expect(body.Reason.endsWith('...')).toBe(true);
  });

  test('of a success with 50 tags stays under 4096 bytes and keeps its Data', async () => {
    const { body, bytes } = await harness.run(createEvent(setProps({ Tags: fiftyTags() })));

    expect(bytes).toBeLessThan(MAX_RESPONSE_BYTES);
    expect(body.Status).toBe('SUCCESS');
    expect(body.Data).toEqual({ ConfigurationSetName: NAME, Arn: `arn:aws:ses:us-east-1:123456789012:configuration-set/${NAME}` });
  });

  test('is FAILED shortly before the Lambda deadline when an API call hangs', async () => {
    pinpoint.on(CreateConfigurationSetCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();

    const { body } = await harness.run(createEvent(setProps()), fakeContext({ remainingMs: 5_300 }));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('ran out of time');
    expect(body.PhysicalResourceId).toMatch(CREATE_FAILED);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('the handler', () => {
  test('never throws, even when the ResponseURL cannot be reached', async () => {
    const logs = captureLogs();
    const event = { ...createEvent(setProps()), ResponseURL: 'http://127.0.0.1:1/unreachable' };

    await expect(handler(event, fakeContext())).resolves.toBeUndefined();
    expect(logs.lines().some((line) => line.includes('could not send the response'))).toBe(true);
  });

  test('logs the request and the response without the ResponseURL or any property value', async () => {
    const logs = captureLogs();
    const secret = 'do-not-log-this-value';
    const event = createEvent(setProps({ CustomRedirectDomain: 'private.example.com', Tags: [{ Key: 'token', Value: secret }] }));
    const url = harness.newResponseUrl();

    await handler({ ...event, ResponseURL: url }, fakeContext());

    const text = logs.lines().join('\n');
    expect(text).toContain('"requestType":"Create"');
    expect(text).toContain(`"logicalId":"${event.LogicalResourceId}"`);
    expect(text).toContain('"status":"SUCCESS"');
    expect(text).not.toContain(new URL(url).pathname);
    expect(text).not.toContain('X-Amz-Signature');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('private.example.com');
  });
});
