/**
 * The email identity's options that only the SES API v2 has, through the SES v2 client: a default configuration set,
 * Easy DKIM's key length, and BYODKIM with its private key read from Secrets Manager at deploy time. The key never
 * appears in the response, the reason of a failure, or the logs.
 */
import { generateKeyPairSync } from 'crypto';
import * as v1 from '@aws-sdk/client-pinpoint-email';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BadRequestException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimSigningAttributesCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { CfnResponse, captureLogs, createEvent, EventOptions, HandlerHarness, Properties, SENT_OWNER_TAG, updateEvent } from './harness';
import { EMAIL_API_ENV, ResourceTypes } from '../../src/private/contract';

const api = mockClient(SESv2Client);
const secrets = mockClient(SecretsManagerClient);
const harness = new HandlerHarness();
const options: EventOptions = { resourceType: ResourceTypes.EMAIL_IDENTITY };

const DOMAIN = 'example.com';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-key-AbCdEf';
const OTHER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-key-2-GhIjKl';

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
/** What SES is sent: the PEM's base64 body. */
const KEY = PEM.split('\n').filter((line) => line !== '' && !line.startsWith('-----')).join('');
const PEM_LINES = PEM.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
/** The PEM's lines long enough to be told apart from other text (its last one may be a few characters). */
const LONG_PEM_LINES = PEM_LINES.filter((line) => line.length >= 16);

function props(extra: Properties = {}): Properties {
  return { SchemaVersion: '1', EmailIdentity: DOMAIN, ...extra };
}

function byoDkim(extra: Properties = {}): Properties {
  return { ByoDkim: { Selector: 'mail', PrivateKeySecretArn: SECRET_ARN, ...extra } };
}

function notFound(): NotFoundException {
  return new NotFoundException({ message: 'Email identity does not exist.', $metadata: { httpStatusCode: 404 } });
}

/** With BYODKIM, the API's tokens are the selector. */
const CREATED = { IdentityType: 'DOMAIN' as const, VerifiedForSendingStatus: false, DkimAttributes: { SigningEnabled: true, Status: 'PENDING' as const, Tokens: ['mail'] } };

/** Every call in order, of both clients, as [command, input]. */
function calls(): Array<[string, unknown]> {
  return [...api.calls(), ...secrets.calls()]
    .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
    .map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: unknown };
      return [command.constructor.name.replace(/Command$/, ''), command.input];
    });
}

let logs: ReturnType<typeof captureLogs>;

async function run(event: Parameters<HandlerHarness['run']>[0]): Promise<CfnResponse> {
  return (await harness.run(event)).body;
}

/** Neither the key nor any line of its PEM file is in `text`. */
function expectNoKeyIn(text: string): void {
  expect(text).not.toContain(KEY.slice(0, 40));
  for (const line of LONG_PEM_LINES) expect(text).not.toContain(line);
}

beforeAll(async () => {
  process.env[EMAIL_API_ENV] = 'sesv2';
  await harness.start();
});
afterAll(async () => {
  delete process.env[EMAIL_API_ENV];
  await harness.stop();
});
beforeEach(() => {
  api.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: PEM });
  logs = captureLogs();
});
afterEach(() => jest.restoreAllMocks());

