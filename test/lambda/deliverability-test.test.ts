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
} from '@aws-sdk/client-pinpoint-email';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs, createEvent, deleteEvent, FOREIGN_OWNER_TAG, HandlerHarness, OWNER_TAG, Properties, updateEvent } from './harness';
import { deliverabilityTestHandler } from '../../lambda/resources/deliverability-test';
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
  '(see https://aws.amazon.com/pinpoint/pricing/).';
const NO_IDENTITY = `${LABEL}: the sender test@example.com is not a verified identity: neither test@example.com nor ` +
  'example.com is an email identity in account 123456789012, region us-east-1. Create one (the EmailIdentity construct ' +
  'of this library, or CreateEmailIdentity) and verify it, then deploy again: for the domain example.com, publish its ' +
  'DKIM CNAME records; for the address test@example.com, open the link in the verification email.';
const NOT_VERIFIED = `${LABEL}: the sender test@example.com is not a verified identity: example.com is an email identity ` +
  'in account 123456789012, region us-east-1 but not verified for sending (VerifiedForSendingStatus false). Complete ' +
  'the verification, then deploy again: for the domain example.com, publish its DKIM CNAME records; for the address ' +
  'test@example.com, open the link in the verification email.';

const notFound = (name: string) => new NotFoundException({ message: `${name} does not exist`, $metadata: {} });

