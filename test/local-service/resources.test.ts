// The local Pinpoint Email service through the real SDK client: resources, pagination, tags, isolation, recorded calls.
import {
  AlreadyExistsException, BadRequestException, CreateConfigurationSetCommand, LimitExceededException, CreateConfigurationSetEventDestinationCommand,
  CreateDedicatedIpPoolCommand, CreateDeliverabilityTestReportCommand, CreateEmailIdentityCommand, DeleteConfigurationSetCommand,
  DeleteConfigurationSetEventDestinationCommand, DeleteDedicatedIpPoolCommand, DeleteEmailIdentityCommand, GetAccountCommand,
  GetBlacklistReportsCommand, GetConfigurationSetCommand, GetConfigurationSetEventDestinationsCommand, GetDedicatedIpCommand,
  GetDedicatedIpsCommand, GetDeliverabilityDashboardOptionsCommand, GetDeliverabilityTestReportCommand, GetDomainDeliverabilityCampaignCommand,
  GetDomainStatisticsReportCommand, GetEmailIdentityCommand, ListConfigurationSetsCommand, ListDedicatedIpPoolsCommand,
  ListDomainDeliverabilityCampaignsCommand, ListEmailIdentitiesCommand, ListTagsForResourceCommand,
  MailFromDomainNotVerifiedException, MessageRejected, NotFoundException, paginateGetDedicatedIps, paginateListConfigurationSets,
  paginateListDedicatedIpPools, paginateListDeliverabilityTestReports, paginateListEmailIdentities, PinpointEmailClient,
  PutAccountDedicatedIpWarmupAttributesCommand, PutAccountSendingAttributesCommand, PutConfigurationSetDeliveryOptionsCommand,
  PutConfigurationSetReputationOptionsCommand, PutConfigurationSetSendingOptionsCommand, PutConfigurationSetTrackingOptionsCommand,
  PutDedicatedIpInPoolCommand, PutDedicatedIpWarmupAttributesCommand, PutDeliverabilityDashboardOptionCommand,
  PutEmailIdentityDkimAttributesCommand, PutEmailIdentityFeedbackAttributesCommand, PutEmailIdentityMailFromAttributesCommand,
  SendEmailCommand, SendingPausedException, TagResourceCommand, UntagResourceCommand, UpdateConfigurationSetEventDestinationCommand,
} from '@aws-sdk/client-pinpoint-email';
import { LocalPinpointEmailService } from '../support/local-service';
import { expectServiceError, localClient } from '../support/local-service/testing';

const ACCOUNT = '123456789012';
const arn = (type: string, name: string, account = ACCOUNT, region = 'us-east-1'): string => `arn:aws:ses:${region}:${account}:${type}/${name}`;
const simpleContent = { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi there' } } } };

let service: LocalPinpointEmailService;
let client: PinpointEmailClient;

beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
  Object.assign(process.env, service.clientEnv());
  client = localClient();
});
afterAll(async () => {
  client.destroy();
  await service.stop();
});
beforeEach(() => service.reset());

test('AWS_ENDPOINT_URL_PINPOINT_EMAIL routes a client built with no endpoint option to the service', async () => {
  const plain = new PinpointEmailClient({});
  try {
    const out = await plain.send(new GetAccountCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.SendingEnabled).toBe(true);
    expect(service.calls).toEqual([expect.objectContaining({ operation: 'GetAccount', accountId: ACCOUNT, region: 'us-east-1', status: 200 })]);
  } finally {
    plain.destroy();
  }
});

test('without AWS_ENDPOINT_URL_PINPOINT_EMAIL the same client would go to AWS (so the variable is what routes it)', async () => {
  const saved = process.env.AWS_ENDPOINT_URL_PINPOINT_EMAIL;
  const aws = new PinpointEmailClient({});
  // Stop the request just before it would be sent, and look where it was going.
  aws.middlewareStack.add(() => async (args) => {
    throw new Error(`would send to ${(args.request as { hostname: string }).hostname}`);
  }, { step: 'finalizeRequest', priority: 'low' });
  delete process.env.AWS_ENDPOINT_URL_PINPOINT_EMAIL; // the SDK reads it when it resolves the endpoint of a request
  try {
    await expect(aws.send(new GetAccountCommand({}))).rejects.toThrow('would send to email.us-east-1.amazonaws.com');
  } finally {
    process.env.AWS_ENDPOINT_URL_PINPOINT_EMAIL = saved;
    aws.destroy();
  }
  expect(service.calls).toEqual([]);
});

