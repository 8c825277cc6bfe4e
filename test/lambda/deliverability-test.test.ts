import { Readable } from 'stream';
import {
  CreateDeliverabilityTestReportCommand,
  GetDeliverabilityDashboardOptionsCommand,
  GetEmailIdentityCommand,
  ListDeliverabilityTestReportsCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PinpointEmailClient,
  PinpointEmailClientConfig,
  UntagResourceCommand,
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, fakeContext, FOREIGN_OWNER_TAG, HandlerHarness, OWNER_TAG, Properties, updateEvent } from './harness';
import { emailApiOver } from '../../lambda/email-api';
import { deliverabilityTestHandler } from '../../lambda/resources/deliverability-test';
import { markerValue, parseMarker, reportKey } from '../../lambda/resources/report-marker';
import { ResourceTypes } from '../../src/private/contract';

const pinpoint = mockClient(PinpointEmailClient);
const harness = new HandlerHarness();
const TYPE = { resourceType: ResourceTypes.DELIVERABILITY_TEST };
const REPORTS = 'arn:aws:ses:us-east-1:123456789012:deliverability-test-report';

const SENDER = 'test@example.com';
const SIMPLE: Properties = {
  SchemaVersion: '1',
  FromEmailAddress: SENDER,
  ReportName: 'launch',
  Content: { Simple: { Subject: 'Hello', Text: 'Hi there', Html: '<p>Hi there</p>', Charset: 'UTF-8' } },
  Tags: [{ Key: 'team', Value: 'mail' }],
};
const MIME = 'From: test@example.com\r\nTo: seed@example.net\r\nSubject: Hello\r\n\r\nHi there\r\n';
const RAW: Properties = { SchemaVersion: '1', FromEmailAddress: SENDER, Content: { Raw: MIME } };

const LABEL = `Deliverability test "launch" from ${SENDER}`;
const DASHBOARD_OFF = `${LABEL}: the Deliverability dashboard is not enabled in account 123456789012, region us-east-1, ` +
  'and predictive inbox placement tests need it. Enable it (the DeliverabilityDashboard construct of this library, ' +
  'the Amazon Pinpoint console, or PutDeliverabilityDashboardOption with DashboardEnabled true), then deploy again. ' +
  'Note that the Deliverability dashboard is a paid subscription: "When you use the Deliverability dashboard, you pay a ' +
  'monthly subscription charge, in addition to any other fees that you accrue by using Amazon Pinpoint" ' +
  '(see https://aws.amazon.com/pinpoint/pricing/). (CreateDeliverabilityTestReport answered BadRequestException: dashboard off)';
const NO_IDENTITY = `${LABEL}: the sender test@example.com is not a verified identity: neither test@example.com nor ` +
  'example.com is an email identity in account 123456789012, region us-east-1. Create one (the EmailIdentity construct ' +
  'of this library, or CreateEmailIdentity) and verify it, then deploy again: for the domain example.com, publish its ' +
  'DKIM CNAME records; for the address test@example.com, open the link in the verification email. ' +
  '(CreateDeliverabilityTestReport answered NotFoundException: no sender)';
const NOT_VERIFIED = `${LABEL}: the sender test@example.com is not a verified identity: example.com is an email identity ` +
  'in account 123456789012, region us-east-1 but not verified for sending (VerifiedForSendingStatus false). Complete ' +
  'the verification, then deploy again: for the domain example.com, publish its DKIM CNAME records; for the address ' +
  'test@example.com, open the link in the verification email. With an EmailIdentity of the same stack, ' +
  'identity.waitForVerification() makes the deployment wait for it. ' +
  '(CreateDeliverabilityTestReport answered MailFromDomainNotVerifiedException: not verified)';

const notFound = (name: string) => new NotFoundException({ message: `${name} does not exist`, $metadata: {} });
/** A deliverability test reads no secret. */
const NO_SECRETS = { read: () => Promise.reject(new Error('a deliverability test reads no secret')) };
const NO_STACK = {
  isRollingBack: () => Promise.reject(new Error('a deliverability test reads no stack status')),
  resources: () => Promise.reject(new Error('a deliverability test reads no stack resources')),
};
const apiError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

/** Every call the handler made, in order: [operation, input]. */
function calls(): Array<[string, unknown]> {
  return pinpoint.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ''), command.input];
  });
}