/** Every call the handler made, in order: [operation, input]. */
function calls(): Array<[string, unknown]> {
  return pinpoint.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return [command.constructor.name.replace(/Command$/, ''), command.input];
  });
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
 * An account with the dashboard on, `verified` identities (name -> VerifiedForSendingStatus; others don't exist) and
 * no test report unless `reports` are given.
 */
function givenAccount(options: {
  dashboard?: boolean; identities?: Record<string, boolean>; reportId?: string; reports?: Array<ReturnType<typeof listed>>;
} = {}): void {
  pinpoint.on(GetDeliverabilityDashboardOptionsCommand).resolves({ DashboardEnabled: options.dashboard ?? true });
  pinpoint.on(ListDeliverabilityTestReportsCommand).resolves({ DeliverabilityTestReports: options.reports ?? [] });
  pinpoint.on(GetEmailIdentityCommand).callsFake((input: { EmailIdentity: string }) => {
    const verified = (options.identities ?? { [SENDER]: true })[input.EmailIdentity];
    if (verified === undefined) throw notFound(input.EmailIdentity);
    return { IdentityType: input.EmailIdentity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN', VerifiedForSendingStatus: verified };
  });
  pinpoint.on(CreateDeliverabilityTestReportCommand).resolves({ ReportId: options.reportId ?? 'report-1', DeliverabilityTestStatus: 'IN_PROGRESS' });
}

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(() => {
  pinpoint.reset();
  captureLogs();
});

describe('create', () => {
  test('reads the dashboard, looks for its own report, reads the sender identity, then creates the report with its simple content and tags', async () => {
    givenAccount();
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['ListDeliverabilityTestReports', { PageSize: 1000 }],
      ['GetEmailIdentity', { EmailIdentity: SENDER }],
      ['CreateDeliverabilityTestReport', {
        ReportName: 'launch',
        FromEmailAddress: SENDER,
        Content: {
          Simple: {
            Subject: { Data: 'Hello', Charset: 'UTF-8' },
            Body: { Text: { Data: 'Hi there', Charset: 'UTF-8' }, Html: { Data: '<p>Hi there</p>', Charset: 'UTF-8' } },
          },
        },
        Tags: [{ Key: 'team', Value: 'mail' }, OWNER_TAG],
      }],
    ]);
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'report-1',
      Data: { ReportId: 'report-1', Arn: `${REPORTS}/report-1`, DeliverabilityTestStatus: 'IN_PROGRESS' },
    });
  });

  test('sends raw content as the bytes of the MIME text, and falls back to the domain identity', async () => {
    givenAccount({ identities: { 'example.com': true } });
    const response = await harness.run(createEvent(RAW, TYPE));

    expect(calls().map(([operation]) => operation)).toEqual([
      'GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'GetEmailIdentity', 'CreateDeliverabilityTestReport',
    ]);
    expect(pinpoint.commandCalls(GetEmailIdentityCommand).map((call) => call.args[0].input))
      .toEqual([{ EmailIdentity: SENDER }, { EmailIdentity: 'example.com' }]);
    const input = pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)[0].args[0].input;
    expect(input).toEqual({ FromEmailAddress: SENDER, Content: { Raw: { Data: new Uint8Array(Buffer.from(MIME)) } }, Tags: [OWNER_TAG] });
    expect(Buffer.from(input.Content!.Raw!.Data!).toString('base64')).toBe(Buffer.from(MIME, 'utf8').toString('base64'));
    expect(response.body.Status).toBe('SUCCESS');
  });

  test('sends only the ownership tag when there are no tags, and keeps non-ASCII raw text as UTF-8 bytes', async () => {
    givenAccount();
    const mime = 'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße\r\n';
    await harness.run(createEvent({ ...RAW, Content: { Raw: mime } }, TYPE));

    const input = pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)[0].args[0].input;
    expect(input.Tags).toEqual([OWNER_TAG]);
    expect(Buffer.from(input.Content!.Raw!.Data!).toString('utf8')).toBe(mime);
  });

  test('a sender whose address identity is unverified but whose domain is verified may send', async () => {
    givenAccount({ identities: { [SENDER]: false, 'example.com': true } });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(response.body.Status).toBe('SUCCESS');
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(1);
  });

  test('fails without creating when the dashboard is not enabled, and says it is a paid subscription', async () => {
    givenAccount({ dashboard: false });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls()).toEqual([['GetDeliverabilityDashboardOptions', {}]]);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(DASHBOARD_OFF);
    expect(response.body.PhysicalResourceId).toMatch(/^cdk-pinpoint-email:create-failed:/);
  });

  test('fails without creating when neither the address nor its domain is an identity', async () => {
    givenAccount({ identities: {} });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['ListDeliverabilityTestReports', { PageSize: 1000 }],
      ['GetEmailIdentity', { EmailIdentity: SENDER }],
      ['GetEmailIdentity', { EmailIdentity: 'example.com' }],
    ]);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(NO_IDENTITY);
  });

  test('fails without creating when the only identity is not verified for sending', async () => {
    givenAccount({ identities: { 'example.com': false } });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toBe(NOT_VERIFIED);
  });

  test('an address identity and its domain both unverified are both named', async () => {
    givenAccount({ identities: { [SENDER]: false, 'example.com': false } });
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
    expect(response.body.Reason).toContain(': test@example.com and example.com are email identities in account 123456789012');
  });

  test('another error of the identity read fails the create with the API error', async () => {
    pinpoint.on(GetDeliverabilityDashboardOptionsCommand).resolves({ DashboardEnabled: true });
    pinpoint.on(ListDeliverabilityTestReportsCommand).resolves({ DeliverabilityTestReports: [] });
    const denied = Object.assign(new Error('not authorized to perform ses:GetEmailIdentity'), { name: 'AccessDeniedException' });
    pinpoint.on(GetEmailIdentityCommand).rejects(denied);
    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
    expect(response.body.Reason).toBe(`${LABEL}: failed: AccessDeniedException: not authorized to perform ses:GetEmailIdentity`);
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

describe('a create that may have run before (report ids are generated, so it looks for its own report first)', () => {
  test('reuses the report this resource created moments ago, found by sender, name and subject and confirmed by its ownership tag', async () => {
    givenAccount({ reports: [listed({ ReportId: 'mine', DeliverabilityTestStatus: 'COMPLETED' })] });
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'team', Value: 'mail' }, OWNER_TAG] });

    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls()).toEqual([
      ['GetDeliverabilityDashboardOptions', {}],
      ['ListDeliverabilityTestReports', { PageSize: 1000 }],
      ['ListTagsForResource', { ResourceArn: `${REPORTS}/mine` }],
    ]);
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'mine',
      Data: { ReportId: 'mine', Arn: `${REPORTS}/mine`, DeliverabilityTestStatus: 'COMPLETED' },
    });
  });

  test('a raw message is matched by its Subject header', async () => {
    givenAccount({ reports: [listed({ ReportId: 'mine', ReportName: undefined })] });
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [OWNER_TAG] });

    const response = await harness.run(createEvent(RAW, TYPE));

    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'mine' });
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
  });

  test('reads every page of the list', async () => {
    givenAccount();
    pinpoint.on(ListDeliverabilityTestReportsCommand)
      .resolvesOnce({ DeliverabilityTestReports: [listed({ ReportId: 'other', FromEmailAddress: 'x@example.com' })], NextToken: 'page-2' })
      .resolvesOnce({ DeliverabilityTestReports: [listed({ ReportId: 'mine' })] });
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: [OWNER_TAG] });

    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(pinpoint.commandCalls(ListDeliverabilityTestReportsCommand).map((call) => call.args[0].input))
      .toEqual([{ PageSize: 1000 }, { PageSize: 1000, NextToken: 'page-2' }]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'mine' });
  });

  test.each([
    ['another sender', { FromEmailAddress: 'other@example.com' }],
    ['another name', { ReportName: 'launch-2' }],
    ['no name', { ReportName: undefined }],
    ['another subject', { Subject: 'Hello again' }],
    ['an age of more than 15 minutes', { CreateDate: new Date(Date.now() - 16 * 60_000) }],
  ])('a report with %s is not a candidate: no tag read, and a new report is created', async (_what, overrides) => {
    givenAccount({ reports: [listed(overrides)] });

    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(pinpoint.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(1);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });

  test.each([
    ['no ownership tag', []],
    ['another stack\'s ownership tag', [FOREIGN_OWNER_TAG]],
  ])('a matching report with %s is someone else\'s: left alone, and a new report is created', async (_what, tags) => {
    givenAccount({ reports: [listed({ ReportId: 'theirs' })] });
    pinpoint.on(ListTagsForResourceCommand).resolves({ Tags: tags });

    const response = await harness.run(createEvent(SIMPLE, TYPE));

    expect(calls().map(([operation]) => operation)).toEqual([
      'GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'ListTagsForResource', 'GetEmailIdentity', 'CreateDeliverabilityTestReport',
    ]);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
  });

  test('a replacement never reuses the report it replaces, even when it matches', async () => {
    givenAccount({ reportId: 'report-2', reports: [listed({ ReportId: 'report-1' })] });
    const textChanged = { ...SIMPLE, Content: { Simple: { Subject: 'Hello', Text: 'Hi again', Charset: 'UTF-8' } } };

    const response = await harness.run(updateEvent('report-1', textChanged, SIMPLE, TYPE));

    expect(pinpoint.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-2' });
  });
});

