// The local service's SES API v2 side through the real @aws-sdk/client-sesv2 (3.721.0): the v2 additions on the resources
// the library manages, one state behind both APIs, v1 answers without v2 members, the routes later SDKs send, IAM, faults.
import { createHash, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as v1 from '@aws-sdk/client-pinpoint-email';
import {
  AlreadyExistsException, BadRequestException, CreateConfigurationSetCommand, CreateConfigurationSetCommandInput,
  CreateConfigurationSetEventDestinationCommand, CreateContactListCommand, CreateDedicatedIpPoolCommand,
  CreateDeliverabilityTestReportCommand, CreateEmailIdentityCommand, GetAccountCommand, GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand, GetDedicatedIpCommand, GetDedicatedIpPoolCommand, GetDeliverabilityDashboardOptionsCommand,
  GetDeliverabilityTestReportCommand, GetEmailIdentityCommand, ListConfigurationSetsCommand, ListConfigurationSetsResponse,
  ListDedicatedIpPoolsCommand, ListEmailIdentitiesCommand, ListEmailIdentitiesResponse, ListTagsForResourceCommand, NotFoundException,
  PutAccountSendingAttributesCommand, PutConfigurationSetDeliveryOptionsCommand, PutConfigurationSetSendingOptionsCommand,
  PutConfigurationSetSuppressionOptionsCommand, PutConfigurationSetTrackingOptionsCommand, PutConfigurationSetVdmOptionsCommand,
  PutDedicatedIpInPoolCommand, PutDedicatedIpPoolScalingAttributesCommand, PutDeliverabilityDashboardOptionCommand,
  PutEmailIdentityConfigurationSetAttributesCommand, PutEmailIdentityDkimSigningAttributesCommand,
  PutEmailIdentityDkimSigningAttributesResponse, SESv2Client, SESv2ServiceException, TagResourceCommand, TooManyRequestsException,
  UntagResourceCommand,
} from '@aws-sdk/client-sesv2';
import { LocalPinpointEmailService, REDACTED } from '../support/local-service';
import { authorizationRequests } from '../support/local-service/iam-requests';
import { expectServiceError, localClient, localSesv2Client, rawRequest, sendRerouted } from '../support/local-service/testing';

const ACCOUNT = '123456789012';
const arn = (type: string, name: string): string => `arn:aws:ses:us-east-1:${ACCOUNT}:${type}/${name}`;
const SNS_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:events`;
const DEFAULT_BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
const simpleContent = { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi there' } } } };

/** A BYODKIM private key as SES takes it: the base64 of a DER RSA key, without PEM armour. */
function rsaKey(bits: number): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
}
const PRIVATE_KEY = rsaKey(1024);

let service: LocalPinpointEmailService;
let pinpoint: v1.PinpointEmailClient;
let sesv2: SESv2Client;

beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
  Object.assign(process.env, service.clientEnv());
  pinpoint = localClient();
  sesv2 = localSesv2Client();
});
afterAll(async () => {
  pinpoint.destroy();
  sesv2.destroy();
  await service.stop();
});
beforeEach(() => service.reset());

/** What the service answers on the wire to a v1 GET (the v1 SDK would drop unknown members, so it cannot tell). */
async function v1Wire(urlPath: string): Promise<any> {
  const r = await rawRequest(service.endpoint, 'GET', `/v1/email/${urlPath}`);
  expect(r.status).toBe(200);
  return r.body;
}

describe('the SES v2 client and the service', () => {
  test('the pinned client is 3.721.0, and AWS_ENDPOINT_URL_SESV2 (set by clientEnv) routes a client built with no endpoint option here', async () => {
    const manifest = path.join(require.resolve('@aws-sdk/client-sesv2').split('/dist-cjs/')[0], 'package.json');
    expect(JSON.parse(fs.readFileSync(manifest, 'utf8')).version).toBe('3.721.0');
    expect(service.clientEnv()).toMatchObject({ AWS_ENDPOINT_URL_SESV2: service.endpoint, AWS_ENDPOINT_URL_PINPOINT_EMAIL: service.endpoint });
    const plain = new SESv2Client({});
    try {
      expect((await plain.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);
    } finally {
      plain.destroy();
    }
    expect(service.calls).toEqual([expect.objectContaining({ operation: 'GetAccount', api: 'v2', accountId: ACCOUNT, status: 200 })]);
  });

  test('an SES v2 operation outside the resources the library manages -> 501 NotImplemented, recorded', async () => {
    const e = await expectServiceError(sesv2.send(new CreateContactListCommand({ ContactListName: 'list' })), SESv2ServiceException, 501,
      'The local service does not implement the SESv2 operation CreateContactList.');
    expect(e.name).toBe('NotImplemented');
    expect(service.calls.map((c) => [c.operation, c.api, c.status])).toEqual([['CreateContactList', 'v2', 501]]);
  });
});

describe('configuration sets: SES v2 options', () => {
  test('create with the v2 options; the v2 Get answers them, the v1 Get answers only v1 members on the wire', async () => {
    const options: CreateConfigurationSetCommandInput = {
      ConfigurationSetName: 'cs',
      TrackingOptions: { CustomRedirectDomain: 'track.example.com', HttpsPolicy: 'REQUIRE_OPEN_ONLY' },
      DeliveryOptions: { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 600 },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE'] },
      VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' }, GuardianOptions: { OptimizedSharedDelivery: 'DISABLED' } },
      Tags: [{ Key: 'team', Value: 'mail' }],
    };
    await sesv2.send(new CreateConfigurationSetCommand(options));
    expect(await sesv2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }))).toMatchObject(options);
    expect(await v1Wire('configuration-sets/cs')).toEqual({
      ConfigurationSetName: 'cs',
      TrackingOptions: { CustomRedirectDomain: 'track.example.com' },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: false },
      SendingOptions: { SendingEnabled: true },
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
  });

  test('PutConfigurationSetSuppressionOptions, PutConfigurationSetVdmOptions and the v2 forms of the tracking and delivery Puts', async () => {
    await sesv2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool' }));
    await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    const record = () => service.account().configurationSets.get('cs')!;
    expect(record()).not.toHaveProperty('SuppressionOptions');
    expect(record()).not.toHaveProperty('VdmOptions');

    await sesv2.send(new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: 'cs', SuppressedReasons: ['BOUNCE', 'COMPLAINT'] }));
    await sesv2.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'cs', VdmOptions: { GuardianOptions: { OptimizedSharedDelivery: 'ENABLED' } } }));
    await sesv2.send(new PutConfigurationSetTrackingOptionsCommand({ ConfigurationSetName: 'cs', CustomRedirectDomain: 'click.example.com', HttpsPolicy: 'REQUIRE' }));
    await sesv2.send(new PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'cs', SendingPoolName: 'pool', MaxDeliverySeconds: 50400 }));
    expect(record()).toMatchObject({
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      VdmOptions: { GuardianOptions: { OptimizedSharedDelivery: 'ENABLED' } },
      TrackingOptions: { CustomRedirectDomain: 'click.example.com', HttpsPolicy: 'REQUIRE' },
      DeliveryOptions: { TlsPolicy: 'OPTIONAL', SendingPoolName: 'pool', MaxDeliverySeconds: 50400 },
    });
    expect((await sesv2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }))).SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });

    // An empty list suppresses nothing; no list at all gives the set back to the account's settings (unverified); a Put
    // replaces every member (the v1 forms cannot carry the v2 ones).
    await sesv2.send(new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: 'cs', SuppressedReasons: [] }));
    expect(record().SuppressionOptions).toEqual({ SuppressedReasons: [] });
    await sesv2.send(new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: 'cs' }));
    expect(record()).not.toHaveProperty('SuppressionOptions');
    await sesv2.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'cs' }));
    await pinpoint.send(new v1.PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'cs', SendingPoolName: 'pool' }));
    await pinpoint.send(new v1.PutConfigurationSetTrackingOptionsCommand({ ConfigurationSetName: 'cs', CustomRedirectDomain: 'click.example.com' }));
    expect(record()).toMatchObject({
      VdmOptions: undefined,
      DeliveryOptions: { TlsPolicy: 'OPTIONAL', SendingPoolName: 'pool' },
      TrackingOptions: { CustomRedirectDomain: 'click.example.com' },
    });
    expect(record().DeliveryOptions).not.toHaveProperty('MaxDeliverySeconds');
    expect(record().TrackingOptions).not.toHaveProperty('HttpsPolicy');
    await expectServiceError(sesv2.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'nope' })), NotFoundException, 404,
      'Configuration set nope does not exist.');
  });

  test.each([
    ['MaxDeliverySeconds below its range', { DeliveryOptions: { MaxDeliverySeconds: 299 } }, 'DeliveryOptions.MaxDeliverySeconds must be between 300 and 50400 (got 299)'],
    ['an unknown HttpsPolicy', { TrackingOptions: { CustomRedirectDomain: 'a.example.com', HttpsPolicy: 'ALWAYS' } },
      'TrackingOptions.HttpsPolicy must be one of REQUIRE, REQUIRE_OPEN_ONLY, OPTIONAL (got "ALWAYS")'],
    ['an unknown suppression reason', { SuppressionOptions: { SuppressedReasons: ['SPAM'] } }, 'SuppressionOptions.SuppressedReasons[0] must be one of BOUNCE, COMPLAINT'],
    ['an unknown VDM status', { VdmOptions: { DashboardOptions: { EngagementMetrics: 'ON' } } }, 'VdmOptions.DashboardOptions.EngagementMetrics must be one of ENABLED, DISABLED'],
    ['HttpsPolicy without a custom redirect domain', { TrackingOptions: { HttpsPolicy: 'REQUIRE' } }, 'TrackingOptions.CustomRedirectDomain is required but missing'],
  ])('the v2 model rejects %s', async (_, options, message) => {
    await expectServiceError(sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'bad', ...options } as any)), BadRequestException, 400, message);
    expect(service.account().configurationSets.size).toBe(0);
  });

  test('HttpsPolicy needs a CustomRedirectDomain in the Put too; ArchivingOptions is refused; a v1 request with v2 members has them ignored', async () => {
    service.account().addConfigurationSet('cs');
    await expectServiceError(sesv2.send(new PutConfigurationSetTrackingOptionsCommand({ ConfigurationSetName: 'cs', HttpsPolicy: 'REQUIRE' })),
      BadRequestException, 400, 'HttpsPolicy needs a CustomRedirectDomain to apply to.');
    const archive = await rawRequest(service.endpoint, 'POST', '/v2/email/configuration-sets', {
      body: JSON.stringify({ ConfigurationSetName: 'archived', ArchivingOptions: { ArchiveArn: `arn:aws:ses:us-east-1:${ACCOUNT}:mailmanager-archive/a-${'0'.repeat(24)}` } }),
    });
    expect([archive.status, archive.body.message]).toEqual([400, 'ArchivingOptions: the local service does not implement Mail Manager archives.']);
    const v1Create = await rawRequest(service.endpoint, 'POST', '/v1/email/configuration-sets', {
      body: JSON.stringify({ ConfigurationSetName: 'plain', DeliveryOptions: { MaxDeliverySeconds: 600 }, SuppressionOptions: { SuppressedReasons: ['BOUNCE'] } }),
    });
    expect(v1Create.status).toBe(200);
    expect(service.account().configurationSets.get('plain')!.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL' });
    expect(service.account().configurationSets.get('plain')).not.toHaveProperty('SuppressionOptions');
  });
});

describe('dedicated IP pools: scaling mode', () => {
  test('CreateDedicatedIpPool ScalingMode, GetDedicatedIpPool, and a v1 pool reads as STANDARD', async () => {
    await sesv2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'managed', ScalingMode: 'MANAGED', Tags: [{ Key: 'k', Value: 'v' }] }));
    await pinpoint.send(new v1.CreateDedicatedIpPoolCommand({ PoolName: 'classic' }));
    expect((await sesv2.send(new GetDedicatedIpPoolCommand({ PoolName: 'managed' }))).DedicatedIpPool).toEqual({ PoolName: 'managed', ScalingMode: 'MANAGED' });
    expect((await sesv2.send(new GetDedicatedIpPoolCommand({ PoolName: 'classic' }))).DedicatedIpPool).toEqual({ PoolName: 'classic', ScalingMode: 'STANDARD' });
    expect((await pinpoint.send(new v1.ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toEqual(['classic', 'managed']);
    await expectServiceError(sesv2.send(new GetDedicatedIpPoolCommand({ PoolName: 'nope' })), NotFoundException, 404, 'Dedicated IP pool nope does not exist.');
  });

  test('PutDedicatedIpPoolScalingAttributes: STANDARD -> MANAGED, the same mode again, never MANAGED -> STANDARD', async () => {
    await sesv2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool' }));
    await sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'pool', ScalingMode: 'STANDARD' }));
    expect(service.account().dedicatedIpPools.get('pool')!.scalingMode).toBe('STANDARD');
    await sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'pool', ScalingMode: 'MANAGED' }));
    await sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'pool', ScalingMode: 'MANAGED' }));
    expect(service.account().dedicatedIpPools.get('pool')!.scalingMode).toBe('MANAGED');
    await expectServiceError(sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'pool', ScalingMode: 'STANDARD' })), BadRequestException, 400,
      'Dedicated IP pool pool is MANAGED: changing the scaling mode from MANAGED to STANDARD is not supported.');
    expect(service.account().dedicatedIpPools.get('pool')!.scalingMode).toBe('MANAGED');
    await expectServiceError(sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'pool', ScalingMode: 'AUTO' as any })), BadRequestException, 400,
      'ScalingMode must be one of STANDARD, MANAGED (got "AUTO")');
    await expectServiceError(sesv2.send(new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'nope', ScalingMode: 'MANAGED' })), NotFoundException, 404);
  });

  test('no dedicated IP can be moved into a MANAGED pool', async () => {
    service.account().addDedicatedIpPool('managed', {}, 'MANAGED');
    service.account().addDedicatedIp('192.0.2.1');
    await expectServiceError(sesv2.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.1', DestinationPoolName: 'managed' })), BadRequestException, 400,
      'Dedicated IP pool managed is MANAGED: Amazon SES chooses its IPs.');
    expect(service.account().dedicatedIps.get('192.0.2.1')!.poolName).toBe('ses-default-dedicated-pool');
  });
});

describe('email identities: DKIM signing attributes and the default configuration set', () => {
  test('Easy DKIM with a key length and a default configuration set; the v2 Get answers them, the v1 Get only v1 members on the wire', async () => {
    await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    const created = await sesv2.send(new CreateEmailIdentityCommand({
      EmailIdentity: 'example.com', DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' }, ConfigurationSetName: 'cs',
    }));
    expect(created.DkimAttributes).toMatchObject({ SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_1024_BIT', CurrentSigningKeyLength: 'RSA_1024_BIT' });
    const got = await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    expect(got).toMatchObject({
      IdentityType: 'DOMAIN',
      ConfigurationSetName: 'cs',
      VerificationStatus: 'PENDING',
      VerifiedForSendingStatus: false,
      Policies: {},
      DkimAttributes: {
        SigningEnabled: true,
        Status: 'PENDING',
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_1024_BIT',
        CurrentSigningKeyLength: 'RSA_1024_BIT',
        LastKeyGenerationTimestamp: expect.any(Date),
      },
    });
    expect(got.DkimAttributes!.Tokens).toHaveLength(3);
    expect(await v1Wire('identities/example.com')).toEqual({
      IdentityType: 'DOMAIN',
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: false,
      DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: got.DkimAttributes!.Tokens },
      Tags: [],
    });
    service.account().verifyIdentity('example.com');
    expect(await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }))).toMatchObject({ VerificationStatus: 'SUCCESS', DkimAttributes: { Status: 'SUCCESS' } });
  });

  test('a domain created without signing attributes (or through v1) reads as Easy DKIM with 2048-bit keys; an address has no signing attributes', async () => {
    await pinpoint.send(new v1.CreateEmailIdentityCommand({ EmailIdentity: 'example.org' }));
    await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'someone@example.org' }));
    expect((await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.org' }))).DkimAttributes)
      .toMatchObject({ SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_2048_BIT', CurrentSigningKeyLength: 'RSA_2048_BIT' });
    const address = await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'someone@example.org' }));
    expect(address.DkimAttributes).toEqual({ SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] });
    expect(address.ConfigurationSetName).toBeUndefined();
  });

  test('v2 answers AlreadyExistsException for an existing identity (v1 still answers it unchanged); a missing default set is NotFoundException', async () => {
    await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'Example.COM' })), AlreadyExistsException, 400,
      'Email identity example.com already exists.');
    expect((await pinpoint.send(new v1.CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }))).IdentityType).toBe('DOMAIN');
    await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'other.example.com', ConfigurationSetName: 'nope' })),
      NotFoundException, 404, 'Configuration set nope does not exist.');
    expect([...service.account().emailIdentities.keys()]).toEqual(['example.com']);
  });

  test('BYODKIM: the selector is the token, the origin EXTERNAL; the private key is in no answer and recorded redacted', async () => {
    const created = await sesv2.send(new CreateEmailIdentityCommand({
      EmailIdentity: 'example.net', DkimSigningAttributes: { DomainSigningSelector: 'sel1', DomainSigningPrivateKey: PRIVATE_KEY },
    }));
    expect(created.DkimAttributes).toEqual({ SigningEnabled: true, Status: 'PENDING', Tokens: ['sel1'], SigningAttributesOrigin: 'EXTERNAL' });
    expect(service.account().emailIdentities.get('example.net')!.dkimSigning)
      .toEqual({ origin: 'EXTERNAL', selector: 'sel1', privateKeySha256: createHash('sha256').update(PRIVATE_KEY).digest('hex') });
    const v2Wire = await rawRequest(service.endpoint, 'GET', '/v2/email/identities/example.net');
    expect(v2Wire.body.DkimAttributes).toEqual({ SigningEnabled: true, Status: 'PENDING', Tokens: ['sel1'], SigningAttributesOrigin: 'EXTERNAL' });
    expect(JSON.stringify([v2Wire.body, await v1Wire('identities/example.net')])).not.toContain(PRIVATE_KEY);
    expect(service.callsOf('CreateEmailIdentity')[0].input).toEqual({
      EmailIdentity: 'example.net', DkimSigningAttributes: { DomainSigningSelector: 'sel1', DomainSigningPrivateKey: REDACTED },
    });
    expect(JSON.stringify(service.calls)).not.toContain(PRIVATE_KEY);
  });

  test.each([
    ['a key that is no RSA key', { DomainSigningSelector: 's', DomainSigningPrivateKey: Buffer.from('not a key').toString('base64') },
      'DomainSigningPrivateKey must be a base64-encoded 1024-bit or 2048-bit RSA private key.'],
    ['a selector without a key', { DomainSigningSelector: 's' }, 'Bring Your Own DKIM (EXTERNAL) needs both DomainSigningSelector and DomainSigningPrivateKey.'],
    ['a key length with BYODKIM', { DomainSigningSelector: 's', DomainSigningPrivateKey: PRIVATE_KEY, NextSigningKeyLength: 'RSA_2048_BIT' },
      'NextSigningKeyLength is for Easy DKIM'],
    ['a selector outside the model pattern', { DomainSigningSelector: '-bad-', DomainSigningPrivateKey: PRIVATE_KEY }, 'DkimSigningAttributes.DomainSigningSelector must be text matching'],
    ['a key outside the model pattern', { DomainSigningSelector: 's', DomainSigningPrivateKey: `${PRIVATE_KEY}!` },
      'DkimSigningAttributes.DomainSigningPrivateKey must be text matching ^[a-zA-Z0-9+\\/]+={0,2}$ (got a value not shown: it is sensitive)'],
    ['an unknown key length', { NextSigningKeyLength: 'RSA_4096_BIT' }, 'DkimSigningAttributes.NextSigningKeyLength must be one of RSA_1024_BIT, RSA_2048_BIT'],
    ['replication from a parent identity', { DomainSigningAttributesOrigin: 'AWS_SES_EU_WEST_1' }, 'does not implement replicating DKIM'],
  ])('CreateEmailIdentity rejects %s, and neither the answer nor the record shows the key', async (_, attributes, message) => {
    const e = await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.net', DkimSigningAttributes: attributes as any })),
      BadRequestException, 400, message);
    expect(e.message).not.toContain(PRIVATE_KEY);
    expect(JSON.stringify(service.calls)).not.toContain(PRIVATE_KEY);
    expect(service.account().emailIdentities.size).toBe(0);
  });

  test('DkimSigningAttributes are for a domain only', async () => {
    await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'a@example.net', DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } })),
      BadRequestException, 400, 'DkimSigningAttributes can only be given for a domain identity, not for an email address.');
  });

  test('PutEmailIdentityDkimSigningAttributes at /v1/.../dkim/signing (pinned SDK) and /v2/.../dkim/signing (later SDKs): v2 semantics on both', async () => {
    await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    const record = () => service.account().emailIdentities.get('example.com')!;
    const easyTokens = record().dkim.Tokens;

    // To BYODKIM through the pinned SDK's route.
    const byodkim = await sesv2.send(new PutEmailIdentityDkimSigningAttributesCommand({
      EmailIdentity: 'example.com', SigningAttributesOrigin: 'EXTERNAL', SigningAttributes: { DomainSigningSelector: 'sel', DomainSigningPrivateKey: PRIVATE_KEY },
    }));
    expect([byodkim.DkimStatus, byodkim.DkimTokens]).toEqual(['PENDING', ['sel']]);
    expect(record().dkimSigning).toMatchObject({ origin: 'EXTERNAL', selector: 'sel' });

    // Back to Easy DKIM through the /v2 route: a new key pair.
    const easy = await sendRerouted<PutEmailIdentityDkimSigningAttributesResponse>(sesv2, new PutEmailIdentityDkimSigningAttributesCommand({
      EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
    }), { path: '/v2/email/identities/example.com/dkim/signing' });
    expect(easy.DkimTokens).toHaveLength(3);
    expect(easy.DkimTokens).not.toEqual(easyTokens);
    expect(record().dkimSigning).toMatchObject({ origin: 'AWS_SES', nextSigningKeyLength: 'RSA_1024_BIT', currentSigningKeyLength: 'RSA_1024_BIT' });

    // Easy DKIM again: the key pair stays, only the next key length changes (an absent one keeps it).
    await sesv2.send(new PutEmailIdentityDkimSigningAttributesCommand({
      EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES', SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
    }));
    await sesv2.send(new PutEmailIdentityDkimSigningAttributesCommand({ EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES' }));
    expect(record().dkim.Tokens).toEqual(easy.DkimTokens);
    expect(record().dkimSigning).toMatchObject({ origin: 'AWS_SES', nextSigningKeyLength: 'RSA_2048_BIT', currentSigningKeyLength: 'RSA_1024_BIT' });

    expect(service.callsOf('PutEmailIdentityDkimSigningAttributes').map((c) => [c.api, c.status])).toEqual([['v2', 200], ['v2', 200], ['v2', 200], ['v2', 200]]);
    expect(service.callsOf('PutEmailIdentityDkimSigningAttributes')[0].input.SigningAttributes).toEqual({ DomainSigningSelector: 'sel', DomainSigningPrivateKey: REDACTED });
    expect(JSON.stringify(service.calls)).not.toContain(PRIVATE_KEY);
  });

  test('PutEmailIdentityDkimSigningAttributes: unknown identity, an address, origin inside the attributes, replication', async () => {
    service.account().addEmailIdentity('a@example.com');
    service.account().addEmailIdentity('example.com');
    const put = (input: object) => sesv2.send(new PutEmailIdentityDkimSigningAttributesCommand({ EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES', ...input }));
    await expectServiceError(put({ EmailIdentity: 'nope.example.com' }), NotFoundException, 404, 'Email identity nope.example.com does not exist.');
    await expectServiceError(put({ EmailIdentity: 'a@example.com' }), BadRequestException, 400, /is an email address/);
    await expectServiceError(put({ SigningAttributes: { DomainSigningAttributesOrigin: 'AWS_SES' } }), BadRequestException, 400, /use SigningAttributesOrigin/);
    await expectServiceError(put({ SigningAttributesOrigin: 'AWS_SES_US_EAST_2' }), BadRequestException, 400, /does not implement replicating DKIM/);
    await expectServiceError(put({ SigningAttributes: { DomainSigningSelector: 's', DomainSigningPrivateKey: PRIVATE_KEY } }), BadRequestException, 400,
      /Easy DKIM \(AWS_SES\) takes no DomainSigningSelector/);
    await expectServiceError(put({ SigningAttributesOrigin: undefined }), BadRequestException, 400, 'SigningAttributesOrigin is required but missing');
    expect(service.account().emailIdentities.get('example.com')!.dkimSigning).toBeUndefined();
  });

  test('PutEmailIdentityConfigurationSetAttributes sets, changes and removes the default set; an unknown set is NotFoundException', async () => {
    service.account().addConfigurationSet('one');
    service.account().addConfigurationSet('two');
    service.account().addEmailIdentity('a@example.com');
    const put = (ConfigurationSetName?: string) => sesv2.send(new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: 'a@example.com', ConfigurationSetName }));
    const current = async () => (await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'a@example.com' }))).ConfigurationSetName;
    await put('one');
    expect(await current()).toBe('one');
    await put('two');
    expect(await current()).toBe('two');
    await expectServiceError(put('three'), NotFoundException, 404, 'Configuration set three does not exist.');
    expect(await current()).toBe('two');
    await put();
    expect(await current()).toBeUndefined();
    await expectServiceError(sesv2.send(new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: 'nobody@example.com' })), NotFoundException, 404);
  });
});

describe('event destinations: EventBridge and the v2 event types', () => {
  test('created through v2; v1 answers the destination without the members and event types its model lacks', async () => {
    service.account().addConfigurationSet('cs');
    await sesv2.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs',
      EventDestinationName: 'bus',
      EventDestination: { Enabled: true, MatchingEventTypes: ['BOUNCE', 'DELIVERY_DELAY', 'SUBSCRIPTION'], EventBridgeDestination: { EventBusArn: DEFAULT_BUS } },
    }));
    await sesv2.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs', EventDestinationName: 'topic', EventDestination: { MatchingEventTypes: ['DELIVERY_DELAY'], SnsDestination: { TopicArn: SNS_TOPIC } },
    }));
    expect((await sesv2.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'cs' }))).EventDestinations).toEqual([
      { Name: 'bus', Enabled: true, MatchingEventTypes: ['BOUNCE', 'DELIVERY_DELAY', 'SUBSCRIPTION'], EventBridgeDestination: { EventBusArn: DEFAULT_BUS } },
      { Name: 'topic', Enabled: false, MatchingEventTypes: ['DELIVERY_DELAY'], SnsDestination: { TopicArn: SNS_TOPIC } },
    ]);
    expect((await v1Wire('configuration-sets/cs/event-destinations')).EventDestinations).toEqual([
      { Name: 'bus', Enabled: true, MatchingEventTypes: ['BOUNCE'] },
      { Name: 'topic', Enabled: false, MatchingEventTypes: [], SnsDestination: { TopicArn: SNS_TOPIC } },
    ]);
  });

  test('v1 refuses the v2 event types and an EventBridge destination; the bus must be the default one', async () => {
    service.account().addConfigurationSet('cs');
    await expectServiceError(pinpoint.send(new v1.CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs', EventDestinationName: 'd', EventDestination: { MatchingEventTypes: ['DELIVERY_DELAY' as any], SnsDestination: { TopicArn: SNS_TOPIC } },
    })), v1.BadRequestException, 400, /MatchingEventTypes\[0\] must be one of SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE \(got "DELIVERY_DELAY"\)/);
    const v1Bus = await rawRequest(service.endpoint, 'POST', '/v1/email/configuration-sets/cs/event-destinations', {
      body: JSON.stringify({ EventDestinationName: 'd', EventDestination: { MatchingEventTypes: ['SEND'], EventBridgeDestination: { EventBusArn: DEFAULT_BUS } } }),
    });
    expect([v1Bus.status, v1Bus.body.message]).toEqual([400,
      'EventDestination must specify exactly one of KinesisFirehoseDestination, CloudWatchDestination, SnsDestination or PinpointDestination (got 0).']);
    await expectServiceError(sesv2.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs',
      EventDestinationName: 'd',
      EventDestination: { MatchingEventTypes: ['SEND'], EventBridgeDestination: { EventBusArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/custom` } },
    })), BadRequestException, 400, /EventBridgeDestination.EventBusArn .* is not a valid ARN for it/);
    await expectServiceError(sesv2.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs',
      EventDestinationName: 'd',
      EventDestination: { MatchingEventTypes: ['SEND'], EventBridgeDestination: { EventBusArn: DEFAULT_BUS }, SnsDestination: { TopicArn: SNS_TOPIC } },
    })), BadRequestException, 400,
    'EventDestination must specify exactly one of KinesisFirehoseDestination, CloudWatchDestination, SnsDestination, PinpointDestination or EventBridgeDestination (got 2).');
    expect(service.account().configurationSets.get('cs')!.eventDestinations.size).toBe(0);
  });
});

