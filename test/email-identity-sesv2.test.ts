/**
 * EmailIdentity's options that only the SES API v2 has: a default configuration set, Easy DKIM's key length, and
 * BYODKIM with its private key in a Secrets Manager secret. Refused on the Pinpoint Email API; unset, they change no
 * template; the key itself is never in the template.
 */
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ByoDkimOptions, ConfigurationSet, DkimIdentity, EasyDkimSigningKeyLength, EmailApi, EmailApiVersion, EmailIdentity, EmailIdentityProps, Identity,
} from '../src';
import { synthErrors } from './support/synth';

const RESOURCE_TYPE = 'Custom::PinpointEmailIdentity';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dkim-key-AbCdEf';
const PUBLIC_KEY = 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDdkimPublicKeyForTheTestsOnlyAB';
const SWITCH = 'set the context key cdk-pinpoint-email:api to "sesv2", or call EmailApi.use(stack, EmailApiVersion.SES_V2)';

/** A stack on `api` (EmailApi.use), or on the default API (`'default'`: Pinpoint Email). */
function newStack(api: EmailApiVersion | 'default' = EmailApiVersion.SES_V2): Stack {
  const stack = new Stack(new App(), 'Mail', { env: { account: '123456789012', region: 'eu-west-1' } });
  if (api !== 'default') EmailApi.use(stack, api);
  return stack;
}

function byoDkim(stack: Stack, options: Partial<ByoDkimOptions> = {}): DkimIdentity {
  return DkimIdentity.byoDkim({ privateKey: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Key', SECRET_ARN), selector: 'mail', ...options });
}

function identity(stack: Stack, props: Omit<EmailIdentityProps, 'identity'> = {}, value: Identity = Identity.domain('example.com')): EmailIdentity {
  return new EmailIdentity(stack, 'Domain', { identity: value, ...props });
}

function identityProperties(stack: Stack): Record<string, unknown> {
  const resources = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE));
  expect(resources).toHaveLength(1);
  return resources[0].Properties;
}

/** The statements of the email identities' policy. */
function identityStatements(stack: Stack): Array<Record<string, any>> {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: 'PinpointEmailEmailIdentity' } });
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

function statement(stack: Stack, sid: string): Record<string, any> | undefined {
  return identityStatements(stack).find((s) => s.Sid === sid);
}