describe('update', () => {
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
  ])('a change of %s creates a new report with a new physical id', async (_what, change) => {
    const from = (change as { FromEmailAddress?: string }).FromEmailAddress ?? SENDER;
    givenAccount({ reportId: 'report-2', identities: { [from]: true } });
    const response = await harness.run(updateEvent('report-1', { ...SIMPLE, ...change }, SIMPLE, TYPE));

    expect(calls().map(([operation]) => operation)).toEqual([
      'GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'CreateDeliverabilityTestReport',
    ]);
    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)[0].args[0].input).toMatchObject({
      FromEmailAddress: from, Tags: [{ Key: 'team', Value: 'mail' }, OWNER_TAG],
    });
    expect(response.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'report-2',
      Data: { ReportId: 'report-2', Arn: `${REPORTS}/report-2`, DeliverabilityTestStatus: 'IN_PROGRESS' },
    });
  });

  test('a replacement checks the preconditions again', async () => {
    givenAccount({ dashboard: false });
    const response = await harness.run(updateEvent('report-1', { ...SIMPLE, ReportName: 'launch-2' }, SIMPLE, TYPE));

    expect(pinpoint.commandCalls(CreateDeliverabilityTestReportCommand)).toHaveLength(0);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.PhysicalResourceId).toBe('report-1');
  });
});

describe('delete', () => {
  test('succeeds without any API call: no API deletes a report, which stays in the account', async () => {
    const logs = captureLogs();
    const response = await harness.run(deleteEvent('report-1', SIMPLE, TYPE));

    expect(pinpoint.calls()).toHaveLength(0);
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'report-1' });
    expect(logs.lines().some((line) => line.includes('deliverability test report kept'))).toBe(true);
  });

  test('of a failed create makes no call either', async () => {
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
    const ctx = { client, environment: { partition: 'aws', region: 'us-east-1', account: '123456789012' }, requestId: 'r', owner: OWNER_TAG.Value };

    const outcome = await deliverabilityTestHandler.create(ctx, deliverabilityTestHandler.decode(RAW));

    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/email/deliverability-dashboard',
      'GET /v1/email/deliverability-dashboard/test-reports',
      'GET /v1/email/identities/test%40example.com',
      'POST /v1/email/deliverability-dashboard/test',
    ]);
    expect(JSON.parse(requests[3].body as string)).toEqual({
      FromEmailAddress: SENDER, Content: { Raw: { Data: Buffer.from(MIME, 'utf8').toString('base64') } }, Tags: [OWNER_TAG],
    });
    expect(outcome.physicalResourceId).toBe('report-1');
  });
});