describe('deliverability test reports: SES v2 template content', () => {
  beforeEach(() => {
    service.account().enableDashboard();
    service.account().addEmailIdentity('example.com', { verified: true });
  });
  const create = (Template: object) => sesv2.send(new CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'a@example.com', Content: { Template } }));

  test('inline TemplateContent: its Subject is the report\'s; it needs a Text or Html part', async () => {
    const report = await create({ TemplateContent: { Subject: 'Inline', Text: 'Hi {{name}}' }, TemplateData: '{"name":"x"}' });
    expect(service.account().deliverabilityTestReports.get(report.ReportId!)).toMatchObject({ subject: 'Inline', status: 'IN_PROGRESS' });
    await expectServiceError(create({ TemplateContent: { Subject: 'No body' } }), BadRequestException, 400,
      'Content.Template.TemplateContent needs a Subject and a Text or Html part.');
    await expectServiceError(create({ TemplateContent: { Subject: 'S', Text: 't' }, TemplateData: '[1]' }), BadRequestException, 400,
      'Content.Template.TemplateData must be a JSON object.');
  });

  test('a TemplateName is NotFoundException (no SES template is held); two ways to name the template are refused', async () => {
    await expectServiceError(create({ TemplateName: 'welcome' }), NotFoundException, 404, 'Email template welcome does not exist.');
    await expectServiceError(create({ TemplateName: 'welcome', TemplateContent: { Subject: 'S', Text: 't' } }), BadRequestException, 400,
      'Content.Template must specify exactly one of TemplateArn, TemplateName or TemplateContent.');
    expect(service.account().deliverabilityTestReports.size).toBe(0);
  });
});