describe('configuration sets', () => {
  test('create with every option, get, list, put each option, delete', async () => {
    await client.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool-a' }));
    await client.send(new CreateConfigurationSetCommand({
      ConfigurationSetName: 'cs-1',
      TrackingOptions: { CustomRedirectDomain: 'track.example.com' },
      DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' },
      ReputationOptions: { ReputationMetricsEnabled: true, LastFreshStart: new Date('2024-01-02T03:04:05.500Z') },
      SendingOptions: { SendingEnabled: false },
      Tags: [{ Key: 'team', Value: 'mail' }],
    }));
    const got = await client.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs-1' }));
    expect(got).toMatchObject({
      ConfigurationSetName: 'cs-1',
      TrackingOptions: { CustomRedirectDomain: 'track.example.com' },
      DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: 'pool-a' },
      ReputationOptions: { ReputationMetricsEnabled: true, LastFreshStart: new Date('2024-01-02T03:04:05.500Z') },
      SendingOptions: { SendingEnabled: false },
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
    expect((await client.send(new ListConfigurationSetsCommand({}))).ConfigurationSets).toEqual(['cs-1']);

    await client.send(new PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'cs-1', TlsPolicy: 'OPTIONAL' }));
    await client.send(new PutConfigurationSetReputationOptionsCommand({ ConfigurationSetName: 'cs-1', ReputationMetricsEnabled: false }));
    await client.send(new PutConfigurationSetSendingOptionsCommand({ ConfigurationSetName: 'cs-1', SendingEnabled: true }));
    await client.send(new PutConfigurationSetTrackingOptionsCommand({ ConfigurationSetName: 'cs-1' }));
    const record = service.account().configurationSets.get('cs-1')!;
    expect(record.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL' });
    expect(record.ReputationOptions).toEqual({ ReputationMetricsEnabled: false, LastFreshStart: new Date('2024-01-02T03:04:05.500Z') });
    expect(record.SendingOptions).toEqual({ SendingEnabled: true });
    expect(record.TrackingOptions).toBeUndefined();
    expect(record.tags).toEqual({ team: 'mail' });

    await client.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: 'cs-1' }));
    expect(service.account().configurationSets.size).toBe(0);
    await expectServiceError(client.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'cs-1' })), NotFoundException, 404, 'Configuration set cs-1 does not exist.');
  });

  test('defaults of a bare create: TLS optional, sending on, reputation metrics off, no tracking', async () => {
    await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'bare' }));
    const got = await client.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'bare' }));
    expect(got).toMatchObject({
      DeliveryOptions: { TlsPolicy: 'OPTIONAL' }, SendingOptions: { SendingEnabled: true }, ReputationOptions: { ReputationMetricsEnabled: false }, Tags: [],
    });
    expect(got.TrackingOptions).toBeUndefined();
  });

  test('AlreadyExists on a second create; NotFound for an unknown sending pool on create and on PutConfigurationSetDeliveryOptions', async () => {
    await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'dup' }));
    await expectServiceError(client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'dup' })), AlreadyExistsException, 400, 'Configuration set dup already exists.');
    await expectServiceError(
      client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'other', DeliveryOptions: { SendingPoolName: 'nope' } })),
      NotFoundException, 404, 'Dedicated IP pool nope does not exist.');
    expect(service.account().configurationSets.has('other')).toBe(false);
    await expectServiceError(
      client.send(new PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'dup', SendingPoolName: 'nope' })), NotFoundException, 404, /nope/);
    await expectServiceError(client.send(new PutConfigurationSetSendingOptionsCommand({ ConfigurationSetName: 'ghost' })), NotFoundException, 404, /ghost/);
  });

  test('event destinations: create, get, update, delete', async () => {
    await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs-ev' }));
    const sns = { TopicArn: 'arn:aws:sns:us-east-1:123456789012:bounces' };
    await client.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-ev', EventDestinationName: 'to-sns', EventDestination: { Enabled: true, MatchingEventTypes: ['BOUNCE'], SnsDestination: sns },
    }));
    await expectServiceError(client.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-ev', EventDestinationName: 'to-sns', EventDestination: { MatchingEventTypes: ['SEND'], SnsDestination: sns },
    })), AlreadyExistsException, 400, /to-sns/);
    await client.send(new UpdateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-ev', EventDestinationName: 'to-sns', EventDestination: { MatchingEventTypes: ['SEND', 'COMPLAINT'], SnsDestination: sns },
    }));
    const got = await client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'cs-ev' }));
    expect(got.EventDestinations).toEqual([{ Name: 'to-sns', Enabled: false, MatchingEventTypes: ['SEND', 'COMPLAINT'], SnsDestination: sns }]);
    await client.send(new DeleteConfigurationSetEventDestinationCommand({ ConfigurationSetName: 'cs-ev', EventDestinationName: 'to-sns' }));
    await expectServiceError(client.send(new DeleteConfigurationSetEventDestinationCommand({ ConfigurationSetName: 'cs-ev', EventDestinationName: 'to-sns' })),
      NotFoundException, 404, /to-sns/);
    await expectServiceError(client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'nope' })), NotFoundException, 404);
    await expectServiceError(client.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-ev', EventDestinationName: 'two', EventDestination: { SnsDestination: sns, PinpointDestination: { ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/x' } },
    })), BadRequestException, 400, /exactly one/);
  });

  test('event destinations: the destination rules, the limit of 10 per set, and NotFound of the set or the destination', async () => {
    await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs-rules' }));
    const create = (name: string, destination: Record<string, unknown>) => client.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-rules', EventDestinationName: name, EventDestination: { MatchingEventTypes: ['BOUNCE'], ...destination },
    }));
    const dimension = (name: string, value: string) => ({ CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: name, DimensionValueSource: 'MESSAGE_TAG', DefaultDimensionValue: value }] } });
    await expectServiceError(create('d', dimension('has space', 'v')), BadRequestException, 400, /DimensionName "has space" is invalid/);
    await expectServiceError(create('d', dimension('n', 'x'.repeat(257))), BadRequestException, 400, /DefaultDimensionValue .* is invalid/);
    await expectServiceError(create('d', dimension('n', 'é')), BadRequestException, 400, /DefaultDimensionValue "é" is invalid/);
    await expectServiceError(create('d', { CloudWatchDestination: { DimensionConfigurations: [] } }), BadRequestException, 400, /at least one dimension/);
    await expectServiceError(create('d', { SnsDestination: { TopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' } }), BadRequestException, 400, /TopicArn .* is not a valid ARN/);
    await expectServiceError(create('d', { KinesisFirehoseDestination: { IamRoleArn: 'arn:aws:iam::123456789012:role/r', DeliveryStreamArn: 'arn:aws:s3:::bucket' } }),
      BadRequestException, 400, /DeliveryStreamArn .* is not a valid ARN/);
    await expectServiceError(client.send(new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-rules', EventDestinationName: 'd', EventDestination: { MatchingEventTypes: [], SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } },
    })), BadRequestException, 400, /at least one event type/);
    expect(service.account().configurationSets.get('cs-rules')!.eventDestinations.size).toBe(0);

    await create('cw', dimension('campaign', 'none'));
    await create('firehose', { KinesisFirehoseDestination: { IamRoleArn: 'arn:aws:iam::123456789012:role/r', DeliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/s' } });
    await create('pinpoint', { PinpointDestination: { ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd' } });
    for (let i = 4; i <= 10; i++) await create(`sns-${i}`, { SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } });
    await expectServiceError(create('eleventh', { SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } }),
      LimitExceededException, 400, 'Configuration set cs-rules already has 10 event destinations.');
    const listed = await client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'cs-rules' }));
    expect(listed.EventDestinations!.map((d) => d.Name)).toEqual(['cw', 'firehose', 'pinpoint', ...Array.from({ length: 7 }, (_, i) => `sns-${i + 4}`)]);
    expect(listed.EventDestinations![0]).toEqual({ Name: 'cw', Enabled: false, MatchingEventTypes: ['BOUNCE'], ...dimension('campaign', 'none') });

    await expectServiceError(client.send(new UpdateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: 'cs-rules', EventDestinationName: 'ghost', EventDestination: { MatchingEventTypes: ['SEND'], SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } },
    })), NotFoundException, 404, 'Event destination ghost does not exist in configuration set cs-rules.');
    await expectServiceError(client.send(new DeleteConfigurationSetEventDestinationCommand({ ConfigurationSetName: 'no-set', EventDestinationName: 'cw' })),
      NotFoundException, 404, 'Configuration set no-set does not exist.');
    await client.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: 'cs-rules' })); // its destinations go with it
    await expectServiceError(client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'cs-rules' })), NotFoundException, 404);
  });
});

