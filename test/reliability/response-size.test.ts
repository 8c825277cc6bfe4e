/**
 * The response to CloudFormation stays under 4 KB (CloudFormation rejects a larger one, and the stack would then fail
 * with an unhelpful message): with 5 KB API error messages injected into every kind of create and into an update, and
 * with a full set of tags (49 from the user, and the ownership tag).
 */
import { Stack } from 'aws-cdk-lib';
import { reliabilityHarness } from './harness';
import { seedSender, SENDER } from './stacks';
import { OWNER_TAG_KEY } from '../../lambda/ownership';
import { ConfigurationSet, DedicatedIpPool, DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../../src';
import { DriverResult, MAX_RESPONSE_BYTES } from '../support/lifecycle-driver';

const h = reliabilityHarness();

beforeEach(() => seedSender(h.state()));

/** 49 tags of the longest keys and values: the most a user can give (the ownership tag is the 50th). */
const FULL_TAGS = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key-${i}-`.padEnd(128, 'k'), `value-${i}-`.padEnd(256, 'v')]));

const KINDS = [
  {
    label: 'Configuration set "',
    operation: 'CreateConfigurationSet',
    build: (stack: Stack) => new ConfigurationSet(stack, 'Subject', { configurationSetName: 'big', tags: FULL_TAGS }),
    tagsOf: () => h.state().configurationSets.get('big')?.tags,
  },
  {
    label: 'Dedicated IP pool "',
    operation: 'CreateDedicatedIpPool',
    build: (stack: Stack) => new DedicatedIpPool(stack, 'Subject', { dedicatedIpPoolName: 'big', tags: FULL_TAGS }),
    tagsOf: () => h.state().dedicatedIpPools.get('big')?.tags,
  },
  {
    label: 'Email identity "',
    operation: 'CreateEmailIdentity',
    build: (stack: Stack) => new EmailIdentity(stack, 'Subject', {
      identity: Identity.domain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.example.com`), tags: FULL_TAGS,
    }),
    tagsOf: () => [...h.state().emailIdentities.values()].find((i) => i.name.startsWith('aaa'))?.tags,
  },
  {
    label: 'Deliverability test "',
    operation: 'CreateDeliverabilityTestReport',
    build: (stack: Stack) => new DeliverabilityTest(stack, 'Subject', {
      fromEmailAddress: SENDER, reportName: 'r'.repeat(500), content: TestContent.simple({ subject: 'Hi', text: 'Hello' }), tags: FULL_TAGS,
    }),
    tagsOf: () => [...h.state().deliverabilityTestReports.values()][0]?.tags,
  },
];

const MESSAGES = [
  ['plain text', 'x'.repeat(5 * 1024)],
  ['quotes, backslashes and line breaks (escaped in JSON)', '"q" \\ \n'.repeat(700)],
  ['multi-byte text', 'é漢😀'.repeat(600)],
];

function subjectEvents(result: DriverResult) {
  return result.events.filter((e) => e.logicalId.startsWith('Subject'));
}

describe.each(KINDS)('$operation', ({ label, operation, build, tagsOf }) => {
  test.each(MESSAGES)('failing with a 5 KB message of %s: a FAILED response under 4 KB that still names the resource', async (_what, message) => {
    h.service.failNext(operation, 1, 'BadRequestException', message);

    const result = await h.deployApp(build);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const [create] = subjectEvents(result);
    expect(create).toMatchObject({ requestType: 'Create', status: 'FAILED' });
    expect(create.responseBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(create.reason!.startsWith(label)).toBe(true);
    expect(create.reason).toContain(`${operation} failed: BadRequestException: `);
    expect(create.reason!.endsWith('...')).toBe(true);
    for (const event of result.events) expect(event.responseBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('succeeding with 49 tags of the longest keys and values: under 4 KB, with its Data, and 50 tags on the resource', async () => {
    const result = await h.deployApp(build);

    expect(result.status).toBe('CREATE_COMPLETE');
    const [create] = subjectEvents(result);
    expect(create.responseBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(Object.keys(create.data ?? {}).length).toBeGreaterThan(1);
    const tags = tagsOf()!;
    expect(Object.keys(tags)).toHaveLength(50);
    expect(tags[OWNER_TAG_KEY]).toMatch(/^[0-9a-f-]{36}:[0-9a-f]{32} request=[0-9a-f-]{36}( key=[0-9a-f]{16})?$/);
  });
});

test('an update failing with a 5 KB message, and its rollback: every response under 4 KB', async () => {
  expect((await h.deployApp(KINDS[0].build)).status).toBe('CREATE_COMPLETE');
  h.service.failNext('TagResource', 1, 'BadRequestException', 'y'.repeat(5 * 1024));

  const result = await h.deployApp((stack) => new ConfigurationSet(stack, 'Subject', { configurationSetName: 'big', tags: { ...FULL_TAGS, [Object.keys(FULL_TAGS)[0]]: 'changed' } }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(result.failure?.reason).toMatch(/^Configuration set "big": TagResource failed: BadRequestException: y+\.\.\.$/);
  for (const event of result.events) expect(event.responseBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
});