describe('one state behind both APIs', () => {
  test('created through v1, read through v2: set, destination, pool, identity, dedicated IP, report, tags, account and dashboard', async () => {
    service.account().addDedicatedIp('192.0.2.7');
    await pinpoint.send(new v1.CreateDedicatedIpPoolCommand({ PoolName: 'pool', Tags: [{ Key: 'k', Value: 'pool' }] }));
    await pinpoint.send(new v1.CreateConfigurationSetCommand({ ConfigurationSetName: 'cs', DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool' } }));
    await pinpoint.send(new v1.CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs', EventDestinationName: 'd', EventDestination: { MatchingEventTypes: ['SEND'], SnsDestination: { TopicArn: SNS_TOPIC } },
    }));
    await pinpoint.send(new v1.CreateEmailIdentityCommand({ EmailIdentity: 'example.com', Tags: [{ Key: 'k', Value: 'identity' }] }));
    await pinpoint.send(new v1.PutDedicatedIpInPoolCommand({ Ip: '192.0.2.7', DestinationPoolName: 'pool' }));
    await pinpoint.send(new v1.PutAccountSendingAttributesCommand({ SendingEnabled: true }));
    await pinpoint.send(new v1.PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: true }));
    service.account().verifyIdentity('example.com');
    const report = await pinpoint.send(new v1.CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'a@example.com', Content: simpleContent }));
    await pinpoint.send(new v1.TagResourceCommand({ ResourceArn: arn('configuration-set', 'cs'), Tags: [{ Key: 'via', Value: 'v1' }] }));

    expect(await sesv2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' })))
      .toMatchObject({ DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool' }, Tags: [{ Key: 'via', Value: 'v1' }] });
    expect((await sesv2.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'cs' }))).EventDestinations)
      .toEqual([{ Name: 'd', Enabled: false, MatchingEventTypes: ['SEND'], SnsDestination: { TopicArn: SNS_TOPIC } }]);
    expect((await sesv2.send(new ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toEqual(['pool']);
    expect((await sesv2.send(new GetDedicatedIpCommand({ Ip: '192.0.2.7' }))).DedicatedIp).toMatchObject({ PoolName: 'pool' });
    expect(await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' })))
      .toMatchObject({ VerifiedForSendingStatus: true, VerificationStatus: 'SUCCESS', Tags: [{ Key: 'k', Value: 'identity' }] });
    expect((await sesv2.send(new GetDeliverabilityTestReportCommand({ ReportId: report.ReportId }))).DeliverabilityTestReport)
      .toMatchObject({ ReportId: report.ReportId, Subject: 'Hello', DeliverabilityTestStatus: 'IN_PROGRESS' });
    expect((await sesv2.send(new ListTagsForResourceCommand({ ResourceArn: arn('dedicated-ip-pool', 'pool') }))).Tags).toEqual([{ Key: 'k', Value: 'pool' }]);
    expect((await sesv2.send(new GetDeliverabilityDashboardOptionsCommand({}))).AccountStatus).toBe('ACTIVE');
    await pinpoint.send(new v1.PutAccountSendingAttributesCommand({ SendingEnabled: false }));
    expect((await sesv2.send(new GetAccountCommand({}))).SendingEnabled).toBe(false);
  });

  test('created through v2, read through v1; tags through one API, removed through the other', async () => {
    await sesv2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool', ScalingMode: 'MANAGED' }));
    await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs', SuppressionOptions: { SuppressedReasons: [] }, Tags: [{ Key: 'a', Value: '1' }] }));
    await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'a@example.org', ConfigurationSetName: 'cs' }));
    await sesv2.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: true }));
    await sesv2.send(new PutAccountSendingAttributesCommand({ SendingEnabled: false }));
    await sesv2.send(new TagResourceCommand({ ResourceArn: arn('identity', 'a@example.org'), Tags: [{ Key: 'via', Value: 'v2' }] }));

    expect((await pinpoint.send(new v1.ListConfigurationSetsCommand({}))).ConfigurationSets).toEqual(['cs']);
    expect((await pinpoint.send(new v1.GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }))).Tags).toEqual([{ Key: 'a', Value: '1' }]);
    expect((await pinpoint.send(new v1.ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toEqual(['pool']);
    expect((await pinpoint.send(new v1.ListEmailIdentitiesCommand({}))).EmailIdentities)
      .toEqual([{ IdentityType: 'EMAIL_ADDRESS', IdentityName: 'a@example.org', SendingEnabled: false }]);
    expect((await pinpoint.send(new v1.ListTagsForResourceCommand({ ResourceArn: arn('identity', 'a@example.org') }))).Tags).toEqual([{ Key: 'via', Value: 'v2' }]);
    expect((await pinpoint.send(new v1.GetDeliverabilityDashboardOptionsCommand({}))).DashboardEnabled).toBe(true);
    expect((await pinpoint.send(new v1.GetAccountCommand({}))).SendingEnabled).toBe(false);

    await pinpoint.send(new v1.UntagResourceCommand({ ResourceArn: arn('configuration-set', 'cs'), TagKeys: ['a'] }));
    await sesv2.send(new TagResourceCommand({ ResourceArn: arn('configuration-set', 'cs'), Tags: [{ Key: 'b', Value: '2' }] }));
    expect((await pinpoint.send(new v1.ListTagsForResourceCommand({ ResourceArn: arn('configuration-set', 'cs') }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    await sesv2.send(new UntagResourceCommand({ ResourceArn: arn('configuration-set', 'cs'), TagKeys: ['b'] }));
    expect(service.account().configurationSets.get('cs')!.tags).toEqual({});
    service.account().verifyIdentity('a@example.org');
    await sesv2.send(new PutAccountSendingAttributesCommand({ SendingEnabled: true }));
    const report = await sesv2.send(new CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'a@example.org', Content: simpleContent }));
    expect((await pinpoint.send(new v1.ListDeliverabilityTestReportsCommand({}))).DeliverabilityTestReports)
      .toEqual([expect.objectContaining({ ReportId: report.ReportId, FromEmailAddress: 'a@example.org', Subject: 'Hello' })]);
  });
});

describe('the routes later SDKs send', () => {
  beforeEach(() => {
    for (const name of ['alpha', 'beta', 'alphabet', 'gamma']) service.account().addConfigurationSet(name);
    service.account().addEmailIdentity('a@example.com', { verified: true });
    service.account().addEmailIdentity('example.com');
    service.account().addEmailIdentity('Sales@Example.org');
  });
  const listSets = (body: Record<string, unknown>) => sendRerouted<ListConfigurationSetsResponse>(sesv2, new ListConfigurationSetsCommand({}),
    { method: 'POST', path: '/v2/email/list-configuration-sets', body: () => body });
  const listIdentities = (body: Record<string, unknown>) => sendRerouted<ListEmailIdentitiesResponse>(sesv2, new ListEmailIdentitiesCommand({}),
    { method: 'POST', path: '/v2/email/list-identities', body: () => body });

  test('POST /v2/email/list-configuration-sets: the body\'s PageSize and NextToken, and the name filter', async () => {
    const first = await listSets({ PageSize: 2 });
    expect(first.ConfigurationSets).toEqual(['alpha', 'alphabet']);
    expect((await listSets({ PageSize: 2, NextToken: first.NextToken })).ConfigurationSets).toEqual(['beta', 'gamma']);
    expect((await listSets({ Filter: { CONFIGURATION_SET_NAME_CONTAINS: 'alpha' } })).ConfigurationSets).toEqual(['alpha', 'alphabet']);
    // the model's GET route is still served
    expect((await sesv2.send(new ListConfigurationSetsCommand({ PageSize: 3 }))).ConfigurationSets).toEqual(['alpha', 'alphabet', 'beta']);
    expect(service.callsOf('ListConfigurationSets').map((c) => [c.api, c.input])).toEqual([
      ['v2', { PageSize: 2 }], ['v2', { PageSize: 2, NextToken: first.NextToken }], ['v2', { Filter: { CONFIGURATION_SET_NAME_CONTAINS: 'alpha' } }], ['v2', { PageSize: 3 }],
    ]);
  });

  test('POST /v2/email/list-identities: the name, type and verification status filters', async () => {
    const names = async (Filter: Record<string, string>) => (await listIdentities({ Filter })).EmailIdentities!.map((i) => i.IdentityName);
    expect(await names({ IDENTITY_NAME_CONTAINS: 'example.org' })).toEqual(['Sales@Example.org']);
    expect(await names({ IDENTITY_TYPE: 'DOMAIN' })).toEqual(['example.com']);
    expect(await names({ VERIFICATION_STATUS: 'SUCCESS' })).toEqual(['a@example.com']);
    expect(await names({ IDENTITY_TYPE: 'EMAIL_ADDRESS', VERIFICATION_STATUS: 'PENDING' })).toEqual(['Sales@Example.org']);
    const page = await listIdentities({ PageSize: 1 });
    expect(page.EmailIdentities).toEqual([{ IdentityType: 'EMAIL_ADDRESS', IdentityName: 'Sales@Example.org', SendingEnabled: false, VerificationStatus: 'PENDING' }]);
    expect((await listIdentities({ PageSize: 5, NextToken: page.NextToken })).EmailIdentities!.map((i) => i.IdentityName)).toEqual(['a@example.com', 'example.com']);
  });

  test('the POST routes validate the body against the SDK\'s model: filter keys, filter values, types', async () => {
    const post = (urlPath: string, body: unknown) => rawRequest(service.endpoint, 'POST', `/v2/email/${urlPath}`, { body: JSON.stringify(body) });
    const badKey = await post('list-configuration-sets', { Filter: { NAME_CONTAINS: 'a' } });
    expect([badKey.status, badKey.body.message]).toEqual([400, '1 validation error detected: Filter key must be one of CONFIGURATION_SET_NAME_CONTAINS (got "NAME_CONTAINS")']);
    const badValue = await post('list-identities', { Filter: { IDENTITY_TYPE: 'PERSON' } });
    expect([badValue.status, badValue.body.message]).toEqual([400, 'Filter IDENTITY_TYPE must be one of EMAIL_ADDRESS, DOMAIN, MANAGED_DOMAIN (got "PERSON").']);
    const badType = await post('list-identities', { PageSize: '5' });
    expect([badType.status, badType.body.message]).toEqual([400, '1 validation error detected: PageSize must be an integer (got "5")']);
    const tooBig = await post('list-identities', { PageSize: 1001 });
    expect([tooBig.status, tooBig.body.message]).toEqual([400, 'PageSize must be between 0 and 1000 (got 1001).']);
    expect((await post('list-identities', {})).body.EmailIdentities).toHaveLength(3);
  });
});

describe('IAM evaluates v2 requests as v1 requests', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/handler`;
  const asRole = () => localSesv2Client({ credentials: service.iam.credentialsFor(ROLE) });
  /** Runs `use` with `client`, then destroys the client. */
  const using = async <C extends { destroy(): void }>(client: C, use: (c: C) => Promise<void>) => {
    try {
      await use(client);
    } finally {
      client.destroy();
    }
  };
  const allow = (action: string | string[], resource: string | string[], condition?: object) => service.iam.setRolePolicies(ROLE, [{
    name: 'p', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }] },
  }]);

  test('a v2-only action on its resource; denied elsewhere, with AWS\'s message, and nothing changes', async () => {
    service.account().addConfigurationSet('mine');
    service.account().addConfigurationSet('theirs');
    allow('ses:PutConfigurationSetVdmOptions', arn('configuration-set', 'mine'));
    await using(asRole(), async (client) => {
      await client.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'mine', VdmOptions: { DashboardOptions: { EngagementMetrics: 'ENABLED' } } }));
      await expectServiceError(client.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'theirs', VdmOptions: {} })), SESv2ServiceException, 403,
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/handler/handler is not authorized to perform: ses:PutConfigurationSetVdmOptions on resource: `
        + `${arn('configuration-set', 'theirs')} because no identity-based policy allows the ses:PutConfigurationSetVdmOptions action`);
    });
    expect(service.account().configurationSets.get('mine')!.VdmOptions).toEqual({ DashboardOptions: { EngagementMetrics: 'ENABLED' } });
    expect(service.account().configurationSets.get('theirs')!.VdmOptions).toBeUndefined();
    expect(service.callsOf('PutConfigurationSetVdmOptions').map((c) => [c.roleArn, c.status, c.errorName])).toEqual([[ROLE, 200, undefined], [ROLE, 403, 'AccessDeniedException']]);
  });

  test('PutEmailIdentityConfigurationSetAttributes is authorized on the identity and on the configuration set it names', async () => {
    service.account().addConfigurationSet('cs');
    service.account().addEmailIdentity('example.com');
    allow('ses:PutEmailIdentityConfigurationSetAttributes', arn('identity', 'example.com'));
    await using(asRole(), async (client) => {
      await client.send(new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: 'example.com' }));
      await expectServiceError(client.send(new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: 'example.com', ConfigurationSetName: 'cs' })),
        SESv2ServiceException, 403, new RegExp(`on resource: ${arn('configuration-set', 'cs')} because`));
    });
  });

  test('the Service Authorization data knows the six v2-only actions: each is evaluated on the resources it names', async () => {
    const state = service.account();
    const requests = async (operation: string, input: Record<string, unknown>) =>
      (await authorizationRequests(operation, input, state, 'new-id', 'v2')).map((r) => [r.action, r.resource, r.context['ses:ApiVersion']]);
    expect(await requests('PutConfigurationSetSuppressionOptions', { ConfigurationSetName: 'cs' }))
      .toEqual([['ses:PutConfigurationSetSuppressionOptions', arn('configuration-set', 'cs'), '2']]);
    expect(await requests('PutConfigurationSetVdmOptions', { ConfigurationSetName: 'cs' })).toEqual([['ses:PutConfigurationSetVdmOptions', arn('configuration-set', 'cs'), '2']]);
    expect(await requests('GetDedicatedIpPool', { PoolName: 'pool' })).toEqual([['ses:GetDedicatedIpPool', arn('dedicated-ip-pool', 'pool'), '2']]);
    expect(await requests('PutDedicatedIpPoolScalingAttributes', { PoolName: 'pool', ScalingMode: 'MANAGED' }))
      .toEqual([['ses:PutDedicatedIpPoolScalingAttributes', arn('dedicated-ip-pool', 'pool'), '2']]);
    expect(await requests('PutEmailIdentityDkimSigningAttributes', { EmailIdentity: 'example.com', SigningAttributesOrigin: 'AWS_SES' }))
      .toEqual([['ses:PutEmailIdentityDkimSigningAttributes', arn('identity', 'example.com'), '2']]);
    expect(await requests('PutEmailIdentityConfigurationSetAttributes', { EmailIdentity: 'example.com', ConfigurationSetName: 'cs' })).toEqual([
      ['ses:PutEmailIdentityConfigurationSetAttributes', arn('configuration-set', 'cs'), '2'],
      ['ses:PutEmailIdentityConfigurationSetAttributes', arn('identity', 'example.com'), '2'],
    ]);
    expect(await requests('PutEmailIdentityConfigurationSetAttributes', { EmailIdentity: 'example.com' }))
      .toEqual([['ses:PutEmailIdentityConfigurationSetAttributes', arn('identity', 'example.com'), '2']]);
  });

  test('the same policy allows the same operation through either API; ses:ApiVersion "2" is set on v2 requests only', async () => {
    allow('ses:CreateDedicatedIpPool', arn('dedicated-ip-pool', '*'), { StringEquals: { 'ses:ApiVersion': '2' } });
    await using(asRole(), (client) => client.send(new CreateDedicatedIpPoolCommand({ PoolName: 'through-v2' })).then(() => undefined));
    await using(localClient({ credentials: service.iam.credentialsFor(ROLE) }), async (client) => {
      await expectServiceError(client.send(new v1.CreateDedicatedIpPoolCommand({ PoolName: 'through-v1' })), v1.PinpointEmailServiceException, 403,
        /not authorized to perform: ses:CreateDedicatedIpPool on resource: .*dedicated-ip-pool\/through-v1/);
      allow('ses:CreateDedicatedIpPool', arn('dedicated-ip-pool', '*'));
      await client.send(new v1.CreateDedicatedIpPoolCommand({ PoolName: 'through-v1' }));
    });
    expect([...service.account().dedicatedIpPools.keys()]).toEqual(['through-v2', 'through-v1']);
  });
});