describe('dedicated IP pools and IPs', () => {
  test('create, list, delete; a pool in use by a configuration set cannot be deleted', async () => {
    await client.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool-1', Tags: [{ Key: 'k', Value: 'v' }] }));
    await expectServiceError(client.send(new CreateDedicatedIpPoolCommand({ PoolName: 'pool-1' })), AlreadyExistsException, 400, 'Dedicated IP pool pool-1 already exists.');
    expect((await client.send(new ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toEqual(['pool-1']);
    expect(service.account().dedicatedIpPools.get('pool-1')).toEqual({ name: 'pool-1', tags: { k: 'v' } });

    await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'uses-pool', DeliveryOptions: { SendingPoolName: 'pool-1' } }));
    await expectServiceError(client.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'pool-1' })), BadRequestException, 400, /used by configuration set\(s\) uses-pool/);
    await client.send(new PutConfigurationSetDeliveryOptionsCommand({ ConfigurationSetName: 'uses-pool' }));
    await client.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'pool-1' }));
    await expectServiceError(client.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'pool-1' })), NotFoundException, 404);
  });

  test('seeded dedicated IPs: GetDedicatedIp(s), PutDedicatedIpInPool, PutDedicatedIpWarmupAttributes', async () => {
    const acct = service.account();
    acct.addDedicatedIpPool('warm');
    acct.addDedicatedIpPool('cold');
    acct.addDedicatedIp('192.0.2.1', 'warm');
    acct.addDedicatedIp('192.0.2.2', 'cold', 40);
    expect((await client.send(new GetDedicatedIpsCommand({ PoolName: 'warm' }))).DedicatedIps).toEqual([{ Ip: '192.0.2.1', WarmupStatus: 'DONE', WarmupPercentage: 100, PoolName: 'warm' }]);
    await client.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.2', DestinationPoolName: 'warm' }));
    await client.send(new PutDedicatedIpWarmupAttributesCommand({ Ip: '192.0.2.2', WarmupPercentage: 100 }));
    expect((await client.send(new GetDedicatedIpCommand({ Ip: '192.0.2.2' }))).DedicatedIp).toEqual({ Ip: '192.0.2.2', WarmupStatus: 'DONE', WarmupPercentage: 100, PoolName: 'warm' });
    await expectServiceError(client.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.2', DestinationPoolName: 'nope' })), NotFoundException, 404, /nope/);
    await expectServiceError(client.send(new GetDedicatedIpCommand({ Ip: '198.51.100.9' })), NotFoundException, 404);
    await expectServiceError(client.send(new GetDedicatedIpsCommand({ PoolName: 'nope' })), NotFoundException, 404);
    await expectServiceError(client.send(new PutDedicatedIpWarmupAttributesCommand({ Ip: '192.0.2.2', WarmupPercentage: 101 })), BadRequestException, 400, /between 0 and 100/);
  });

  test('every dedicated IP is in exactly one pool: the default pool when in none of the account\'s, and again when its pool is deleted', async () => {
    const acct = service.account();
    acct.addDedicatedIp('192.0.2.5');
    acct.addDedicatedIpPool('temp');
    expect((await client.send(new GetDedicatedIpCommand({ Ip: '192.0.2.5' }))).DedicatedIp?.PoolName).toBe('ses-default-dedicated-pool');
    await client.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.5', DestinationPoolName: 'temp' }));
    await client.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'temp' }));
    expect(acct.dedicatedIps.get('192.0.2.5')?.poolName).toBe('ses-default-dedicated-pool');
    await client.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.5', DestinationPoolName: 'ses-default-dedicated-pool' }));
    await expectServiceError(client.send(new PutDedicatedIpInPoolCommand({ Ip: '192.0.2.5', DestinationPoolName: 'ses-shared-pool' })), NotFoundException, 404, /ses-shared-pool/);
  });
});