/** An ARN as the handler's policy writes it (one Fn::Sub). */
const identityArn = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ses:eu-west-1:123456789012:identity/${name}` });

describe('on the Pinpoint Email API, each option fails synthesis, naming the construct, the prop and the switch', () => {
  test.each([
    ['configurationSet', (stack: Stack) => ({ configurationSet: ConfigurationSet.fromConfigurationSetName(stack, 'Set', 'transactional') })],
    ['dkimIdentity', () => ({ dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_1024_BIT) })],
    ['dkimIdentity', (stack: Stack) => ({ dkimIdentity: byoDkim(stack) })],
  ])('%s', (prop, props) => {
    const stack = newStack('default');
    identity(stack, props(stack));
    expect(synthErrors(stack)).toContain(`[Mail/Domain] ${prop} needs the SES API v2, and this stack uses the Pinpoint Email API: ${SWITCH}`);
  });
});

describe('unset, they add nothing', () => {
  test('the properties are those of an identity before SES v2, on either API', () => {
    for (const api of [EmailApiVersion.PINPOINT_EMAIL, EmailApiVersion.SES_V2]) {
      const stack = newStack(api);
      identity(stack);
      expect(Object.keys(identityProperties(stack)).sort()).toEqual(['EmailIdentity', 'SchemaVersion', 'ServiceTimeout', 'ServiceToken']);
    }
  });

  test('on the Pinpoint Email API, the policy grants no operation that only SES v2 has', () => {
    const stack = newStack('default');
    identity(stack);
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(text).not.toContain('PutEmailIdentityDkimSigningAttributes');
    expect(text).not.toContain('PutEmailIdentityConfigurationSetAttributes');
    expect(text).not.toContain('secretsmanager');
  });
});

describe('the grants of SES v2\'s Puts: whenever the stack uses SES v2, set or not (removing an option calls them too)', () => {
  const ACTIONS = ['ses:PutEmailIdentityDkimSigningAttributes', 'ses:PutEmailIdentityConfigurationSetAttributes'];

  test('on the identity, and on the identities this stack created', () => {
    const stack = newStack();
    identity(stack);
    expect(statement(stack, 'ManageEmailIdentitiesOnSesV2')).toEqual({
      Sid: 'ManageEmailIdentitiesOnSesV2', Effect: 'Allow', Action: ACTIONS, Resource: identityArn('example.com'),
    });
    expect(statement(stack, 'ManageResourcesOwnedByThisStack')!.Action).toEqual(expect.arrayContaining(ACTIONS));
  });

  test('EmailApi.use after the constructs still grants them, and a later Pinpoint Email choice still leaves them out', () => {
    const late = new Stack(new App(), 'Mail', { env: { account: '123456789012', region: 'eu-west-1' } });
    identity(late);
    EmailApi.use(late, EmailApiVersion.SES_V2);
    expect(statement(late, 'ManageEmailIdentitiesOnSesV2')).toBeDefined();

    const context = new Stack(new App({ context: { [EmailApi.CONTEXT_KEY]: 'sesv2' } }), 'Mail');
    identity(context);
    EmailApi.use(context, EmailApiVersion.PINPOINT_EMAIL);
    expect(statement(context, 'ManageEmailIdentitiesOnSesV2')).toBeUndefined();
    expect(statement(context, 'ManageResourcesOwnedByThisStack')!.Action).not.toContain(ACTIONS[0]);
  });
});

test('switching a stack with an identity changes the handler and the identities\' policy only: no custom resource', () => {
  const templates = (['default', EmailApiVersion.SES_V2] as const).map((api) => {
    const stack = newStack(api);
    identity(stack);
    return Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  });
  const changed = Object.keys(templates[0]).filter((id) => JSON.stringify(templates[0][id]) !== JSON.stringify(templates[1][id]));
  expect(changed.map((id) => templates[0][id].Type).sort()).toEqual(['AWS::IAM::Policy', 'AWS::Lambda::Function']);
  expect(Object.keys(templates[1]).sort()).toEqual(Object.keys(templates[0]).sort());
});

describe('configurationSet', () => {
  test('a set of the stack: its Ref (the identity is created after it), and the Put granted on its declared ARN', () => {
    const stack = newStack();
    const set = new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    identity(stack, { configurationSet: set });

    const setId = stack.getLogicalId(set.node.defaultChild!.node.defaultChild as never);
    expect(identityProperties(stack).ConfigurationSetName).toEqual({ Ref: setId });
    expect(statement(stack, 'UseDefaultConfigurationSets')).toEqual({
      Sid: 'UseDefaultConfigurationSets',
      Effect: 'Allow',
      Action: 'ses:PutEmailIdentityConfigurationSetAttributes',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ses:eu-west-1:123456789012:configuration-set/transactional' },
    });
  });

  test('an imported set: its name as it is', () => {
    const stack = newStack();
    identity(stack, { configurationSet: ConfigurationSet.fromConfigurationSetName(stack, 'Set', 'imported') });
    expect(identityProperties(stack).ConfigurationSetName).toBe('imported');
  });

  test('a set of another region fails synthesis', () => {
    const stack = newStack();
    identity(stack, {
      configurationSet: ConfigurationSet.fromConfigurationSetArn(stack, 'Set', 'arn:aws:ses:us-east-1:123456789012:configuration-set/other'),
    });
    expect(synthErrors(stack)).toContain('[Mail/Domain] configurationSet is in region us-east-1, and the identity in eu-west-1: ' +
      'a default configuration set must be in the identity\'s account and region');
  });
});

describe('dkimIdentity: Easy DKIM', () => {
  test('the key length is a property; Easy DKIM without one adds nothing', () => {
    const stack = newStack();
    identity(stack, { dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_1024_BIT) });
    expect(identityProperties(stack)).toMatchObject({ DkimSigningKeyLength: 'RSA_1024_BIT' });

    const plain = newStack();
    identity(plain, { dkimIdentity: DkimIdentity.easyDkim() });
    expect(identityProperties(plain)).not.toHaveProperty('DkimSigningKeyLength');
  });

  test('a key length that is not an EasyDkimSigningKeyLength (plain JavaScript), or an email address, fails synthesis', () => {
    const stack = newStack();
    identity(stack, { dkimIdentity: DkimIdentity.easyDkim('RSA_4096_BIT' as EasyDkimSigningKeyLength) });
    expect(synthErrors(stack)).toContain('[Mail/Domain] dkimIdentity "RSA_4096_BIT" is not a EasyDkimSigningKeyLength: use one of ' +
      'EasyDkimSigningKeyLength.RSA_1024_BIT, EasyDkimSigningKeyLength.RSA_2048_BIT');

    const address = newStack();
    identity(address, { dkimIdentity: DkimIdentity.easyDkim() }, Identity.email('sender@example.com'));
    expect(synthErrors(address)).toContain('[Mail/Domain] dkimIdentity applies to domain identities only');
  });
});

describe('dkimIdentity: BYODKIM, the private key in a secret', () => {
  test('the properties name the secret by ARN, never its value', () => {
    const stack = newStack();
    identity(stack, { dkimIdentity: byoDkim(stack, { privateKeyJsonField: 'privateKey', privateKeyVersionStage: 'AWSPENDING' }) });

    expect(identityProperties(stack).ByoDkim).toEqual({
      Selector: 'mail', PrivateKeySecretArn: SECRET_ARN, PrivateKeyJsonField: 'privateKey', PrivateKeyVersionStage: 'AWSPENDING',
    });
  });

  test('a secret of the stack: the identity waits for it (Ref), and no secret value is in the template', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'DkimKey');
    identity(stack, { dkimIdentity: DkimIdentity.byoDkim({ privateKey: secret, selector: 'mail' }) });

    const secretId = stack.getLogicalId(secret.node.defaultChild as secretsmanager.CfnSecret);
    expect(identityProperties(stack).ByoDkim).toEqual({ Selector: 'mail', PrivateKeySecretArn: { Ref: secretId } });
    expect(statement(stack, 'ReadDkimPrivateKeys')).toEqual({
      Sid: 'ReadDkimPrivateKeys', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a secret whose value the app writes in the template is warned about', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'DkimKey', { secretStringValue: SecretValue.unsafePlainText('-----BEGIN PRIVATE KEY-----') });
    identity(stack, { dkimIdentity: DkimIdentity.byoDkim({ privateKey: secret, selector: 'mail' }) });
    Annotations.fromStack(stack).hasWarning('/Mail/DkimKey', Match.stringLikeRegexp('holds a DKIM private key, and its value is written in the template'));
  });

  test('the handler may read that secret alone, and decrypt it through Secrets Manager with its customer-managed key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Cmk');
    const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Key', { secretCompleteArn: SECRET_ARN, encryptionKey: key });
    identity(stack, { dkimIdentity: DkimIdentity.byoDkim({ privateKey: secret, selector: 'mail' }) });

    expect(statement(stack, 'ReadDkimPrivateKeys')).toEqual({
      Sid: 'ReadDkimPrivateKeys', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN,
    });
    expect(statement(stack, 'DecryptDkimPrivateKeys')).toEqual({
      Sid: 'DecryptDkimPrivateKeys',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
    // No other statement names a secret or a key.
    const others = identityStatements(stack).filter((s) => !['ReadDkimPrivateKeys', 'DecryptDkimPrivateKeys'].includes(s.Sid));
    expect(JSON.stringify(others)).not.toMatch(/secretsmanager|kms:/);
  });

  test('a secret imported by name: read by its partial ARN, granted with the suffix Secrets Manager adds', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'dkim-key');
    identity(stack, { dkimIdentity: DkimIdentity.byoDkim({ privateKey: secret, selector: 'mail' }) });

    const partial = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:123456789012:secret:dkim-key']] };
    expect((identityProperties(stack).ByoDkim as Record<string, unknown>).PrivateKeySecretArn).toEqual(partial);
    expect(statement(stack, 'ReadDkimPrivateKeys')!.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:eu-west-1:123456789012:secret:dkim-key-??????',
    });
  });

  test('the key given as text or as a SecretValue (plain JavaScript) fails synthesis without repeating it', () => {
    for (const privateKey of ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', SecretValue.unsafePlainText('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')]) {
      const stack = newStack();
      identity(stack, { dkimIdentity: DkimIdentity.byoDkim({ privateKey: privateKey as unknown as secretsmanager.ISecret, selector: 'mail' }) });
      const errors = synthErrors(stack);
      expect(errors).toContain('[Mail/Domain] dkimIdentity privateKey must be a Secrets Manager secret (ISecret)');
      expect(errors).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    }
  });

  test('a selector outside the API\'s rule, both a version id and a stage, or an email address fail synthesis', () => {
    const stack = newStack();
    identity(stack, { dkimIdentity: byoDkim(stack, { selector: '-mail', privateKeyVersionId: 'v1', privateKeyVersionStage: 'AWSCURRENT' }) });
    const errors = synthErrors(stack);
    expect(errors).toContain('[Mail/Domain] dkimIdentity selector "-mail" is invalid: 1 to 63 letters, digits and hyphens, starting and ending with a letter or a digit');
    expect(errors).toContain('[Mail/Domain] dkimIdentity privateKeyVersionId and privateKeyVersionStage: give at most one of them');

    const address = newStack();
    identity(address, { dkimIdentity: byoDkim(address) }, Identity.email('sender@example.com'));
    expect(synthErrors(address)).toContain('[Mail/Domain] dkimIdentity applies to domain identities only');
  });

  test('no DKIM tokens or CNAME records; with the public key, its TXT record, published in the zone', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const domain = identity(stack, { dkimIdentity: byoDkim(stack, { publicKey: `-----BEGIN PUBLIC KEY-----\n${PUBLIC_KEY}\n-----END PUBLIC KEY-----\n` }) },
      Identity.publicHostedZone(zone));

    expect(domain.dkimTokens).toEqual([]);
    expect(domain.dkimRecords).toEqual([{ name: 'mail._domainkey.example.com', type: 'TXT', value: `p=${PUBLIC_KEY}` }]);
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'CNAME' }, 0);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'TXT', Name: 'mail._domainkey.example.com.', ResourceRecords: [`"p=${PUBLIC_KEY}"`],
    });
  });

  test('without the public key nothing is published, and the wait names the record to publish', () => {
    const stack = newStack();
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const domain = identity(stack, { dkimIdentity: byoDkim(stack) }, Identity.publicHostedZone(zone));
    domain.waitForVerification();

    expect(domain.dkimRecords).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('Custom::PinpointEmailIdentityVerification', {
      Records: 'mail._domainkey.example.com TXT p=<the public key of your DKIM key pair>',
    });
  });
});