describe('faults and the record cover v2 calls', () => {
  test('failNext for one API or for both; an error only v2 declares can only be injected into v2 calls', async () => {
    service.failNext('GetAccount', 1, 'TooManyRequestsException', 'slow down', 'v2');
    expect((await pinpoint.send(new v1.GetAccountCommand({}))).SendingEnabled).toBe(true);
    await expectServiceError(sesv2.send(new GetAccountCommand({})), TooManyRequestsException, 429, 'slow down');
    service.failNext('GetAccount', 1, 'TooManyRequestsException');
    await expectServiceError(pinpoint.send(new v1.GetAccountCommand({})), v1.TooManyRequestsException, 429);
    expect((await sesv2.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);

    expect(() => service.failNext('CreateEmailIdentity', 1, 'AlreadyExistsException')).toThrow(/CreateEmailIdentity declares .* in v1/);
    service.failNext('CreateEmailIdentity', 1, 'AlreadyExistsException', 'taken', 'v2');
    await expectServiceError(sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' })), AlreadyExistsException, 400, 'taken');
    expect(() => service.failNext('GetDedicatedIpPool', 1, 'NotFoundException', undefined, 'v1')).toThrow('failNext: unknown operation GetDedicatedIpPool in v1');
  });

  test('dropped connections and the rate limit count v2 calls too', async () => {
    service.dropNextConnections(1, 'GetDedicatedIpPool');
    await expect(sesv2.send(new GetDedicatedIpPoolCommand({ PoolName: 'p' }))).rejects.toThrow();
    service.setRateLimit(1);
    await pinpoint.send(new v1.GetAccountCommand({}));
    await expectServiceError(sesv2.send(new GetAccountCommand({})), TooManyRequestsException, 429);
    expect(service.calls.map((c) => [c.operation, c.api, c.status, c.errorName])).toEqual([
      ['GetDedicatedIpPool', 'v2', 0, 'ConnectionDropped'], ['GetAccount', 'v1', 200, undefined], ['GetAccount', 'v2', 429, 'TooManyRequestsException'],
    ]);
  });

  test('the record says which API each call came through: callsOf(operation, api) and writeCalls(api)', async () => {
    await pinpoint.send(new v1.CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    await sesv2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    await sesv2.send(new PutConfigurationSetSendingOptionsCommand({ ConfigurationSetName: 'cs', SendingEnabled: false }));
    await pinpoint.send(new v1.GetConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    expect(service.callsOf('GetConfigurationSet').map((c) => c.api)).toEqual(['v2', 'v1']);
    expect(service.callsOf('GetConfigurationSet', 'v2')).toHaveLength(1);
    expect(service.writeCalls().map((c) => [c.operation, c.api])).toEqual([['CreateConfigurationSet', 'v1'], ['PutConfigurationSetSendingOptions', 'v2']]);
    expect(service.writeCalls('v2').map((c) => c.operation)).toEqual(['PutConfigurationSetSendingOptions']);
    await rawRequest(service.endpoint, 'GET', '/v2/email/nothing-here');
    expect(service.calls.at(-1)).toMatchObject({ operation: '(unknown)', status: 404 });
    expect(service.calls.at(-1)).not.toHaveProperty('api');
    expect(service.writeCalls()).toHaveLength(2);
  });
});