describe('email identities', () => {
  test('a domain gets three DKIM tokens, PENDING, signing on, unverified until verifyIdentity', async () => {
    const created = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com', Tags: [{ Key: 'env', Value: 'test' }] }));
    expect(created.IdentityType).toBe('DOMAIN');
    expect(created.VerifiedForSendingStatus).toBe(false);
    expect(created.DkimAttributes?.Status).toBe('PENDING');
    expect(created.DkimAttributes?.SigningEnabled).toBe(true);
    expect(created.DkimAttributes?.Tokens).toHaveLength(3);
    for (const t of created.DkimAttributes!.Tokens!) expect(t).toMatch(/^[a-z0-9]{32}$/);

    service.account().verifyIdentity('example.com');
    const got = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    expect(got).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: true,
      FeedbackForwardingStatus: true,
      DkimAttributes: { Status: 'SUCCESS', Tokens: created.DkimAttributes!.Tokens },
      Tags: [{ Key: 'env', Value: 'test' }],
    });
    expect(got.MailFromAttributes).toBeUndefined();
  });

  test('re-creating an identity succeeds and answers the existing identity unchanged', async () => {
    const first = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.org', Tags: [{ Key: 'a', Value: '1' }] }));
    const again = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.org', Tags: [{ Key: 'b', Value: '2' }] }));
    expect(again.DkimAttributes?.Tokens).toEqual(first.DkimAttributes?.Tokens);
    expect(service.account().emailIdentities.get('example.org')?.tags).toEqual({ a: '1' });
  });

  test('an address identity (label percent-encoded on the wire), the three Put*Attributes, list, delete', async () => {
    const created = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'user+x@example.com' }));
    expect(created).toMatchObject({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: false, DkimAttributes: { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] } });
    await client.send(new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'user+x@example.com', SigningEnabled: true }));
    await client.send(new PutEmailIdentityFeedbackAttributesCommand({ EmailIdentity: 'user+x@example.com', EmailForwardingEnabled: false }));
    await client.send(new PutEmailIdentityMailFromAttributesCommand({ EmailIdentity: 'user+x@example.com', MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'REJECT_MESSAGE' }));
    const got = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'user+x@example.com' }));
    expect(got).toMatchObject({
      FeedbackForwardingStatus: false,
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: { MailFromDomain: 'bounce.example.com', MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
    });
    await expectServiceError(client.send(new PutEmailIdentityMailFromAttributesCommand({ EmailIdentity: 'user+x@example.com', MailFromDomain: 'mail.other.com' })),
      BadRequestException, 400, /must be a subdomain of example.com/);
    expect((await client.send(new ListEmailIdentitiesCommand({}))).EmailIdentities).toEqual([
      { IdentityName: 'user+x@example.com', IdentityType: 'EMAIL_ADDRESS', SendingEnabled: false },
    ]);
    await client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'user+x@example.com' }));
    await expectServiceError(client.send(new GetEmailIdentityCommand({ EmailIdentity: 'user+x@example.com' })), NotFoundException, 404, 'Email identity user+x@example.com does not exist.');
    await expectServiceError(client.send(new PutEmailIdentityFeedbackAttributesCommand({ EmailIdentity: 'gone@example.com' })), NotFoundException, 404);
  });
});