describe('create', () => {
  test('BYODKIM and a default configuration set: the key is read after the existence check, and sent in the one create call', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(CREATED);

    const response = await run(createEvent(props({ ConfigurationSetName: 'transactional', ...byoDkim() }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['GetSecretValue', { SecretId: SECRET_ARN }],
      ['CreateEmailIdentity', {
        EmailIdentity: DOMAIN,
        Tags: [SENT_OWNER_TAG],
        ConfigurationSetName: 'transactional',
        DkimSigningAttributes: { DomainSigningSelector: 'mail', DomainSigningPrivateKey: KEY },
      }],
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: DOMAIN });
    // The response Data and the logs: no key.
    expectNoKeyIn(JSON.stringify(response));
    expectNoKeyIn(logs.lines().join('\n'));
  });

  test('the secret\'s JSON field, version id or staging label are read as declared', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(CREATED);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ privateKey: PEM }) });

    await run(createEvent(props(byoDkim({ PrivateKeyJsonField: 'privateKey', PrivateKeyVersionStage: 'AWSPREVIOUS' })), options));
    await run(createEvent(props(byoDkim({ PrivateKeyJsonField: 'privateKey', PrivateKeyVersionId: 'v-1' })), options));

    expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: SECRET_ARN, VersionStage: 'AWSPREVIOUS' },
      { SecretId: SECRET_ARN, VersionId: 'v-1' },
    ]);
    expect(api.commandCalls(CreateEmailIdentityCommand).map((call) => call.args[0].input.DkimSigningAttributes))
      .toEqual([{ DomainSigningSelector: 'mail', DomainSigningPrivateKey: KEY }, { DomainSigningSelector: 'mail', DomainSigningPrivateKey: KEY }]);
  });

  test('Easy DKIM with a key length: in the create call, no Put, no secret', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).resolves(CREATED);

    await run(createEvent(props({ DkimSigningKeyLength: 'RSA_1024_BIT' }), options));

    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['CreateEmailIdentity', { EmailIdentity: DOMAIN, Tags: [SENT_OWNER_TAG], DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } }],
    ]);
  });

  test('a secret that cannot be read fails the create before anything is created, naming the secret', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    secrets.on(GetSecretValueCommand).rejects(Object.assign(
      new Error(`User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN}`),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    ));

    const response = await run(createEvent(props(byoDkim()), options));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity', 'GetSecretValue']);
    expect(response.Status).toBe('FAILED');
    // The mock bypasses the client's middleware that names the operation (the lifecycle tests show it).
    expect(response.Reason).toBe(`Email identity "${DOMAIN}": failed: AccessDeniedException: ` +
      `User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN}`);
  });

  test('a secret that holds no usable key fails the create, and the reason quotes none of it', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    secrets.on(GetSecretValueCommand).resolves({ SecretString: PEM.replace(/A/g, '*') });

    const response = await run(createEvent(props(byoDkim()), options));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity', 'GetSecretValue']);
    expect(response.Reason).toBe(`Email identity "${DOMAIN}": the DKIM private key in the secret ${SECRET_ARN} is neither a PEM private key ` +
      'nor base64: store the PEM file (or its base64 body) as the secret\'s text');
  });

  test('an API error that echoes the key: the reason and the logs carry none of it', async () => {
    api.on(GetEmailIdentityCommand).rejects(notFound());
    api.on(CreateEmailIdentityCommand).rejects(new BadRequestException({
      message: `Invalid DomainSigningPrivateKey ${KEY} (line ${PEM_LINES[2]})`, $metadata: { httpStatusCode: 400 },
    }));

    const response = await run(createEvent(props(byoDkim()), options));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`Email identity "${DOMAIN}": failed: BadRequestException: Invalid DomainSigningPrivateKey [redacted] (line [redacted])`);
    expectNoKeyIn(JSON.stringify(response));
    expectNoKeyIn(logs.lines().join('\n'));
  });

  test('on the Pinpoint Email backend, an option only SES v2 has fails before any call (the Pinpoint Email client would drop it)', async () => {
    process.env[EMAIL_API_ENV] = 'pinpoint-email';
    try {
      const response = await run(createEvent(props({ ConfigurationSetName: 'transactional', DkimSigningKeyLength: 'RSA_1024_BIT' }), options));
      expect(response.Reason).toBe(`Email identity "${DOMAIN}": configurationSetName, dkimSigningKeyLength needs the SES API v2, and the ` +
        'handler runs on the Pinpoint Email API (its function\'s CDK_PINPOINT_EMAIL_API is not "sesv2"): deploy the stack with the ' +
        'context key cdk-pinpoint-email:api set to "sesv2"');
    } finally {
      process.env[EMAIL_API_ENV] = 'sesv2';
    }
    expect(calls()).toEqual([]);
  });
});

