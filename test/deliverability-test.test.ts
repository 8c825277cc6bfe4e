import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, CfnResource, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeliverabilityTest, DeliverabilityTestProps, EmailIdentity, Identity, TestContent } from '../src';
import { withSplitListsRead } from './support/policy-simulation';
import { newStack, synthErrors } from './support/synth';

const TYPE = 'Custom::PinpointEmailDeliverabilityTest';
const SIMPLE = TestContent.simple({ subject: 'Hello', text: 'Hi there' });
const MIME = 'From: test@example.com\r\nSubject: Hello\r\n\r\nHi there\r\n';

/** `arn:<partition>:ses:us-east-1:123456789012:<resource>` as the handler's policy renders it: one `Fn::Sub`. */
function sesArn(resource: string): unknown {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:ses:us-east-1:123456789012:${resource}` };
}

/** The properties of the stack's only deliverability test, without the service token. */
function testProperties(stack: Stack): Record<string, unknown> {
  const resources = Object.values(Template.fromStack(stack).findResources(TYPE));
  expect(resources).toHaveLength(1);
  const { ServiceToken: _token, ...properties } = resources[0].Properties;
  return properties;
}

/** The handler role's statements about Pinpoint Email (`ses:`), as rendered (split lists read). */
function sesStatements(stack: Stack): unknown[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  return policies.flatMap((policy) => withSplitListsRead(policy.Properties.PolicyDocument).Statement as Array<{ Action: string | string[] }>)
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
}

function testWith(props: Partial<DeliverabilityTestProps>): Stack {
  const stack = newStack();
  new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: SIMPLE, ...props } as DeliverabilityTestProps);
  return stack;
}

/** The library's EmailIdentity: its name is a Ref of its custom resource, its declared ARN is literal. */
function declaredIdentity(stack: Stack, id: string, name: string): EmailIdentity {
  return new EmailIdentity(stack, id, { identity: name.includes('@') ? Identity.email(name) : Identity.domain(name) });
}

describe('template', () => {
  test('renders a simple message, the name and the tags', () => {
    const stack = testWith({
      reportName: 'launch',
      content: TestContent.simple({ subject: 'Hello', text: 'Hi there', html: '<p>Hi there</p>', charset: 'UTF-8' }),
      tags: { team: 'mail' },
    });

    expect(testProperties(stack)).toEqual({
      ServiceTimeout: '660',
      SchemaVersion: '2',
      FromEmailAddress: 'test@example.com',
      ReportName: 'launch',
      Content: { Simple: { Subject: 'Hello', Text: 'Hi there', Html: '<p>Hi there</p>', Charset: 'UTF-8' } },
      Tags: { team: 'mail' },
    });
  });

  test('renders a raw message as its text, and omits what is not set', () => {
    const stack = testWith({ content: TestContent.raw(MIME) });

    expect(testProperties(stack)).toEqual({
      ServiceTimeout: '660', SchemaVersion: '2', FromEmailAddress: 'test@example.com', Content: { Raw: MIME },
    });
  });

  test('exposes the report id, its ARN and the status at creation', () => {
    const stack = newStack();
    const test = new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: SIMPLE });
    const logicalId = stack.getLogicalId(test.node.defaultChild as CfnResource);

    expect(stack.resolve(test.reportId)).toEqual({ Ref: logicalId });
    expect(stack.resolve(test.reportArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:us-east-1:123456789012:deliverability-test-report/', { Ref: logicalId }]],
    });
    expect(stack.resolve(test.deliverabilityTestStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'DeliverabilityTestStatus'] });
  });

  test('Tags.of reaches the report', () => {
    const stack = testWith({ tags: { team: 'mail' } });
    Tags.of(stack).add('env', 'prod');

    expect(testProperties(stack).Tags).toEqual({ env: 'prod', team: 'mail' });
  });

  test('a domain identity and a local part give the sender, and the test is created after the identity', () => {
    const stack = newStack();
    const identity = declaredIdentity(stack, 'Domain', 'example.com');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, fromLocalPart: 'test', content: SIMPLE });

    expect(testProperties(stack).FromEmailAddress).toBe('test@example.com');
    const test = Object.values(Template.fromStack(stack).findResources(TYPE))[0];
    expect(test.DependsOn).toContain(stack.getLogicalId(identity.node.defaultChild as CfnResource));
  });

  test('an email address identity is the sender itself', () => {
    const stack = newStack();
    const identity = declaredIdentity(stack, 'Address', 'sender@example.org');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, content: SIMPLE });

    expect(testProperties(stack).FromEmailAddress).toBe('sender@example.org');
  });

  test('an identity whose name is a token sends from that name, or from the local part at it', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Identity').valueAsString;
    new DeliverabilityTest(stack, 'Address', { fromIdentity: EmailIdentity.fromEmailIdentityName(stack, 'A', name), content: SIMPLE });
    new DeliverabilityTest(stack, 'Domain', { fromIdentity: EmailIdentity.fromEmailIdentityName(stack, 'D', name), fromLocalPart: 'test', content: SIMPLE });

    const senders = Object.values(Template.fromStack(stack).findResources(TYPE)).map((r) => r.Properties.FromEmailAddress);
    expect(senders).toEqual([{ Ref: 'Identity' }, { 'Fn::Join': ['', ['test@', { Ref: 'Identity' }]] }]);
  });
});

describe('IAM', () => {
  const owner = { 'Fn::Join': ['', [{ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }, ':*']] };
  // The tags of a create, on a new report only: the request sets this stack's ownership tag, the report has none yet.
  const tagNewStatement = {
    Sid: 'TagNewDeliverabilityTestReports',
    Action: 'ses:TagResource',
    Effect: 'Allow',
    Resource: sesArn('deliverability-test-report/*'),
    Condition: {
      'StringLike': { 'aws:RequestTag/cdk-pinpoint-email:owner': owner },
      'Null': { 'aws:ResourceTag/cdk-pinpoint-email:owner': 'true' },
      'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' },
    },
  };
  // The tag reconciliation of an update: this stack's own reports only.
  const ownedStatement = {
    Sid: 'ManageResourcesOwnedByThisStack',
    Action: ['ses:TagResource', 'ses:UntagResource', 'ses:ListTagsForResource'],
    Effect: 'Allow',
    Resource: sesArn('deliverability-test-report/*'),
    Condition: {
      'StringLike': { 'aws:ResourceTag/cdk-pinpoint-email:owner': owner },
      'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' },
    },
  };
  const dashboardStatement = {
    Sid: 'AccountLevelOperations',
    Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:ListDeliverabilityTestReports'],
    Effect: 'Allow',
    Resource: '*',
  };

  test('an address: create and read on its identity and its domain, tags on new and own reports, the dashboard on *', () => {
    const stack = testWith({ fromEmailAddress: 'test@example.com' });

    expect(sesStatements(stack)).toEqual([
      {
        Sid: 'CreateDeliverabilityTests',
        Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
        Effect: 'Allow',
        Resource: [sesArn('identity/test@example.com'), sesArn('identity/example.com')],
      },
      tagNewStatement,
      dashboardStatement,
      ownedStatement,
    ]);
  });

  test('a domain identity: its declared ARN (never a Ref of its custom resource) and the sender address', () => {
    const stack = newStack();
    const identity = declaredIdentity(stack, 'Domain', 'example.com');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, fromLocalPart: 'test', content: SIMPLE });

    const statements = sesStatements(stack);
    expect(statements).toContainEqual({
      Sid: 'CreateDeliverabilityTests',
      Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
      Effect: 'Allow',
      Resource: [sesArn('identity/example.com'), sesArn('identity/test@example.com')],
    });
    expect(statements).toContainEqual(tagNewStatement);
    expect(statements).toContainEqual(ownedStatement);
    expect(statements).toContainEqual(dashboardStatement);
    expect(JSON.stringify(statements)).not.toContain(stack.getLogicalId(identity.node.defaultChild as CfnResource));
  });

  test('an address identity: its declared ARN and its domain', () => {
    const stack = newStack();
    const identity = declaredIdentity(stack, 'Address', 'sender@example.org');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, content: SIMPLE });

    const statements = sesStatements(stack);
    expect(statements).toContainEqual({
      Sid: 'CreateDeliverabilityTests',
      Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
      Effect: 'Allow',
      Resource: [sesArn('identity/sender@example.org'), sesArn('identity/example.org')],
    });
    expect(JSON.stringify(statements)).not.toContain(stack.getLogicalId(identity.node.defaultChild as CfnResource));
  });

  test('a token address: its domain is split out in CloudFormation', () => {
    const stack = newStack();
    const from = new CfnParameter(stack, 'From').valueAsString;
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: from, content: SIMPLE });

    expect(sesStatements(stack)[0]).toEqual({
      Sid: 'CreateDeliverabilityTests',
      Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
      Effect: 'Allow',
      Resource: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:identity/${From}' },
        // An Fn::Select cannot be written in an Fn::Sub string: this one stays a join.
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:us-east-1:123456789012:identity/',
            { 'Fn::Select': [1, { 'Fn::Split': ['@', { Ref: 'From' }] }] }]],
        },
      ],
    });
  });

  test('two tests share the statements, each sender added once', () => {
    const stack = testWith({ fromEmailAddress: 'a@example.com' });
    new DeliverabilityTest(stack, 'Second', { fromEmailAddress: 'b@example.com', content: SIMPLE });

    expect(sesStatements(stack)).toEqual([
      {
        Sid: 'CreateDeliverabilityTests',
        Action: ['ses:CreateDeliverabilityTestReport', 'ses:GetEmailIdentity'],
        Effect: 'Allow',
        Resource: [sesArn('identity/a@example.com'), sesArn('identity/example.com'), sesArn('identity/b@example.com')],
      },
      tagNewStatement,
      dashboardStatement,
      ownedStatement,
    ]);
  });
});

describe('content validation', () => {
  const line = (length: number) => 'x'.repeat(length);

  test.each([
    ['a subject and a text body', { subject: 'Hello', text: 'Hi' }],
    ['a subject and an HTML body', { subject: 'Hello', html: '<p>Hi</p>' }],
    ['non-ASCII text with a charset', { subject: 'Grüße', text: 'Grüße', charset: 'UTF-8' }],
  ])('a simple message with %s is valid', (_name, options) => {
    expect(synthErrors(testWith({ content: TestContent.simple(options) }))).toBe('');
  });

  test.each([
    ['no subject', { subject: '', text: 'Hi' }, 'content: TestContent.simple needs a subject'],
    ['a blank subject', { subject: '  ', text: 'Hi' }, 'content: TestContent.simple needs a subject'],
    ['neither text nor html', { subject: 'Hello' }, 'content: TestContent.simple needs text, html or both'],
    ['empty text and html', { subject: 'Hello', text: '', html: '' }, 'content: TestContent.simple needs text, html or both'],
    ['non-ASCII without a charset', { subject: 'Grüße', text: 'Grüße', html: 'ok' },
      'content: TestContent.simple has characters outside 7-bit ASCII in subject, text; set charset (for example "UTF-8")'],
  ])('a simple message with %s fails synth', (_name, options, message) => {
    expect(synthErrors(testWith({ content: TestContent.simple(options) }))).toContain(`[Demo/Test] ${message}`);
  });

  test.each([
    ['CRLF lines', MIME],
    ['LF lines', 'Subject: Hello\n\nHi there\n'],
    ['a folded header', 'Subject: Hello\r\n  world\r\nFrom: test@example.com\r\n\r\nHi'],
    ['a 1000-character body line', `Subject: Hello\r\n\r\n${line(1000)}\r\n`],
    ['a 1000-character header line', `X-Long: ${line(1000 - 'X-Long: '.length)}\r\n\r\nHi\r\n`],
  ])('a raw message with %s is valid', (_name, mime) => {
    expect(synthErrors(testWith({ content: TestContent.raw(mime) }))).toBe('');
  });

  test.each([
    ['a 1001-character line', `Subject: Hello\r\n\r\nHi\r\n${line(1001)}\r\n`,
      'content: TestContent.raw message line 4 has 1001 characters; no line can exceed 1000 characters (RFC 5321): ' +
      'wrap long lines or use quoted-printable or base64 transfer encoding'],
    ['several long lines', `Subject: Hello\n\n${line(1001)}\n${line(2000)}\n`,
      'content: TestContent.raw message line 3 has 1001 characters (and 1 more); no line can exceed 1000 characters'],
    ['no blank line', 'Subject: Hello\r\nHi there\r\n',
      'content: TestContent.raw message has no blank line: it needs header fields, one blank line, then the body'],
    ['a line that is not a header field', 'Subject: Hello\r\nHi there\r\n\r\nBody\r\n',
      'content: TestContent.raw message line 2 is not a header field ("Name: value")'],
    ['only a header and a blank line', 'Subject: Hello\r\n\r\n',
      'content: TestContent.raw message has no body after the blank line that ends the header fields'],
    ['headers only', 'Subject: Hello\r\nFrom: test@example.com',
      'content: TestContent.raw message has no blank line: it needs header fields, one blank line, then the body'],
    ['a leading blank line', '\r\nSubject: Hello\r\n\r\nHi',
      'content: TestContent.raw message starts with a blank line: it needs header fields before the blank line that precedes the body'],
    ['a body-like first line', 'Hello there\r\n\r\nHi',
      'content: TestContent.raw message line 1 is not a header field ("Name: value"); header fields come first, then one blank line, then the body'],
    ['no body', 'Subject: Hello\r\n\r\n\r\n',
      'content: TestContent.raw message has no body after the blank line that ends the header fields'],
    ['nothing', '', 'content: TestContent.raw message is empty'],
  ])('a raw message with %s fails synth', (_name, mime, message) => {
    expect(synthErrors(testWith({ content: TestContent.raw(mime) }))).toContain(`[Demo/Test] ${message}`);
  });

  test('a raw message that contains a token is not checked', () => {
    const stack = newStack();
    const body = new CfnParameter(stack, 'Body').valueAsString;
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: TestContent.raw(`no header ${body}`) });

    expect(synthErrors(stack)).toBe('');
  });

  test('simple fields that are tokens are not checked', () => {
    const stack = newStack();
    const value = new CfnParameter(stack, 'Value').valueAsString;
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: TestContent.simple({ subject: value, html: value }) });

    expect(synthErrors(stack)).toBe('');
  });
});

describe('sender validation', () => {
  test.each(['test@example.com', 'first.last+tag@mail.example.co.uk', "o'brien@xn--bcher-kva.example"])('%s is a valid sender', (from) => {
    expect(synthErrors(testWith({ fromEmailAddress: from }))).toBe('');
  });

  test.each([
    'test', 'test@localhost', 'Test <test@example.com>', 'a b@example.com', 'a..b@example.com', '.a@example.com',
    'grüße@example.com', 'test@exa_mple.com', `${'a'.repeat(65)}@example.com`,
  ])('%s is not a valid sender', (from) => {
    expect(synthErrors(testWith({ fromEmailAddress: from }))).toContain(
      `[Demo/Test] fromEmailAddress "${from}" is invalid: a plain address such as test@example.com ` +
      '(ASCII only, Punycode for an international domain, no display name)');
  });

  test('a token address is not checked', () => {
    const stack = newStack();
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: new CfnParameter(stack, 'From').valueAsString, content: SIMPLE });
    expect(synthErrors(stack)).toBe('');
  });

  test('one of fromEmailAddress and fromIdentity is required', () => {
    expect(synthErrors(testWith({ fromEmailAddress: undefined })))
      .toContain('[Demo/Test] fromEmailAddress: one of fromEmailAddress and fromIdentity is required');
  });

  test('not both', () => {
    const stack = newStack();
    const identity = EmailIdentity.fromEmailIdentityName(stack, 'Identity', 'example.com');
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', fromIdentity: identity, fromLocalPart: 'test', content: SIMPLE });
    expect(synthErrors(stack)).toContain('[Demo/Test] fromEmailAddress: give either fromEmailAddress or fromIdentity, not both');
  });

  test('fromLocalPart goes with fromIdentity only', () => {
    expect(synthErrors(testWith({ fromLocalPart: 'test' })))
      .toContain('[Demo/Test] fromLocalPart: applies only with fromIdentity; put the whole address in fromEmailAddress');
  });

  test('a domain identity needs fromLocalPart', () => {
    const stack = newStack();
    new DeliverabilityTest(stack, 'Test', { fromIdentity: declaredIdentity(stack, 'Domain', 'example.com'), content: SIMPLE });
    expect(synthErrors(stack)).toContain(
      '[Demo/Test] fromLocalPart: is required because fromIdentity is the domain identity example.com; the sender is <fromLocalPart>@example.com');
  });

  test('an email address identity takes no fromLocalPart', () => {
    const stack = newStack();
    const identity = EmailIdentity.fromEmailIdentityName(stack, 'Address', 'sender@example.org');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, fromLocalPart: 'test', content: SIMPLE });
    expect(synthErrors(stack)).toContain(
      '[Demo/Test] fromLocalPart: fromIdentity is the email address identity sender@example.org, which is the sender itself; remove fromLocalPart');
  });

  test('fromLocalPart must be a local part', () => {
    const stack = newStack();
    const identity = EmailIdentity.fromEmailIdentityName(stack, 'Domain', 'example.com');
    new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, fromLocalPart: 'a@b', content: SIMPLE });
    expect(synthErrors(stack)).toContain('[Demo/Test] fromLocalPart "a@b" is invalid: the part before "@" of an address');
  });

  test('tags are validated', () => {
    expect(synthErrors(testWith({ tags: { 'aws:team': 'mail' } })))
      .toContain('[Demo/Test] tags: tag key "aws:team" uses the reserved prefix "aws:"');
  });
});

test('deliverabilityTestStatus is documented as the status at creation, always IN_PROGRESS, never refreshed', () => {
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'deliverability-test.ts'), 'utf8');
  const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*public readonly deliverabilityTestStatus/.exec(source)?.[1] ?? '';
  expect(doc.replace(/\s*\*\s*/g, ' ')).toMatch(/status of the test at creation, which is always `IN_PROGRESS`/);
  expect(doc).toMatch(/GetDeliverabilityTestReport/);
});