describe('deliverability dashboard and test reports', () => {
  test('dashboard off -> BadRequest; unknown sender -> NotFound; unverified -> MailFromDomainNotVerified', async () => {
    const create = () => client.send(new CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'sender@example.com', Content: simpleContent }));
    await expectServiceError(create(), BadRequestException, 400, /enable it with PutDeliverabilityDashboardOption/);
    await client.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: true, SubscribedDomains: [{ Domain: 'example.com' }] }));
    const dash = await client.send(new GetDeliverabilityDashboardOptionsCommand({}));
    expect(dash).toMatchObject({ DashboardEnabled: true, AccountStatus: 'ACTIVE', ActiveSubscribedDomains: [{ Domain: 'example.com' }] });
    await expectServiceError(create(), NotFoundException, 404, /Neither sender@example.com nor example.com is an email identity/);
    service.account().addEmailIdentity('example.com');
    await expectServiceError(create(), MailFromDomainNotVerifiedException, 400, /example.com is not verified/);
    service.account().verifyIdentity('example.com');
    expect((await create()).DeliverabilityTestStatus).toBe('IN_PROGRESS');
  });

  test('disabling an active dashboard leaves it PENDING_EXPIRATION (still reading as enabled) until the end of the month, and stops new tests', async () => {
    await client.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: true, SubscribedDomains: [{ Domain: 'example.com' }] }));
    await client.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: false }));
    const dash = await client.send(new GetDeliverabilityDashboardOptionsCommand({}));
    expect(dash).toMatchObject({
      DashboardEnabled: true, AccountStatus: 'PENDING_EXPIRATION', ActiveSubscribedDomains: [], PendingExpirationSubscribedDomains: [{ Domain: 'example.com' }],
    });
    const now = new Date();
    expect(dash.SubscriptionExpiryDate).toEqual(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1000));
    await expectServiceError(client.send(new CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'a@example.com', Content: simpleContent })),
      BadRequestException, 400, /Deliverability dashboard/);
    await expectServiceError(client.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: true, SubscribedDomains: [{ Domain: 'not a domain' }] })),
      BadRequestException, 400, /not a valid domain name/);
  });

  test('create (Simple and Raw), get, list, tag; reports have no delete', async () => {
    service.account().enableDashboard();
    service.account().addEmailIdentity('sender@example.com', { verified: true });
    const simple = await client.send(new CreateDeliverabilityTestReportCommand({
      ReportName: 'first', FromEmailAddress: 'Sender <sender@example.com>', Content: simpleContent, Tags: [{ Key: 'k', Value: 'v' }],
    }));
    expect(simple.ReportId).toMatch(/^[0-9a-f-]{36}$/);
    const raw = await client.send(new CreateDeliverabilityTestReportCommand({
      FromEmailAddress: 'sender@example.com',
      Content: { Raw: { Data: Buffer.from('From: sender@example.com\r\nSubject: Raw one\r\n\r\nbody') } },
    }));

    const got = await client.send(new GetDeliverabilityTestReportCommand({ ReportId: simple.ReportId }));
    expect(got.DeliverabilityTestReport).toMatchObject({
      ReportId: simple.ReportId, ReportName: 'first', Subject: 'Hello', FromEmailAddress: 'Sender <sender@example.com>', DeliverabilityTestStatus: 'IN_PROGRESS',
    });
    expect(got.DeliverabilityTestReport?.CreateDate).toBeInstanceOf(Date);
    expect(got.OverallPlacement).toEqual({ InboxPercentage: 0, SpamPercentage: 0, MissingPercentage: 0, SpfPercentage: 0, DkimPercentage: 0 });
    expect(got.IspPlacements).toEqual([]);
    expect(got.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    const rawReport = await client.send(new GetDeliverabilityTestReportCommand({ ReportId: raw.ReportId }));
    expect(rawReport.DeliverabilityTestReport?.Subject).toBe('Raw one');
    expect(rawReport.Message).toContain('Subject: Raw one');

    service.account().completeDeliverabilityTest(raw.ReportId!);
    const listed = [];
    for await (const page of paginateListDeliverabilityTestReports({ client }, {})) listed.push(...page.DeliverabilityTestReports!);
    expect(listed.map((r) => [r.ReportId, r.DeliverabilityTestStatus]).sort()).toEqual([[raw.ReportId, 'COMPLETED'], [simple.ReportId, 'IN_PROGRESS']].sort());

    await client.send(new TagResourceCommand({ ResourceArn: arn('deliverability-test-report', raw.ReportId!), Tags: [{ Key: 'x', Value: 'y' }] }));
    expect(service.account().deliverabilityTestReports.get(raw.ReportId!)?.tags).toEqual({ x: 'y' });
    await expectServiceError(client.send(new GetDeliverabilityTestReportCommand({ ReportId: 'r/1 x' })), NotFoundException, 404, 'Deliverability test report r/1 x does not exist.');
  });

  test('Content: exactly one of Simple, Raw or Template; Raw must decode to a message with headers and body; a Template names an email template of the account', async () => {
    service.account().enableDashboard();
    service.account().addEmailIdentity('example.com', { verified: true });
    const create = (Content: object) => client.send(new CreateDeliverabilityTestReportCommand({ FromEmailAddress: 'a@example.com', Content }));
    await expectServiceError(create({ ...simpleContent, Raw: { Data: Buffer.from('Subject: x\n\nbody') } }), BadRequestException, 400, /exactly one of Simple, Raw or Template \(got Simple, Raw\)/);
    await expectServiceError(create({}), BadRequestException, 400, /got none/);
    const template = 'arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/EMAIL';
    await expectServiceError(create({ Template: { TemplateArn: template.replace('123456789012', '210987654321') } }), BadRequestException, 400, /not an email template of this account and region/);
    await expectServiceError(create({ Template: { TemplateArn: template, TemplateData: '[1]' } }), BadRequestException, 400, /TemplateData must be a JSON object/);
    await expectServiceError(create({ Raw: { Data: new Uint8Array() } }), BadRequestException, 400, /non-empty/);
    await expectServiceError(create({ Raw: { Data: Buffer.from('no blank line') } }), BadRequestException, 400, /header and a body/);
    await expectServiceError(create({ Simple: { Subject: { Data: 's' }, Body: {} } }), BadRequestException, 400, /Text, Html or both/);
    expect(service.account().deliverabilityTestReports.size).toBe(0);
    await create({ Template: { TemplateArn: template, TemplateData: '{"name":"Ana"}' } });
    expect([...service.account().deliverabilityTestReports.values()].map((r) => r.subject)).toEqual([undefined]);
  });
});

