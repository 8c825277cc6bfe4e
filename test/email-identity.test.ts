import { App, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ConfigurationSet, EmailIdentity, Identity, IdentityType, MailFromBehaviorOnMxFailure } from '../src';
import { synthErrors } from './support/synth';

const RESOURCE_TYPE = 'Custom::PinpointEmailIdentity';

function newStack(): Stack {
  return new Stack(new App(), 'Mail', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** `Fn::GetAtt` of a DKIM token of the one identity in the template. */
function dkimToken(template: Template, n: number) {
  const [logicalId] = Object.keys(template.findResources(RESOURCE_TYPE));
  return { 'Fn::GetAtt': [logicalId, `DkimToken${n}`] };
}

function identityLogicalId(template: Template): string {
  return Object.keys(template.findResources(RESOURCE_TYPE))[0];
}

function recordsOfType(template: Template, type: string) {
  return Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: type } }))
    .map((resource) => resource.Properties);
}

describe('EmailIdentity resource', () => {
  test('a domain with defaults renders only the identity', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });

    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 1);
    const [resource] = Object.values(template.findResources(RESOURCE_TYPE));
    expect(Object.keys(resource.Properties).sort()).toEqual(['EmailIdentity', 'SchemaVersion', 'ServiceTimeout', 'ServiceToken']);
    expect(resource.Properties.EmailIdentity).toBe('example.com');
    expect(resource).not.toHaveProperty('DeletionPolicy');
    expect(resource).not.toHaveProperty('UpdateReplacePolicy');
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  test('every option is rendered with its contract name', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Domain', {
      identity: Identity.domain('example.com'),
      dkimSigning: false,
      feedbackForwarding: false,
      mailFromDomain: 'bounce.example.com',
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
      tags: { team: 'mail' },
    });

    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      SchemaVersion: '2',
      EmailIdentity: 'example.com',
      DkimSigningEnabled: false,
      FeedbackForwardingEnabled: false,
      MailFromDomain: 'bounce.example.com',
      MailFromBehaviorOnMxFailure: 'REJECT_MESSAGE',
      Tags: { team: 'mail' },
    });
  });

  test('Tags.of reaches the identity', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Sender', { identity: Identity.email('sender@example.com'), tags: { team: 'mail' } });
    Tags.of(stack).add('stage', 'prod');

    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      EmailIdentity: 'sender@example.com',
      Tags: { stage: 'prod', team: 'mail' },
    });
  });

  test('RemovalPolicy.RETAIN keeps the identity', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Kept', { identity: Identity.domain('example.com'), removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('name and ARN come from the resource; type and DKIM attributes are exposed', () => {
    const stack = newStack();
    const domain = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
    const address = new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.com') });

    expect(stack.resolve(domain.emailIdentityName)).toEqual({ Ref: stack.getLogicalId(domain.node.defaultChild as never) });
    expect(stack.resolve(domain.emailIdentityArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/', { Ref: expect.any(String) }]],
    });
    expect(domain.identityType).toBe(IdentityType.DOMAIN);
    expect(address.identityType).toBe(IdentityType.EMAIL_ADDRESS);

    const logicalId = stack.getLogicalId(domain.node.defaultChild as never);
    expect(stack.resolve(domain.dkimTokens)).toEqual([1, 2, 3].map((n) => ({ 'Fn::GetAtt': [logicalId, `DkimToken${n}`] })));
    expect(stack.resolve(domain.dkimRecords)).toEqual([1, 2, 3].map((n) => ({
      name: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, `DkimToken${n}`] }, '._domainkey.example.com']] },
      type: 'CNAME',
      value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, `DkimToken${n}`] }, '.dkim.amazonses.com']] },
    })));
    // An email address has no DKIM records of its own.
    expect(address.dkimTokens).toEqual([]);
    expect(address.dkimRecords).toEqual([]);
  });

  test('the handler may manage exactly the declared identity, never through a Ref', () => {
    const stack = newStack();
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
    new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.com') });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ManageEmailIdentities',
          Effect: 'Allow',
          Action: [
            'ses:GetEmailIdentity',
            'ses:CreateEmailIdentity',
            'ses:DeleteEmailIdentity',
            'ses:PutEmailIdentityDkimAttributes',
            'ses:PutEmailIdentityFeedbackAttributes',
            'ses:PutEmailIdentityMailFromAttributes',
            'ses:TagResource',
            'ses:UntagResource',
          ],
          Resource: [
            { 'Fn::Sub': 'arn:${AWS::Partition}:ses:eu-west-1:123456789012:identity/example.com' },
            { 'Fn::Sub': 'arn:${AWS::Partition}:ses:eu-west-1:123456789012:identity/sender@example.com' },
          ],
          Condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } },
        }]),
      },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain(identityLogicalId(template));
    // One provider per stack.
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('EmailIdentity DNS records in a public hosted zone', () => {
  test('a domain at the zone apex: DKIM CNAMEs and the MAIL FROM MX and SPF records', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone), mailFromDomain: 'bounce.example.com' });

    const template = Template.fromStack(stack);
    expect(identity.emailIdentityName).toBeDefined();
    template.hasResourceProperties(RESOURCE_TYPE, { EmailIdentity: 'example.com', MailFromDomain: 'bounce.example.com' });
    expect(recordsOfType(template, 'CNAME')).toEqual([1, 2, 3].map((n) => ({
      HostedZoneId: { Ref: expect.any(String) },
      Name: { 'Fn::Join': ['', [dkimToken(template, n), '._domainkey.example.com.']] },
      Type: 'CNAME',
      TTL: '1800',
      ResourceRecords: [{ 'Fn::Join': ['', [dkimToken(template, n), '.dkim.amazonses.com']] }],
    })));
    expect(recordsOfType(template, 'MX')).toEqual([expect.objectContaining({
      Name: 'bounce.example.com.',
      ResourceRecords: ['10 feedback-smtp.eu-west-1.amazonses.com'],
    })]);
    expect(recordsOfType(template, 'TXT')).toEqual([expect.objectContaining({
      Name: 'bounce.example.com.',
      ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'],
    })]);
  });

  test.each([
    ['relative to the zone', 'news'],
    ['fully qualified', 'news.example.com'],
    ['fully qualified with a trailing dot', 'news.example.com.'],
  ])('a subdomain under a parent zone, named %s', (_, subdomain) => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone, subdomain), mailFromDomain: 'bounce.news.example.com' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { EmailIdentity: 'news.example.com' });
    expect(recordsOfType(template, 'CNAME').map((record) => record.Name)).toEqual([1, 2, 3].map((n) =>
      ({ 'Fn::Join': ['', [dkimToken(template, n), '._domainkey.news.example.com.']] })));
    expect(recordsOfType(template, 'MX').map((record) => record.Name)).toEqual(['bounce.news.example.com.']);
    expect(recordsOfType(template, 'TXT').map((record) => record.Name)).toEqual(['bounce.news.example.com.']);
  });

  test('an imported zone whose name ends with a dot gives no doubled dot', () => {
    const stack = newStack();
    const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com.' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone, 'mail') });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESOURCE_TYPE, { EmailIdentity: 'mail.example.com' });
    const names = recordsOfType(template, 'CNAME').map((record) => record.Name['Fn::Join'][1][1]);
    expect(names).toEqual(['._domainkey.mail.example.com.', '._domainkey.mail.example.com.', '._domainkey.mail.example.com.']);
    expect(recordsOfType(template, 'CNAME').map((record) => record.HostedZoneId)).toEqual(['Z123', 'Z123', 'Z123']);
  });

  test('no MAIL FROM records without mailFromDomain, and no records at all for Identity.domain', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    new EmailIdentity(stack, 'InZone', { identity: Identity.publicHostedZone(zone) });
    new EmailIdentity(stack, 'Elsewhere', { identity: Identity.domain('example.org'), mailFromDomain: 'bounce.example.org' });

    const template = Template.fromStack(stack);
    expect(recordsOfType(template, 'CNAME')).toHaveLength(3);
    expect(recordsOfType(template, 'MX')).toHaveLength(0);
    expect(recordsOfType(template, 'TXT')).toHaveLength(0);
  });

  test('the MX record follows the region of an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone), mailFromDomain: 'bounce.example.com' });

    expect(recordsOfType(Template.fromStack(stack), 'MX')[0].ResourceRecords).toEqual([
      { 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] },
    ]);
  });
});