function operations(): string[] {
  return calls().map(([operation]) => operation);
}

/** The content key of a report of these properties, as the handler computes it. */
function keyOf(properties: Properties): string {
  const props = deliverabilityTestHandler.decode(properties);
  return reportKey([props.fromEmailAddress, props.reportName ?? null, props.content.raw ?? null, props.content.simple ?? null]);
}

/** The ownership tag a report created by `requestId` carries, replacing `replaces` when given. */
function markerTag(requestId: string, properties: Properties, replaces?: { reportId: string; key: string }) {
  return { Key: OWNER_TAG.Key, Value: markerValue({ owner: OWNER_TAG.Value, request: requestId, key: keyOf(properties), replaces }) };
}

/** A report as ListDeliverabilityTestReports lists it: by default one of SIMPLE, created a minute ago. */
function listed(overrides: Record<string, unknown> = {}) {
  return {
    ReportId: 'report-0',
    ReportName: 'launch',
    Subject: 'Hello',
    FromEmailAddress: SENDER,
    CreateDate: new Date(Date.now() - 60_000),
    DeliverabilityTestStatus: 'IN_PROGRESS' as const,
    ...overrides,
  };
}

/**
 * An account where CreateDeliverabilityTestReport succeeds (or fails with `createFails`), with `identities`
 * (name -> VerifiedForSendingStatus; others don't exist), the dashboard on unless told, `reports` listed and each
 * report's tags in `tags`.
 */
function givenAccount(options: {
  dashboard?: boolean;
  identities?: Record<string, boolean>;
  reportId?: string;
  reports?: Array<ReturnType<typeof listed>>;
  createFails?: Error;
  tags?: Record<string, Array<{ Key: string; Value: string }>>;
} = {}): void {
  pinpoint.on(GetDeliverabilityDashboardOptionsCommand).resolves({ DashboardEnabled: options.dashboard ?? true, AccountStatus: options.dashboard === false ? 'DISABLED' : 'ACTIVE' });
  pinpoint.on(ListDeliverabilityTestReportsCommand).resolves({ DeliverabilityTestReports: options.reports ?? [] });
  pinpoint.on(GetEmailIdentityCommand).callsFake((input: { EmailIdentity: string }) => {
    const verified = (options.identities ?? { [SENDER]: true })[input.EmailIdentity];
    if (verified === undefined) throw notFound(input.EmailIdentity);
    return { IdentityType: input.EmailIdentity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN', VerifiedForSendingStatus: verified };
  });
  pinpoint.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => {
    const tags = options.tags?.[input.ResourceArn.slice(REPORTS.length + 1)];
    if (tags === undefined) throw notFound(input.ResourceArn);
    return { Tags: tags };
  });
  if (options.createFails) pinpoint.on(CreateDeliverabilityTestReportCommand).rejects(options.createFails);
  else pinpoint.on(CreateDeliverabilityTestReportCommand).resolves({ ReportId: options.reportId ?? 'report-1', DeliverabilityTestStatus: 'IN_PROGRESS' });
}

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  captureLogs();
});

describe('create', () => {
  test('is one CreateDeliverabilityTestReport with the simple content, the tags and the marker of this request', async () => {
    givenAccount();
    const event = createEvent(SIMPLE, TYPE);
    const response = await harness.run(event);

    expect(calls()).toEqual([
      ['CreateDeliverabilityTestReport', {
        ReportName: 'launch',
        FromEmailAddress: SENDER,
        Content: {
          Simple: {
            Subject: { Data: 'Hello', Charset: 'UTF-8' },
            Body: { Text: { Data: 'Hi there', Charset: 'UTF-8' }, Html: { Data: '<p>Hi there</p>', Charset: 'UTF-8' } },
          },
        },
        Tags: [{ Key: 'team', Value: 'mail' }, markerTag(event.RequestId, SIMPLE)],
      }],
    ]);
    expect(markerTag(event.RequestId, SIMPLE).Value).toBe(`${OWNER_TAG.Value} request=${event.RequestId} key=${keyOf(SIMPLE)}`);
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'report-1',
      Data: { ReportId: 'report-1', Arn: `${REPORTS}/report-1`, DeliverabilityTestStatus: 'IN_PROGRESS' },
    });
  });

  test('sends raw content as the bytes of the MIME text, and keeps non-ASCII raw text as UTF-8 bytes', async () => {
    givenAccount();
    const mime = 'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße\r\n';
    const event = createEvent({ ...RAW, Content: { Raw: mime } }, TYPE);
    await harness.run(event);

    const input = pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)[0].args[0].input;
    expect(input.Tags).toEqual([markerTag(event.RequestId, { ...RAW, Content: { Raw: mime } })]);
    expect(Buffer.from(input.Content!.Raw!.Data!).toString('utf8')).toBe(mime);
    expect(operations()).toEqual(['CreateDeliverabilityTestReport']);
  });

  test('the same request delivered again to this Lambda environment gets the same answer without a call', async () => {
    givenAccount();
    const event = createEvent(SIMPLE, TYPE);
    const first = await harness.run(event);
    pinpoint.resetHistory();
    const second = await harness.run(event);

    expect(pinpoint.calls()).toHaveLength(0);
    expect(second.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.body.PhysicalResourceId, Data: first.body.Data });
  });
});