describe('pagination through the SDK paginators', () => {
  test('configuration sets, pools, identities and dedicated IPs over several pages', async () => {
    const acct = service.account();
    for (let i = 0; i < 7; i++) {
      acct.addConfigurationSet(`cs-${i}`);
      acct.addDedicatedIpPool(`pool-${i}`);
      acct.addEmailIdentity(`d${i}.example.com`);
      acct.addDedicatedIp(`192.0.2.${10 + i}`, 'pool-0');
    }
    const pages: string[][] = [];
    for await (const page of paginateListConfigurationSets({ client, pageSize: 3 }, {})) pages.push(page.ConfigurationSets!);
    expect(pages).toEqual([['cs-0', 'cs-1', 'cs-2'], ['cs-3', 'cs-4', 'cs-5'], ['cs-6']]);

    const pools: string[] = [];
    for await (const page of paginateListDedicatedIpPools({ client, pageSize: 2 }, {})) pools.push(...page.DedicatedIpPools!);
    expect(pools).toHaveLength(7);
    const identities: string[] = [];
    for await (const page of paginateListEmailIdentities({ client, pageSize: 4 }, {})) {
      identities.push(...page.EmailIdentities!.map((e) => e.IdentityName!));
    }
    expect(identities).toEqual([...acct.emailIdentities.keys()].sort());
    const ips: string[] = [];
    for await (const page of paginateGetDedicatedIps({ client, pageSize: 5 }, { PoolName: 'pool-0' })) ips.push(...page.DedicatedIps!.map((ip) => ip.Ip!));
    expect(ips).toHaveLength(7);
    expect(service.callsOf('ListConfigurationSets').map((c) => c.input.PageSize)).toEqual([3, 3, 3]);
    expect(service.callsOf('GetDedicatedIps')).toHaveLength(2);
  });

  test('a resource deleted between pages does not shift the next page', async () => {
    for (const n of ['a', 'b', 'c', 'd']) service.account().addConfigurationSet(n);
    const first = await client.send(new ListConfigurationSetsCommand({ PageSize: 2 }));
    service.account().configurationSets.delete('b');
    const second = await client.send(new ListConfigurationSetsCommand({ PageSize: 2, NextToken: first.NextToken }));
    expect([first.ConfigurationSets, second.ConfigurationSets, second.NextToken]).toEqual([['a', 'b'], ['c', 'd'], undefined]);
  });

  test('an invalid token, a token of another operation, or PageSize above 1000 -> BadRequest', async () => {
    for (const n of ['a', 'b', 'c']) service.account().addConfigurationSet(n);
    service.account().addDedicatedIpPool('p');
    const { NextToken } = await client.send(new ListConfigurationSetsCommand({ PageSize: 1 }));
    expect(NextToken).toEqual(expect.any(String));
    await expectServiceError(client.send(new ListConfigurationSetsCommand({ NextToken: 'garbage' })), BadRequestException, 400, 'Invalid NextToken "garbage".');
    await expectServiceError(client.send(new ListDedicatedIpPoolsCommand({ NextToken })), BadRequestException, 400, /Invalid NextToken/);
    await expectServiceError(client.send(new ListConfigurationSetsCommand({ PageSize: 1001 })), BadRequestException, 400, /PageSize must be between 0 and 1000/);
  });
});