describe('EmailIdentity grants', () => {
  function policyStatements(template: Template) {
    return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Sender') }] } }))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  }

  test('grant and grantSendEmail on the identity', () => {
    const stack = newStack();
    const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
    const role = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    identity.grant(role, 'ses:GetEmailIdentity');
    identity.grantSendEmail(role);

    const template = Template.fromStack(stack);
    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/', { Ref: identityLogicalId(template) }]] };
    expect(policyStatements(template)).toEqual([
      { Action: 'ses:GetEmailIdentity', Effect: 'Allow', Resource: arn },
      { Action: ['ses:SendEmail', 'ses:SendRawEmail'], Effect: 'Allow', Resource: arn },
    ]);
  });

  test('grantSendEmail with a configuration set covers both resources', () => {
    const stack = newStack();
    const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
    const configurationSet = ConfigurationSet.fromConfigurationSetName(stack, 'Set', 'transactional');
    const role = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    identity.grantSendEmail(role, configurationSet);

    const template = Template.fromStack(stack);
    expect(policyStatements(template)).toEqual([{
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Effect: 'Allow',
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/', { Ref: identityLogicalId(template) }]] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:configuration-set/transactional']] },
      ],
    }]);
  });
});

describe('EmailIdentity imports', () => {
  test('fromEmailIdentityName builds the ARN and supports grants', () => {
    const stack = newStack();
    const imported = EmailIdentity.fromEmailIdentityName(stack, 'Imported', 'sender@example.com');
    expect(imported.emailIdentityName).toBe('sender@example.com');
    expect(stack.resolve(imported.emailIdentityArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/sender@example.com']],
    });

    const role = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grantSendEmail(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['ses:SendEmail', 'ses:SendRawEmail'], Effect: 'Allow', Resource: stack.resolve(imported.emailIdentityArn) }] },
    });
    // Importing creates no custom resource and no provider.
    Template.fromStack(stack).resourceCountIs(RESOURCE_TYPE, 0);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('fromEmailIdentityArn reads the name and the environment from the ARN', () => {
    const stack = newStack();
    const arn = 'arn:aws:ses:us-west-2:210987654321:identity/example.com';
    const imported = EmailIdentity.fromEmailIdentityArn(stack, 'Imported', arn);
    expect(imported.emailIdentityName).toBe('example.com');
    expect(imported.emailIdentityArn).toBe(arn);
    expect(imported.env).toEqual({ account: '210987654321', region: 'us-west-2' });

    const role = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grant(role, 'ses:SendEmail');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ses:SendEmail', Effect: 'Allow', Resource: arn }] },
    });
  });

  test.each([
    ['no resource name', 'arn:aws:ses:us-west-2:210987654321:identity', 'has no email address or domain'],
    ['not an ARN', 'example.com', 'is not an ARN'],
    ['another service', 'arn:aws:sns:us-west-2:210987654321:identity/example.com', 'is not an ARN of resource type identity'],
  ])('fromEmailIdentityArn with %s fails synthesis through validation, naming the construct and the argument', (_what, arn, why) => {
    const stack = newStack();
    expect(() => EmailIdentity.fromEmailIdentityArn(stack, 'Imported', arn)).not.toThrow();
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      `Validation failed[\\s\\S]*\\[Mail/Imported\\] emailIdentityArn "${arn}" ${why} \\(expected arn:`));
  });
});