describe('a failed create is explained afterwards, by reading the dashboard, then the sender', () => {
  test('the dashboard is off: says so, that it is a paid subscription, and what the API answered', async () => {
    givenAccount({ dashboard: false, createFails: apiError('BadRequestException', 'dashboard off') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(operations()).toEqual(['CreateDeliverabilityTestReport', 'GetDeliverabilityDashboardOptions']);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(DASHBOARD_OFF);
    expect(response.body.PhysicalResourceId).toMatch(/^cdk-pinpoint-email:create-failed:/);
  });

  test('the dashboard is PENDING_EXPIRATION: says it is being disabled', async () => {
    givenAccount({ createFails: apiError('BadRequestException', 'dashboard off') });
    pinpoint.on(GetDeliverabilityDashboardOptionsCommand).resolves({ DashboardEnabled: true, AccountStatus: 'PENDING_EXPIRATION' });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Reason).toContain('the Deliverability dashboard is being disabled (PENDING_EXPIRATION) in account 123456789012');
  });

  test('neither the address nor its domain is an identity', async () => {
    givenAccount({ identities: {}, createFails: apiError('NotFoundException', 'no sender') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls()).toEqual([
      ['CreateDeliverabilityTestReport', expect.anything()],
      ['GetDeliverabilityDashboardOptions', {}],
      ['GetEmailIdentity', { EmailIdentity: SENDER }],
      ['GetEmailIdentity', { EmailIdentity: 'example.com' }],
    ]);
    expect(response.body.Reason).toBe(NO_IDENTITY);
  });

  test('the only identity is not verified for sending: says so, and how to wait for it', async () => {
    givenAccount({ identities: { 'example.com': false }, createFails: apiError('MailFromDomainNotVerifiedException', 'not verified') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Reason).toBe(NOT_VERIFIED);
  });

  test('an address identity and its domain both unverified are both named', async () => {
    givenAccount({ identities: { [SENDER]: false, 'example.com': false }, createFails: apiError('MailFromDomainNotVerifiedException', 'x') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Reason).toContain(': test@example.com and example.com are email identities in account 123456789012');
  });

  test('when the dashboard and the sender are fine, the API\'s own error is reported as it is', async () => {
    givenAccount({ createFails: apiError('BadRequestException', 'Content.Raw.Data must contain a header and a body') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Reason).toBe(`${LABEL}: failed: BadRequestException: Content.Raw.Data must contain a header and a body`);
  });

  test('when the reads fail too (no permission), the API\'s error of the create is reported', async () => {
    givenAccount({ createFails: apiError('BadRequestException', 'dashboard off') });
    pinpoint.on(GetDeliverabilityDashboardOptionsCommand).rejects(apiError('AccessDeniedException', 'denied'));
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Reason).toBe(`${LABEL}: failed: BadRequestException: dashboard off`);
  });

  test('an error no precondition explains (sending paused) is reported without any read', async () => {
    givenAccount({ createFails: apiError('SendingPausedException', 'Email sending is paused') });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(operations()).toEqual(['CreateDeliverabilityTestReport']);
    expect(response.body.Reason).toBe(`${LABEL}: failed: SendingPausedException: Email sending is paused`);
  });

  test.each([
    ['both Simple and Raw', { Simple: { Subject: 's', Text: 't' }, Raw: MIME }, 'property Content must have exactly one of Simple, Raw and Template'],
    ['neither Simple nor Raw', {}, 'property Content must have exactly one of Simple, Raw and Template'],
    ['a simple message without a body', { Simple: { Subject: 's' } }, 'property Content.Simple must have Text, Html or both'],
    ['a simple message without a subject', { Simple: { Text: 't' } }, 'property Subject is required'],
    ['an empty raw message', { Raw: '' }, 'property Content.Raw must be a non-empty string'],
  ])('rejects %s before any call', async (_name, content, message) => {
    const response = await harness.run(createEvent({ ...RAW, Content: content }, TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(`${ResourceTypes.DELIVERABILITY_TEST} ${'MailSet1A2B3C4D'}: ${message}`);
  });
});

describe('a create that runs long after CloudFormation issued it may be a retry: it looks for the report of its request', () => {
  const LATE = 2 * 60_000;

  test('reuses the report an earlier attempt of this request created, confirmed by the marker naming the request', async () => {
    const event = createEvent(SIMPLE, TYPE);
    givenAccount({ reports: [listed({ ReportId: 'mine' })], tags: { mine: [{ Key: 'team', Value: 'mail' }, markerTag(event.RequestId, SIMPLE)] } });

    const response = await harness.run(event, fakeContext(), LATE);

    expect(calls()).toEqual([
      ['ListDeliverabilityTestReports', { PageSize: 1000 }],
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/mine` }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'mine', Data: { DeliverabilityTestStatus: 'IN_PROGRESS' } });
  });

  test('a raw message is matched by its Subject header; every page is read', async () => {
    const event = createEvent(RAW, TYPE);
    givenAccount({ tags: { mine: [markerTag(event.RequestId, RAW)] } });
    pinpoint.on(ListDeliverabilityTestReportsCommand)
      .resolvesOnce({ DeliverabilityTestReports: [listed({ ReportId: 'other', FromEmailAddress: 'x@example.com' })], NextToken: 'page-2' })
      .resolvesOnce({ DeliverabilityTestReports: [listed({ ReportId: 'mine', ReportName: undefined })] });

    const response = await harness.run(event, fakeContext(), LATE);

    expect(pinpoint.commandCalls(ListDeliverabilityTestReportsCommand).map((call) => call.args[0].input))
      .toEqual([{ PageSize: 1000 }, { PageSize: 1000, NextToken: 'page-2' }]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'mine' });
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
  });

  test.each([
    ['another sender', { FromEmailAddress: 'other@example.com' }],
    ['another name', { ReportName: 'launch-2' }],
    ['another subject', { Subject: 'Hello again' }],
    ['a date long before the request was issued', { CreateDate: new Date(Date.now() - 60 * 60_000) }],
  ])('a report with %s is not a candidate: no tag read, and a new report is created', async (_what, overrides) => {
    givenAccount({ reports: [listed(overrides)] });

    const response = await harness.run(createEvent(SIMPLE, TYPE), fakeContext(), LATE);

    expect(pinpoint.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });

  test.each([
    ['no ownership tag', []],
    ['another stack\'s ownership tag', [FOREIGN_OWNER_TAG]],
    ['this resource\'s marker of another request', [markerTag('another-request', SIMPLE)]],
  ])('a matching report with %s is not this request\'s: left alone, and a new report is created', async (_what, tags) => {
    givenAccount({ reports: [listed({ ReportId: 'theirs' })], tags: { theirs: tags } });

    const response = await harness.run(createEvent(SIMPLE, TYPE), fakeContext(), LATE);

    expect(operations()).toEqual(['ListDeliverabilityTestReports', 'ListTagsForResource', 'CreateDeliverabilityTestReport']);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });
});

describe('update', () => {
  const TEXT_CHANGED = { ...SIMPLE, Content: { Simple: { Subject: 'Hello', Text: 'Hi again', Charset: 'UTF-8' } } };

  test('a tag-only change keeps the report and reconciles its tags in place, without reading them', async () => {
    const oldProps = { ...SIMPLE, Tags: [{ Key: 'team', Value: 'mail' }, { Key: 'owner', Value: 'alice' }] };
    const newProps = { ...SIMPLE, Tags: [{ Key: 'team', Value: 'ops' }] };
    const response = await harness.run(updateEvent('report-1', newProps, oldProps, TYPE));

    expect(calls()).toEqual([
      ['UntagResource', { ResourceArn: `${REPORTS}/report-1`, TagKeys: ['owner'] }],
      ['TagResource', { ResourceArn: `${REPORTS}/report-1`, Tags: [{ Key: 'team', Value: 'ops' }] }],
    ]);
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'report-1',
      Data: { ReportId: 'report-1', Arn: `${REPORTS}/report-1`, DeliverabilityTestStatus: 'IN_PROGRESS' },
    });
  });

  test('an update that changes nothing of the report or its tags makes no call', async () => {
    const response = await harness.run(updateEvent('report-1', { ...SIMPLE, SchemaVersion: '1' }, SIMPLE, TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });

  test.each([
    ['the content', { Content: { Simple: { Subject: 'Hello again', Text: 'Hi there', Html: '<p>Hi there</p>', Charset: 'UTF-8' } } }],
    ['the content kind', { Content: { Raw: MIME } }],
    ['the charset', { Content: { Simple: { Subject: 'Hello', Text: 'Hi there', Html: '<p>Hi there</p>' } } }],
    ['the sender', { FromEmailAddress: 'other@example.com' }],
    ['the report name', { ReportName: 'launch-2' }],
  ])('a change of %s creates a new report, marked with the report it replaces and that report\'s content key', async (_what, change) => {
    givenAccount({ reportId: 'report-2', tags: { 'report-1': [markerTag('create', SIMPLE)] } });
    const event = updateEvent('report-1', { ...SIMPLE, ...change }, SIMPLE, TYPE);
    const response = await harness.run(event);

    expect(operations()).toEqual(['ListTagsForResource', 'CreateDeliverabilityTestReport']);
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)[0].args[0].input).toMatchObject({
      Tags: [{ Key: 'team', Value: 'mail' }, markerTag(event.RequestId, { ...SIMPLE, ...change }, { reportId: 'report-1', key: keyOf(SIMPLE) })],
    });
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-2', Data: { ReportId: 'report-2' } });
  });

  test('the rollback of a replacement returns the report it replaced, whatever its age, without creating one', async () => {
    givenAccount({
      reportId: 'report-3',
      tags: {
        'report-2': [markerTag('update', TEXT_CHANGED, { reportId: 'report-1', key: keyOf(SIMPLE) })],
        'report-1': [markerTag('create', SIMPLE)],
      },
    });
    // The rollback: the new report's id, the old properties as the wanted ones.
    const response = await harness.run(updateEvent('report-2', SIMPLE, TEXT_CHANGED, TYPE));

    expect(calls()).toEqual([
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/report-2` }],
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/report-1` }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1', Data: { ReportId: 'report-1' } });
  });

  test('an update back to the content of a report that was already released (its Delete removed the marker) makes a new report', async () => {
    givenAccount({
      reportId: 'report-3',
      tags: { 'report-2': [markerTag('update', TEXT_CHANGED, { reportId: 'report-1', key: keyOf(SIMPLE) })], 'report-1': [] },
    });
    const response = await harness.run(updateEvent('report-2', SIMPLE, TEXT_CHANGED, TYPE));

    expect(operations()).toEqual(['ListTagsForResource', 'ListTagsForResource', 'CreateDeliverabilityTestReport']);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-3' });
  });

  test('old properties that cannot be read are compared through the report\'s own content key: same report, tags put back', async () => {
    givenAccount({ tags: { 'report-1': [markerTag('create', SIMPLE)] } });
    const response = await harness.run(updateEvent('report-1', SIMPLE, { ...SIMPLE, SchemaVersion: '2', Content: { Fancy: true } }, TYPE));

    expect(calls()).toEqual([
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/report-1` }],
      ['TagResource', { ResourceArn: `${REPORTS}/report-1`, Tags: [{ Key: 'team', Value: 'mail' }] }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });

  test('a replacement explains a failed create like a create', async () => {
    givenAccount({ dashboard: false, createFails: apiError('BadRequestException', 'dashboard off'), tags: { 'report-1': [] } });
    const response = await harness.run(updateEvent('report-1', { ...SIMPLE, ReportName: 'launch-2' }, SIMPLE, TYPE));

    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toContain('the Deliverability dashboard is not enabled');
    expect(response.body.PhysicalResourceId).toBe('report-1');
  });
});

describe('delete', () => {
  test('keeps the report (no API deletes one) and removes its ownership marker, so it is no longer this resource\'s', async () => {
    const logs = captureLogs();
    givenAccount({ tags: { 'report-1': [markerTag('create', SIMPLE)] } });
    const response = await harness.run(deleteEvent('report-1', SIMPLE, TYPE));

    expect(calls()).toEqual([
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/report-1` }],
      ['UntagResource', { ResourceArn: `${REPORTS}/report-1`, TagKeys: [OWNER_TAG.Key] }],
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
    expect(logs.lines().some((line) => line.includes('deliverability test report kept'))).toBe(true);
  });

  test('of a report that is not this resource\'s only reads it', async () => {
    givenAccount({ tags: { 'report-1': [FOREIGN_OWNER_TAG] } });
    const response = await harness.run(deleteEvent('report-1', SIMPLE, TYPE));
    expect(operations()).toEqual(['ListTagsForResource']);
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('of a report that no longer exists succeeds', async () => {
    givenAccount({ tags: { 'report-1': [markerTag('create', SIMPLE)] } });
    pinpoint.on(UntagResourceCommand).rejects(notFound('report-1'));
    const response = await harness.run(deleteEvent('report-1', SIMPLE, TYPE));
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('of a failed create makes no call', async () => {
    const response = await harness.run(deleteEvent('cdk-pinpoint-email:create-failed:request-9', SIMPLE, TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('owns any id the service could have generated', () => {
    const props = deliverabilityTestHandler.decode(RAW);
    expect(deliverabilityTestHandler.owns('f3b1c2d4-0000-4000-8000-123456789abc', props)).toBe(true);
    expect(deliverabilityTestHandler.owns('', props)).toBe(false);
  });
});

describe('the marker', () => {
  test('round-trips, and leaves out the replaced report when the value would pass 256 characters', () => {
    const marker = { owner: OWNER_TAG.Value, request: 'req-1', key: '0123456789abcdef', replaces: { reportId: 'r-1', key: 'fedcba9876543210' } };
    expect(parseMarker(markerValue(marker))).toEqual(marker);
    const long = markerValue({ ...marker, replaces: { reportId: 'r'.repeat(200), key: 'fedcba9876543210' } });
    expect(long.length).toBeLessThanOrEqual(256);
    expect(parseMarker(long)).toEqual({ ...marker, replaces: undefined });
  });
});

/** The parts of an HTTP request that the SDK hands its request handler which this test reads. */
interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

describe('on the wire', () => {
  test('raw content reaches the API as the base64 of the MIME text', async () => {
    pinpoint.restore(); // the real client, with a request handler that records the HTTP requests
    const requests: WireRequest[] = [];
    const requestHandler = {
      handle: async (request: WireRequest) => {
        requests.push(request);
        const body = request.path.endsWith('/test') ? '{"ReportId":"report-1","DeliverabilityTestStatus":"IN_PROGRESS"}'
          : request.path.endsWith('/test-reports') ? '{"DeliverabilityTestReports":[]}'
            : request.path.startsWith('/v1/email/identities/') ? '{"VerifiedForSendingStatus":true}' : '{"DashboardEnabled":true}';
        return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(body)]) } };
      },
    };
    const client = new PinpointEmailClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: requestHandler as unknown as PinpointEmailClientConfig['requestHandler'],
    });
    const ctx = {
      api: emailApiOver('pinpoint-email', client), probe: emailApiOver('pinpoint-email', client), secrets: NO_SECRETS, stack: NO_STACK, environment: { partition: 'aws', region: 'us-east-1', account: '123456789012' }, requestId: 'r', requestIssuedAt: Date.now(), logicalId: 'Test', owner: OWNER_TAG.Value,
    };

    const outcome = await deliverabilityTestHandler.create(ctx, deliverabilityTestHandler.decode(RAW));

    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/email/deliverability-dashboard/test']);
    expect(JSON.parse(requests[0].body as string)).toEqual({
      FromEmailAddress: SENDER, Content: { Raw: { Data: Buffer.from(MIME, 'utf8').toString('base64') } }, Tags: [markerTag('r', RAW)],
    });
    expect(outcome.physicalResourceId).toBe('report-1');
  });
});