describe('tags', () => {
  const csArn = arn('configuration-set', 'tagged');
  beforeEach(() => service.account().addConfigurationSet('tagged', { tags: { a: '1', b: '2' } }));
  const live = async (resourceArn = csArn) => (await client.send(new ListTagsForResourceCommand({ ResourceArn: resourceArn }))).Tags;

  test('TagResource overwrites an existing key and adds new ones, keeping order', async () => {
    await client.send(new TagResourceCommand({ ResourceArn: csArn, Tags: [{ Key: 'b', Value: 'two' }, { Key: 'c', Value: '' }] }));
    expect(await live()).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two' }, { Key: 'c', Value: '' }]);
  });

  test('UntagResource removes present keys and ignores absent ones', async () => {
    await client.send(new UntagResourceCommand({ ResourceArn: csArn, TagKeys: ['a', 'not-there'] }));
    expect(await live()).toEqual([{ Key: 'b', Value: '2' }]);
    expect(service.callsOf('UntagResource')[0].input).toEqual({ ResourceArn: csArn, TagKeys: ['a', 'not-there'] });
  });

  test('Tag, Untag and ListTags on an ARN that does not exist -> NotFound', async () => {
    const missing = arn('identity', 'nobody@example.com');
    await expectServiceError(client.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: 'k', Value: 'v' }] })), NotFoundException, 404, `Resource ${missing} does not exist.`);
    await expectServiceError(client.send(new UntagResourceCommand({ ResourceArn: missing, TagKeys: ['k'] })), NotFoundException, 404);
    await expectServiceError(client.send(new ListTagsForResourceCommand({ ResourceArn: missing })), NotFoundException, 404);
  });

  test('tags on a pool and an identity through their ARNs (\' and @ literal in the ARN)', async () => {
    const acct = service.account();
    acct.addDedicatedIpPool('p1');
    acct.addEmailIdentity('o\'brien@example.com');
    for (const resourceArn of [arn('dedicated-ip-pool', 'p1'), arn('identity', 'o\'brien@example.com')]) {
      await client.send(new TagResourceCommand({ ResourceArn: resourceArn, Tags: [{ Key: 'owner', Value: 'me' }] }));
      expect(acct.tagsOf(resourceArn)).toEqual({ owner: 'me' });
    }
  });

  test('seeded aws: tags are listed, do not count toward 50, and cannot be removed', async () => {
    service.account().setTags(csArn, { 'aws:cloudformation:stack-name': 'S', ...Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])) });
    await client.send(new TagResourceCommand({ ResourceArn: csArn, Tags: [{ Key: 'fiftieth', Value: 'v' }] }));
    expect(await live()).toHaveLength(51);
    await expectServiceError(client.send(new UntagResourceCommand({ ResourceArn: csArn, TagKeys: ['aws:cloudformation:stack-name'] })), BadRequestException, 400, /cannot be removed/);
  });
});