describe('EmailIdentity validation', () => {
  function synthError(build: (stack: Stack) => void): string {
    const stack = newStack();
    build(stack);
    return synthErrors(stack);
  }

  test.each([
    'not-an-address', 'two@@example.com', 'space in@example.com', 'sender@', 'sender@localhost', 'sender@-bad.example.com',
  ])('rejects the email address %s', (address) => {
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.email(address) })))
      .toMatch(new RegExp(`Mail/Id.*identity "${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a valid email address`));
  });

  test.each(['example', 'exa mple.com', '-example.com', 'example.com.', 'example..com', 'sender@example.com', `${'a'.repeat(64)}.com`])(
    'rejects the domain %s', (domain) => {
      expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.domain(domain) })))
        .toContain('is not a valid domain name');
    });

  test('accepts valid addresses and domains, and skips tokens', () => {
    expect(synthError((stack) => {
      new EmailIdentity(stack, 'A', { identity: Identity.email('first.last+tag@mail.example.co.uk') });
      new EmailIdentity(stack, 'B', { identity: Identity.domain('xn--bcher-kva.example') });
      new EmailIdentity(stack, 'C', { identity: Identity.email(Token.asString({ Ref: 'Address' })) });
      new EmailIdentity(stack, 'D', { identity: Identity.domain(Token.asString({ Ref: 'Domain' })), mailFromDomain: 'bounce.example.com' });
      new EmailIdentity(stack, 'E', { identity: Identity.domain('example.com'), mailFromDomain: Token.asString({ Ref: 'MailFrom' }) });
    })).toBe('');
  });

  test('mailFromDomain must be a subdomain of the domain', () => {
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.domain('example.com'), mailFromDomain: 'example.com' })))
      .toContain('mailFromDomain "example.com" must be a subdomain of "example.com"');
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.domain('example.com'), mailFromDomain: 'bounce.notexample.com' })))
      .toContain('mailFromDomain "bounce.notexample.com" must be a subdomain of "example.com"');
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.domain('example.com'), mailFromDomain: 'bad_name.example.com' })))
      .toContain('mailFromDomain "bad_name.example.com" is not a valid domain name');
  });

  test('for an email address, mailFromDomain must be a subdomain of the address\'s domain', () => {
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.email('sender@example.com'), mailFromDomain: 'bounce.example.com' })))
      .toBe('');
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.email('sender@example.com'), mailFromDomain: 'bounce.example.org' })))
      .toContain('mailFromDomain "bounce.example.org" must be a subdomain of "example.com"');
  });

  test('mailFromBehaviorOnMxFailure needs mailFromDomain', () => {
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', {
      identity: Identity.domain('example.com'),
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    }))).toContain('mailFromBehaviorOnMxFailure needs mailFromDomain');
  });

  test('a subdomain outside the hosted zone is refused', () => {
    expect(synthError((stack) => {
      const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
      new EmailIdentity(stack, 'Id', { identity: Identity.publicHostedZone(zone, 'mail.example.org.') });
    })).toContain('identity "mail.example.org" is not inside the hosted zone "example.com"');
  });

  test('tags are validated', () => {
    expect(synthError((stack) => new EmailIdentity(stack, 'Id', { identity: Identity.domain('example.com'), tags: { 'aws:owner': 'me' } })))
      .toMatch(/Mail\/Id.*tags: tag key "aws:owner" uses the reserved prefix/);
  });
});