describe('update', () => {
  const LIVE = { IdentityType: 'DOMAIN' as const, FeedbackForwardingStatus: true, DkimAttributes: CREATED.DkimAttributes, Tags: [] };

  beforeEach(() => {
    api.on(GetEmailIdentityCommand).resolves(LIVE);
  });

  test('on Pinpoint Email, dropping the options only SES v2 has (a switch back, or the rollback of a switch) calls none of their Puts', async () => {
    const pinpoint = mockClient(v1.PinpointEmailClient);
    pinpoint.on(v1.GetEmailIdentityCommand).resolves(LIVE);
    process.env[EMAIL_API_ENV] = 'pinpoint-email';
    try {
      const response = await run(updateEvent(DOMAIN, props(), props({ ConfigurationSetName: 'transactional', ...byoDkim() }), options));
      expect(response.Status).toBe('SUCCESS');
    } finally {
      process.env[EMAIL_API_ENV] = 'sesv2';
    }
    expect(pinpoint.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetEmailIdentityCommand']);
    expect(calls()).toEqual([]);
    expect(logs.lines().join('\n')).toContain('previously set: configurationSetName, byoDkim');
    pinpoint.restore();
  });

  test('nothing changed: one read, no secret, no Put', async () => {
    const same = props({ ConfigurationSetName: 'transactional', ...byoDkim() });

    await run(updateEvent(DOMAIN, same, same, options));

    expect(calls()).toEqual([['GetEmailIdentity', { EmailIdentity: DOMAIN }]]);
  });

  test.each([
    ['the selector', byoDkim({ Selector: 'mail2' }), 'mail2'],
    ['the secret', byoDkim({ PrivateKeySecretArn: OTHER_SECRET_ARN }), 'mail'],
    ['the version read', byoDkim({ PrivateKeyVersionId: 'v-2' }), 'mail'],
  ])('a change of %s reads the key again and puts the signing attributes (EXTERNAL)', async (_, changed, selector) => {
    const response = await run(updateEvent(DOMAIN, props(changed), props(byoDkim()), options));

    const byo = (changed.ByoDkim as Record<string, string>);
    expect(calls()).toEqual([
      ['GetEmailIdentity', { EmailIdentity: DOMAIN }],
      ['GetSecretValue', { SecretId: byo.PrivateKeySecretArn, VersionId: byo.PrivateKeyVersionId }],
      ['PutEmailIdentityDkimSigningAttributes', {
        EmailIdentity: DOMAIN, SigningAttributesOrigin: 'EXTERNAL', SigningAttributes: { DomainSigningSelector: selector, DomainSigningPrivateKey: KEY },
      }],
    ]);
    expectNoKeyIn(JSON.stringify(response));
    expectNoKeyIn(logs.lines().join('\n'));
  });

  test('removing BYODKIM returns to Easy DKIM with the declared key length, or the default; no secret is read', async () => {
    await run(updateEvent(DOMAIN, props({ DkimSigningKeyLength: 'RSA_1024_BIT' }), props(byoDkim()), options));
    await run(updateEvent(DOMAIN, props(), props(byoDkim()), options));

    expect(api.commandCalls(PutEmailIdentityDkimSigningAttributesCommand).map((call) => call.args[0].input)).toEqual([
      { EmailIdentity: DOMAIN, SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } },
      { EmailIdentity: DOMAIN, SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } },
    ]);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('the rollback of an update that changed the secret reads and puts the old key again', async () => {
    await run(updateEvent(DOMAIN, props(byoDkim()), props(byoDkim({ PrivateKeySecretArn: OTHER_SECRET_ARN })), options));

    expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: SECRET_ARN }]);
    expect(api.commandCalls(PutEmailIdentityDkimSigningAttributesCommand)).toHaveLength(1);
  });

  test('Easy DKIM: a changed key length is put; the default written out is no change', async () => {
    await run(updateEvent(DOMAIN, props({ DkimSigningKeyLength: 'RSA_1024_BIT' }), props(), options));
    await run(updateEvent(DOMAIN, props({ DkimSigningKeyLength: 'RSA_2048_BIT' }), props(), options));

    expect(api.commandCalls(PutEmailIdentityDkimSigningAttributesCommand).map((call) => call.args[0].input)).toEqual([
      { EmailIdentity: DOMAIN, SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } },
    ]);
  });

  test('the default configuration set: added, changed, removed (the Put without a name)', async () => {
    await run(updateEvent(DOMAIN, props({ ConfigurationSetName: 'a' }), props(), options));
    await run(updateEvent(DOMAIN, props({ ConfigurationSetName: 'b' }), props({ ConfigurationSetName: 'a' }), options));
    await run(updateEvent(DOMAIN, props(), props({ ConfigurationSetName: 'b' }), options));

    expect(api.commandCalls(PutEmailIdentityConfigurationSetAttributesCommand).map((call) => call.args[0].input)).toEqual([
      { EmailIdentity: DOMAIN, ConfigurationSetName: 'a' },
      { EmailIdentity: DOMAIN, ConfigurationSetName: 'b' },
      { EmailIdentity: DOMAIN },
    ]);
  });

  test('unreadable old BYODKIM properties count as changed: the key is put again', async () => {
    await run(updateEvent(DOMAIN, props(byoDkim()), props({ ByoDkim: 'not an object' }), options));

    expect(calls().map(([operation]) => operation)).toEqual(['GetEmailIdentity', 'GetSecretValue', 'PutEmailIdentityDkimSigningAttributes']);
  });

  test('a Put that fails with the key in its message: the reason and the logs carry none of it', async () => {
    api.on(PutEmailIdentityDkimSigningAttributesCommand).rejects(new BadRequestException({
      message: `The key ${PEM_LINES.join('\n')} is not valid`, $metadata: { httpStatusCode: 400 },
    }));

    const response = await run(updateEvent(DOMAIN, props(byoDkim({ Selector: 'mail2' })), props(byoDkim()), options));

    expect(response.Status).toBe('FAILED');
    // The whole PEM body, its short last line too.
    expect(response.Reason).toBe('Email identity "example.com": failed: BadRequestException: The key [redacted] is not valid');
    expectNoKeyIn(JSON.stringify(response));
    expectNoKeyIn(logs.lines().join('\n'));
  });
});

test('a create whose Put fails after a BYODKIM create deletes the new identity, and says so without the key', async () => {
  api.rejects(new BadRequestException({ message: 'Injected.', $metadata: { httpStatusCode: 400 } }));
  api.on(GetEmailIdentityCommand).rejects(notFound()).on(CreateEmailIdentityCommand).resolves(CREATED).on(DeleteEmailIdentityCommand).resolves({});

  const response = await run(createEvent(props({ ...byoDkim(), FeedbackForwardingEnabled: false }), options));

  expect(calls().map(([operation]) => operation)).toEqual([
    'GetEmailIdentity', 'GetSecretValue', 'CreateEmailIdentity', 'PutEmailIdentityFeedbackAttributes', 'DeleteEmailIdentity',
  ]);
  expect(response.Reason).toBe(`Email identity "${DOMAIN}": failed: BadRequestException: Injected.`);
});