describe('accounts and regions', () => {
  test('state is per (account, region): the account is a 12-digit access key id, the region the credential scope', async () => {
    const other = localClient({ accountId: '111122223333' });
    const west = localClient({ region: 'eu-west-1' });
    const nonNumeric = localClient({ accountId: 'AKIAEXAMPLE' });
    try {
      await other.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'same-name' }));
      await west.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'same-name' }));
      await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'same-name' }));
      await expectServiceError(nonNumeric.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'same-name' })), AlreadyExistsException, 400);
      expect(service.account('111122223333').configurationSets.has('same-name')).toBe(true);
      expect(service.account(ACCOUNT, 'eu-west-1').configurationSets.has('same-name')).toBe(true);
      expect(service.account().configurationSets.has('same-name')).toBe(true);
      expect(service.account('111122223333', 'eu-west-1').configurationSets.size).toBe(0);
      // ARNs are checked against the caller's account and region.
      await expectServiceError(west.send(new ListTagsForResourceCommand({ ResourceArn: arn('configuration-set', 'same-name') })), BadRequestException, 400, /region/);
      expect((await west.send(new ListTagsForResourceCommand({ ResourceArn: arn('configuration-set', 'same-name', ACCOUNT, 'eu-west-1') }))).Tags).toEqual([]);
      expect(service.calls.map((c) => `${c.accountId}/${c.region}`)).toEqual([
        '111122223333/us-east-1', `${ACCOUNT}/eu-west-1`, `${ACCOUNT}/us-east-1`, `${ACCOUNT}/us-east-1`, `${ACCOUNT}/eu-west-1`, `${ACCOUNT}/eu-west-1`,
      ]);
    } finally {
      [other, west, nonNumeric].forEach((c) => c.destroy());
    }
  });

  test('GetAccount and the account Put* operations; sending paused stops SendEmail', async () => {
    await client.send(new PutAccountDedicatedIpWarmupAttributesCommand({ AutoWarmupEnabled: false }));
    await client.send(new PutAccountSendingAttributesCommand({ SendingEnabled: false }));
    expect(await client.send(new GetAccountCommand({}))).toMatchObject({
      SendingEnabled: false, DedicatedIpAutoWarmupEnabled: false, EnforcementStatus: 'HEALTHY', SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
    });
    service.account().addEmailIdentity('example.com', { verified: true });
    const send = () => client.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.net'] }, Content: simpleContent }));
    await expectServiceError(send(), SendingPausedException, 400, /paused/);
    await client.send(new PutAccountSendingAttributesCommand({ SendingEnabled: true }));
    expect((await send()).MessageId).toEqual(service.account().sentEmails[0].messageId);
  });
});

describe('operations outside the four resources answer validly-shaped minimal responses', () => {
  test('SendEmail checks the sender and the configuration set', async () => {
    const send = (from: string, ConfigurationSetName?: string) => client.send(new SendEmailCommand({
      FromEmailAddress: from, ConfigurationSetName, Destination: { ToAddresses: ['to@example.net'] }, Content: simpleContent,
    }));
    await expectServiceError(send('who@example.com'), MessageRejected, 400, /Email address is not verified/);
    service.account().addEmailIdentity('who@example.com', { verified: true });
    await expectServiceError(send('who@example.com', 'nope'), NotFoundException, 404, /nope/);
    expect((await send('who@example.com')).MessageId).toEqual(expect.any(String));
  });

  test('blacklist, statistics and campaign operations', async () => {
    expect((await client.send(new GetBlacklistReportsCommand({ BlacklistItemNames: ['192.0.2.1', 'example.com'] }))).BlacklistReport).toEqual({ '192.0.2.1': [], 'example.com': [] });
    const StartDate = new Date('2024-01-01T00:00:00Z');
    const EndDate = new Date('2024-01-08T00:00:00Z');
    expect(await client.send(new GetDomainStatisticsReportCommand({ Domain: 'example.com', StartDate, EndDate }))).toMatchObject({ OverallVolume: {}, DailyVolumes: [] });
    expect(service.callsOf('GetDomainStatisticsReport')[0].input).toEqual({ Domain: 'example.com', StartDate, EndDate });
    await expectServiceError(client.send(new GetDomainStatisticsReportCommand({ Domain: 'example.com', StartDate: EndDate, EndDate: StartDate })), BadRequestException, 400, /StartDate/);
    expect((await client.send(new ListDomainDeliverabilityCampaignsCommand({ SubscribedDomain: 'example.com', StartDate, EndDate }))).DomainDeliverabilityCampaigns).toEqual([]);
    await expectServiceError(client.send(new GetDomainDeliverabilityCampaignCommand({ CampaignId: 'c1' })), NotFoundException, 404, /c1/);
  });
});

test('every call is recorded in order with its operation, API, merged input, account, region, status and error', async () => {
  await client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'rec', Tags: [{ Key: 'k', Value: 'v' }] }));
  await client.send(new PutConfigurationSetSendingOptionsCommand({ ConfigurationSetName: 'rec', SendingEnabled: false }));
  await client.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'missing' })).catch(() => undefined);
  const recorded = (operation: string, input: object, status = 200, errorName?: string) =>
    ({ operation, api: 'v1', input, accountId: ACCOUNT, region: 'us-east-1', status, ...(errorName ? { errorName } : {}), at: expect.any(Number), connection: expect.any(Number) });
  expect(service.calls).toEqual([
    recorded('CreateConfigurationSet', { ConfigurationSetName: 'rec', Tags: [{ Key: 'k', Value: 'v' }] }),
    recorded('PutConfigurationSetSendingOptions', { ConfigurationSetName: 'rec', SendingEnabled: false }),
    recorded('GetConfigurationSet', { ConfigurationSetName: 'missing' }, 404, 'NotFoundException'),
  ]);
  // One client, one kept-alive connection.
  expect(new Set(service.calls.map((c) => c.connection)).size).toBe(1);
  expect(service.callsOf('PutConfigurationSetSendingOptions')).toHaveLength(1);
  service.clearCalls();
  expect(service.calls).toEqual([]);
});
