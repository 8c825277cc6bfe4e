// The local service's SES API v2 side through the real @aws-sdk/client-sesv2 (3.721.0): the v2 additions on the resources
// the library manages, one state behind both APIs, v1 answers without v2 members, the routes later SDKs send, IAM, faults.
import * as fs from 'fs';
import * as path from 'path';
import * as v1 from '@aws-sdk/client-pinpoint-email';
import {
  AlreadyExistsException, BadRequestException, CreateConfigurationSetCommand, CreateConfigurationSetCommandInput,
  CreateConfigurationSetEventDestinationCommand, CreateContactListCommand, CreateDedicatedIpPoolCommand, CreateEmailIdentityCommand,
  GetAccountCommand, GetConfigurationSetCommand, GetConfigurationSetEventDestinationsCommand, GetDedicatedIpPoolCommand, NotFoundException,
  PutConfigurationSetDeliveryOptionsCommand, PutConfigurationSetSendingOptionsCommand, PutConfigurationSetSuppressionOptionsCommand,
  PutConfigurationSetTrackingOptionsCommand, PutConfigurationSetVdmOptionsCommand, PutDedicatedIpInPoolCommand,
  PutDedicatedIpPoolScalingAttributesCommand, SESv2Client, SESv2ServiceException, TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { LocalPinpointEmailService } from '../support/local-service';
import { expectServiceError, localClient, localSesv2Client, rawRequest } from '../support/local-service/testing';

const ACCOUNT = '123456789012';
const SNS_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:events`;
const DEFAULT_BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;

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

    // An empty list suppresses nothing; a Put replaces every member (the v1 forms cannot carry the v2 ones).
    await sesv2.send(new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: 'cs' }));
    await sesv2.send(new PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'cs' }));
    await pinpoint.send(new v1.PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'cs', SendingPoolName: 'pool' }));
    await pinpoint.send(new v1.PutConfigurationSetTrackingOptionsCommand({ ConfigurationSetName: 'cs', CustomRedirectDomain: 'click.example.com' }));
    expect(record()).toMatchObject({
      SuppressionOptions: { SuppressedReasons: [] },
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
