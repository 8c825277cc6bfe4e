/**
 * The behaviour of the operations on one AccountState: the 42 of Pinpoint Email, which SES v2 has too, and the SES v2
 * operations on the same resources. Input arrives validated against the model of the API called (types, required
 * members, enums) with model defaults applied, so a Pinpoint Email call never carries an SES v2 member; each handler checks
 * the documented constraints, changes the state and returns SES v2's output members (each API answers those of its own
 * output shapes: output.ts). Errors are only those the operation declares in the model of the API called (via `c.fail`).
 *
 * Where the model and the docs are silent, the choice made is marked [decision] (or [unverified] for a guess at AWS's rule).
 */
import { randomUUID } from 'crypto';
import type {
  CreateConfigurationSetEventDestinationRequest, CreateConfigurationSetRequest, CreateDedicatedIpPoolRequest,
  CreateDeliverabilityTestReportRequest, CreateEmailIdentityRequest, DeleteConfigurationSetEventDestinationRequest,
  DeleteConfigurationSetRequest, DeleteDedicatedIpPoolRequest, DeleteEmailIdentityRequest, EmailContent, EventDestinationDefinition,
  GetBlacklistReportsRequest, GetConfigurationSetEventDestinationsRequest, GetConfigurationSetRequest, GetDedicatedIpRequest,
  GetDedicatedIpsRequest, GetDeliverabilityTestReportRequest, GetDomainDeliverabilityCampaignRequest, GetDomainStatisticsReportRequest,
  GetEmailIdentityRequest, ListConfigurationSetsRequest, ListDedicatedIpPoolsRequest, ListDeliverabilityTestReportsRequest,
  ListDomainDeliverabilityCampaignsRequest, ListEmailIdentitiesRequest, ListTagsForResourceRequest,
  PutAccountDedicatedIpWarmupAttributesRequest, PutAccountSendingAttributesRequest, PutConfigurationSetDeliveryOptionsRequest,
  PutConfigurationSetReputationOptionsRequest, PutConfigurationSetSendingOptionsRequest, PutConfigurationSetTrackingOptionsRequest,
  PutDedicatedIpInPoolRequest, PutDedicatedIpWarmupAttributesRequest, PutDeliverabilityDashboardOptionRequest,
  PutEmailIdentityDkimAttributesRequest, PutEmailIdentityFeedbackAttributesRequest, PutEmailIdentityMailFromAttributesRequest,
  SendEmailRequest, TagResourceRequest, UntagResourceRequest, UpdateConfigurationSetEventDestinationRequest,
  DkimSigningAttributes, GetDedicatedIpPoolRequest, PutConfigurationSetSuppressionOptionsRequest,
  PutConfigurationSetVdmOptionsRequest, PutDedicatedIpPoolScalingAttributesRequest, PutEmailIdentityConfigurationSetAttributesRequest,
  PutEmailIdentityDkimSigningAttributesRequest, TrackingOptions,
} from '@aws-sdk/client-sesv2';
import { ApiVersion, APIS } from './apis';
import {
  addressOf, checkName, checkTagCount, checkTagKey, checkTags, CONFIGURATION_SET_NAME, domainOf, EVENT_DESTINATION_NAME, isDomain,
  isEmailAddress, isReservedTagText, MANAGED_POOLS, parseArn, POOL_NAME, Tag,
} from './constraints';
import { applySigning, dkimAttributes, requestedSigning, signingOf } from './dkim';
import { badRequest, ServiceError } from './errors';
import { Paginator } from './pagination';
import {
  AccountState, ConfigurationSetRecord, DEFAULT_DEDICATED_POOL, DedicatedIpPoolRecord, DedicatedIpRecord, DeliverabilityTestReportRecord,
  EmailIdentityRecord,
} from './state';

export interface OperationContext<I> {
  readonly operation: string;
  /** the API the call came through (its model validated the input) */
  readonly api: ApiVersion;
  readonly input: I;
  readonly state: AccountState;
  readonly paginator: Paginator;
  /** The id a create without a name gives its resource (chosen before IAM evaluates the request). */
  readonly newId: string;
  /** An error the operation declares in the model (throws a local-service bug otherwise). */
  fail(errorName: string, message: string): ServiceError;
}
type Output = Record<string, unknown>;
type Handler<I> = (c: OperationContext<I>) => Output;

// Quotas AWS documents (SES developer guide); a create beyond them is LimitExceededException.
const MAX_POOLS = 50;
const MAX_IDENTITIES = 10000;
const MAX_EVENT_DESTINATIONS = 10;

const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Validated request tags (Key and Value are required by the model) as a record, checked against the documented rules. */
function requestTags(tags: readonly unknown[] | undefined): Record<string, string> {
  const list = (tags ?? []) as Tag[];
  checkTags(list);
  const record = Object.fromEntries(list.map((t) => [t.Key, t.Value]));
  checkTagCount(record);
  return record;
}

function checkDomainName(what: string, domain: string): void {
  if (!isDomain(domain)) throw badRequest(`${what} ${JSON.stringify(domain)} is not a valid domain name.`);
}

// ---- lookups: NotFoundException (404) for unknown names ----

function configurationSet(c: OperationContext<{ ConfigurationSetName?: string }>): ConfigurationSetRecord {
  const name = c.input.ConfigurationSetName!;
  const record = c.state.configurationSets.get(name);
  if (!record) throw c.fail('NotFoundException', `Configuration set ${name} does not exist.`);
  return record;
}
function emailIdentity(c: OperationContext<{ EmailIdentity?: string }>): EmailIdentityRecord {
  const name = c.input.EmailIdentity!;
  const record = c.state.findEmailIdentity(name);
  if (!record) throw c.fail('NotFoundException', `Email identity ${name} does not exist.`);
  return record;
}
function dedicatedIpPool(c: OperationContext<{ PoolName?: string }>): DedicatedIpPoolRecord {
  const record = c.state.dedicatedIpPools.get(c.input.PoolName!);
  if (!record) throw c.fail('NotFoundException', `Dedicated IP pool ${c.input.PoolName} does not exist.`);
  return record;
}
function dedicatedIp(c: OperationContext<{ Ip?: string }>): DedicatedIpRecord {
  const record = c.state.dedicatedIps.get(c.input.Ip!);
  if (!record) throw c.fail('NotFoundException', `Dedicated IP ${c.input.Ip} does not exist.`);
  return record;
}
/** A pool of the account's own, or the default pool that Amazon manages (its IPs are the ones in no other pool). */
function requirePool(c: OperationContext<unknown>, pool: string | undefined): void {
  if (pool !== undefined && pool !== DEFAULT_DEDICATED_POOL && !c.state.dedicatedIpPools.has(pool)) {
    throw c.fail('NotFoundException', `Dedicated IP pool ${pool} does not exist.`);
  }
}
/** The tags of the resource an ARN names: BadRequest for a malformed or foreign ARN, NotFound for a missing resource. */
function taggedResource(c: OperationContext<{ ResourceArn?: string }>): Record<string, string> {
  const arn = c.input.ResourceArn!;
  parseArn(arn, c.state.region, c.state.accountId);
  const tags = c.state.tagsOf(arn);
  if (!tags) throw c.fail('NotFoundException', `Resource ${arn} does not exist.`);
  return tags;
}
const scope = (c: OperationContext<unknown>, extra = ''): string => `${c.operation}/${c.state.accountId}/${c.state.region}/${extra}`;

// ---- configuration sets and their event destinations ----

/** The service and resource type that each ARN of a destination must name ([unverified]: SES checks the kind of ARN). */
const DESTINATION_ARNS: ReadonlyArray<{ what: string; arn: (d: EventDestinationDefinition) => string | undefined; pattern: RegExp }> = [
  { what: 'SnsDestination.TopicArn', arn: (d) => d.SnsDestination?.TopicArn, pattern: /^arn:[^:]+:sns:[^:]+:\d{12}:[A-Za-z0-9_-]{1,256}$/ },
  { what: 'KinesisFirehoseDestination.DeliveryStreamArn', arn: (d) => d.KinesisFirehoseDestination?.DeliveryStreamArn, pattern: /^arn:[^:]+:firehose:[^:]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/ },
  { what: 'KinesisFirehoseDestination.IamRoleArn', arn: (d) => d.KinesisFirehoseDestination?.IamRoleArn, pattern: /^arn:[^:]+:iam::\d{12}:role\/.+$/ },
  { what: 'PinpointDestination.ApplicationArn', arn: (d) => d.PinpointDestination?.ApplicationArn, pattern: /^arn:[^:]+:mobiletargeting:[^:]+:\d{12}:apps\/[A-Za-z0-9]+$/ },
  // SES v2: "Only the default bus is supported" (model documentation).
  { what: 'EventBridgeDestination.EventBusArn', arn: (d) => d.EventBridgeDestination?.EventBusArn, pattern: /^arn:[^:]+:events:[^:]+:\d{12}:event-bus\/default$/ },
];
const DESTINATION_KINDS = ['KinesisFirehoseDestination', 'CloudWatchDestination', 'SnsDestination', 'PinpointDestination', 'EventBridgeDestination'] as const;
/** CloudWatch dimension names and default values (model documentation): ASCII letters, digits, _ and -, at most 256. */
const DIMENSION_TEXT = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * [unverified] SES accepts one destination type per event destination and at least one event type; the ARNs inside must
 * name a resource of the right service; CloudWatch dimensions follow the model documentation's rule.
 */
function checkEventDestination(d: EventDestinationDefinition, api: ApiVersion): void {
  const kinds = DESTINATION_KINDS.filter((k) => d[k]);
  if (kinds.length !== 1) {
    // Pinpoint Email's input has no EventBridgeDestination, so its message names the four it has.
    const known = DESTINATION_KINDS.filter((k) => k !== 'EventBridgeDestination' || api === 'v2');
    throw badRequest(`EventDestination must specify exactly one of ${known.slice(0, -1).join(', ')} or ${known.at(-1)} (got ${kinds.length}).`);
  }
  if ((d.MatchingEventTypes ?? []).length === 0) throw badRequest('EventDestination.MatchingEventTypes must list at least one event type.');
  for (const { what, arn, pattern } of DESTINATION_ARNS) {
    const value = arn(d);
    if (value !== undefined && !pattern.test(value)) throw badRequest(`${what} ${JSON.stringify(value)} is not a valid ARN for it.`);
  }
  const dimensions = d.CloudWatchDestination?.DimensionConfigurations;
  if (dimensions && dimensions.length === 0) throw badRequest('CloudWatchDestination.DimensionConfigurations must have at least one dimension.');
  for (const dimension of dimensions ?? []) {
    for (const [member, value] of [['DimensionName', dimension.DimensionName], ['DefaultDimensionValue', dimension.DefaultDimensionValue]] as const) {
      if (!DIMENSION_TEXT.test(value ?? '')) {
        throw badRequest(`CloudWatchDestination ${member} ${JSON.stringify(value)} is invalid: use 1-256 ASCII letters, digits, _ or -.`);
      }
    }
  }
}

/**
 * The tracking options of a request. [unverified] SES v2's HttpsPolicy is a setting of the custom redirect domain
 * (TrackingOptions, which the Get answers, requires CustomRedirectDomain), so it needs one.
 */
function trackingOptions(domain: string | undefined, httpsPolicy: TrackingOptions['HttpsPolicy']): TrackingOptions | undefined {
  if (domain === undefined) {
    if (httpsPolicy !== undefined) throw badRequest('HttpsPolicy needs a CustomRedirectDomain to apply to.');
    return undefined;
  }
  checkDomainName('CustomRedirectDomain', domain);
  return { CustomRedirectDomain: domain, ...(httpsPolicy ? { HttpsPolicy: httpsPolicy } : {}) };
}

/** The filter of SES v2's POST list operations: each key once, with a text value (the model of the SDK's route). */
type ListFilter = Partial<Record<string, string>>;

const configurationSets = {
  /** [decision] ArchivingOptions (a Mail Manager archive) is refused: the local service holds no archives (nor does the pinned SDK send it). */
  CreateConfigurationSet: (c: OperationContext<CreateConfigurationSetRequest & { ArchivingOptions?: unknown }>) => {
    const name = c.input.ConfigurationSetName!;
    checkName('configuration set name', name, CONFIGURATION_SET_NAME, 'use 1-64 letters, digits, _ or -');
    const tags = requestTags(c.input.Tags);
    const tracking = c.input.TrackingOptions && trackingOptions(c.input.TrackingOptions.CustomRedirectDomain, c.input.TrackingOptions.HttpsPolicy);
    if (c.input.ArchivingOptions !== undefined) throw badRequest('ArchivingOptions: the local service does not implement Mail Manager archives.');
    if (c.state.configurationSets.has(name)) throw c.fail('AlreadyExistsException', `Configuration set ${name} already exists.`);
    requirePool(c, c.input.DeliveryOptions?.SendingPoolName);
    c.state.addConfigurationSet(name, {
      TrackingOptions: tracking,
      DeliveryOptions: { TlsPolicy: 'OPTIONAL', ...c.input.DeliveryOptions },
      ...(c.input.ReputationOptions ? { ReputationOptions: c.input.ReputationOptions } : {}),
      ...(c.input.SendingOptions ? { SendingOptions: c.input.SendingOptions } : {}),
      ...(c.input.SuppressionOptions ? { SuppressionOptions: { SuppressedReasons: c.input.SuppressionOptions.SuppressedReasons ?? [] } } : {}),
      ...(c.input.VdmOptions ? { VdmOptions: c.input.VdmOptions } : {}),
      tags,
    });
    return {};
  },
  GetConfigurationSet: (c: OperationContext<GetConfigurationSetRequest>) => {
    const cs = configurationSet(c);
    return {
      ConfigurationSetName: cs.name,
      TrackingOptions: cs.TrackingOptions,
      DeliveryOptions: cs.DeliveryOptions,
      ReputationOptions: cs.ReputationOptions,
      SendingOptions: cs.SendingOptions,
      SuppressionOptions: cs.SuppressionOptions,
      VdmOptions: cs.VdmOptions,
      Tags: tagList(cs.tags),
    };
  },
  /** SES v2's POST route may carry a Filter: CONFIGURATION_SET_NAME_CONTAINS keeps the names that contain the text. */
  ListConfigurationSets: (c: OperationContext<ListConfigurationSetsRequest & { Filter?: ListFilter }>) => {
    const contains = c.input.Filter?.CONFIGURATION_SET_NAME_CONTAINS;
    const names = [...c.state.configurationSets.keys()].filter((k) => contains === undefined || k.includes(contains));
    const page = c.paginator.page(scope(c, JSON.stringify(c.input.Filter ?? {})), names.map((k) => [k, k]), c.input.PageSize, c.input.NextToken);
    return { ConfigurationSets: page.items, NextToken: page.nextToken };
  },
  DeleteConfigurationSet: (c: OperationContext<DeleteConfigurationSetRequest>) => {
    c.state.configurationSets.delete(configurationSet(c).name); // its event destinations go with it
    return {};
  },
  /**
   * [decision] Every member is replaced: an absent TlsPolicy is OPTIONAL, an absent SendingPoolName removes the pool, an
   * absent MaxDeliverySeconds (always absent through Pinpoint Email, whose input lacks it) removes the limit.
   */
  PutConfigurationSetDeliveryOptions: (c: OperationContext<PutConfigurationSetDeliveryOptionsRequest>) => {
    const cs = configurationSet(c);
    requirePool(c, c.input.SendingPoolName);
    cs.DeliveryOptions = {
      TlsPolicy: c.input.TlsPolicy ?? 'OPTIONAL',
      ...(c.input.SendingPoolName ? { SendingPoolName: c.input.SendingPoolName } : {}),
      ...(c.input.MaxDeliverySeconds !== undefined ? { MaxDeliverySeconds: c.input.MaxDeliverySeconds } : {}),
    };
    return {};
  },
  PutConfigurationSetReputationOptions: (c: OperationContext<PutConfigurationSetReputationOptionsRequest>) => {
    const cs = configurationSet(c);
    cs.ReputationOptions = { ...cs.ReputationOptions, ReputationMetricsEnabled: c.input.ReputationMetricsEnabled };
    return {};
  },
  PutConfigurationSetSendingOptions: (c: OperationContext<PutConfigurationSetSendingOptionsRequest>) => {
    configurationSet(c).SendingOptions = { SendingEnabled: c.input.SendingEnabled };
    return {};
  },
  /** [decision] An absent CustomRedirectDomain removes the tracking options; an absent HttpsPolicy (SES v2) removes the policy. */
  PutConfigurationSetTrackingOptions: (c: OperationContext<PutConfigurationSetTrackingOptionsRequest>) => {
    const cs = configurationSet(c);
    cs.TrackingOptions = trackingOptions(c.input.CustomRedirectDomain, c.input.HttpsPolicy);
    return {};
  },
  /**
   * SES v2. [decision, unverified] Absent SuppressedReasons removes the set's own options, so the account's settings
   * apply again (as Terraform's provider observed of AWS); an empty list suppresses nothing.
   */
  PutConfigurationSetSuppressionOptions: (c: OperationContext<PutConfigurationSetSuppressionOptionsRequest>) => {
    const set = configurationSet(c);
    if (c.input.SuppressedReasons === undefined) delete set.SuppressionOptions;
    else set.SuppressionOptions = { SuppressedReasons: c.input.SuppressedReasons };
    return {};
  },
  /** SES v2. [decision] The options are replaced as a whole; absent VdmOptions removes them. */
  PutConfigurationSetVdmOptions: (c: OperationContext<PutConfigurationSetVdmOptionsRequest>) => {
    configurationSet(c).VdmOptions = c.input.VdmOptions;
    return {};
  },
  CreateConfigurationSetEventDestination: (c: OperationContext<CreateConfigurationSetEventDestinationRequest>) => {
    const name = c.input.EventDestinationName!;
    checkName('event destination name', name, EVENT_DESTINATION_NAME, 'use 1-64 letters, digits, _ or -');
    checkEventDestination(c.input.EventDestination!, c.api);
    const cs = configurationSet(c);
    if (cs.eventDestinations.has(name)) throw c.fail('AlreadyExistsException', `Event destination ${name} already exists in configuration set ${cs.name}.`);
    if (cs.eventDestinations.size >= MAX_EVENT_DESTINATIONS) {
      throw c.fail('LimitExceededException', `Configuration set ${cs.name} already has ${MAX_EVENT_DESTINATIONS} event destinations.`);
    }
    cs.eventDestinations.set(name, c.input.EventDestination!);
    return {};
  },
  GetConfigurationSetEventDestinations: (c: OperationContext<GetConfigurationSetEventDestinationsRequest>) => ({
    EventDestinations: [...configurationSet(c).eventDestinations]
      .map(([Name, d]) => ({ Name, ...d, MatchingEventTypes: d.MatchingEventTypes ?? [] })),
  }),
  /** [decision] The definition is replaced as a whole. */
  UpdateConfigurationSetEventDestination: (c: OperationContext<UpdateConfigurationSetEventDestinationRequest>) => {
    checkEventDestination(c.input.EventDestination!, c.api);
    const cs = configurationSet(c);
    if (!cs.eventDestinations.has(c.input.EventDestinationName!)) {
      throw c.fail('NotFoundException', `Event destination ${c.input.EventDestinationName} does not exist in configuration set ${cs.name}.`);
    }
    cs.eventDestinations.set(c.input.EventDestinationName!, c.input.EventDestination!);
    return {};
  },
  DeleteConfigurationSetEventDestination: (c: OperationContext<DeleteConfigurationSetEventDestinationRequest>) => {
    const cs = configurationSet(c);
    if (!cs.eventDestinations.delete(c.input.EventDestinationName!)) {
      throw c.fail('NotFoundException', `Event destination ${c.input.EventDestinationName} does not exist in configuration set ${cs.name}.`);
    }
    return {};
  },
};

// ---- dedicated IP pools and dedicated IPs ----

const dedicatedIpOutput = (ip: DedicatedIpRecord): Output =>
  ({ Ip: ip.ip, WarmupStatus: ip.warmupStatus, WarmupPercentage: ip.warmupPercentage, PoolName: ip.poolName });

const dedicatedIpPools = {
  CreateDedicatedIpPool: (c: OperationContext<CreateDedicatedIpPoolRequest>) => {
    const name = c.input.PoolName!;
    checkName('dedicated IP pool name', name, POOL_NAME, 'use 1-64 lowercase letters, digits, _ or -');
    if (MANAGED_POOLS.includes(name)) throw badRequest(`${name} is a pool that Amazon SES manages; choose another name.`);
    const tags = requestTags(c.input.Tags);
    if (c.state.dedicatedIpPools.has(name)) throw c.fail('AlreadyExistsException', `Dedicated IP pool ${name} already exists.`);
    if (c.state.dedicatedIpPools.size >= MAX_POOLS) throw c.fail('LimitExceededException', `An account can have at most ${MAX_POOLS} dedicated IP pools per region.`);
    c.state.addDedicatedIpPool(name, tags, c.input.ScalingMode);
    return {};
  },
  /** SES v2. */
  GetDedicatedIpPool: (c: OperationContext<GetDedicatedIpPoolRequest>) => {
    const pool = dedicatedIpPool(c);
    return { DedicatedIpPool: { PoolName: pool.name, ScalingMode: pool.scalingMode ?? 'STANDARD' } };
  },
  /** SES v2: STANDARD -> MANAGED only ("Changing the scaling mode from MANAGED to STANDARD is not supported"); the same mode again changes nothing. */
  PutDedicatedIpPoolScalingAttributes: (c: OperationContext<PutDedicatedIpPoolScalingAttributesRequest>) => {
    const pool = dedicatedIpPool(c);
    const from = pool.scalingMode ?? 'STANDARD';
    if (from === 'MANAGED' && c.input.ScalingMode === 'STANDARD') {
      throw badRequest(`Dedicated IP pool ${pool.name} is MANAGED: changing the scaling mode from MANAGED to STANDARD is not supported.`);
    }
    pool.scalingMode = c.input.ScalingMode;
    return {};
  },
  ListDedicatedIpPools: (c: OperationContext<ListDedicatedIpPoolsRequest>) => {
    const page = c.paginator.page(scope(c), [...c.state.dedicatedIpPools.keys()].map((k) => [k, k]), c.input.PageSize, c.input.NextToken);
    return { DedicatedIpPools: page.items, NextToken: page.nextToken };
  },
  /**
   * [decision] A pool that a configuration set still sends from cannot be deleted (BadRequestException naming the sets), so a
   * wrong delete order shows up here; its dedicated IPs go back to the default pool ([unverified]: the documentation does
   * not say; Terraform's dedicated IP assignment also returns IPs to ses-default-dedicated-pool).
   */
  DeleteDedicatedIpPool: (c: OperationContext<DeleteDedicatedIpPoolRequest>) => {
    const name = dedicatedIpPool(c).name;
    const users = [...c.state.configurationSets.values()].filter((cs) => cs.DeliveryOptions.SendingPoolName === name).map((cs) => cs.name);
    if (users.length > 0) throw badRequest(`Dedicated IP pool ${name} is used by configuration set(s) ${users.join(', ')}; change their DeliveryOptions first.`);
    for (const ip of c.state.dedicatedIps.values()) if (ip.poolName === name) ip.poolName = DEFAULT_DEDICATED_POOL;
    c.state.dedicatedIpPools.delete(name);
    return {};
  },
  GetDedicatedIps: (c: OperationContext<GetDedicatedIpsRequest>) => {
    requirePool(c, c.input.PoolName);
    const ips = [...c.state.dedicatedIps.values()].filter((ip) => c.input.PoolName === undefined || ip.poolName === c.input.PoolName);
    const page = c.paginator.page(scope(c, c.input.PoolName), ips.map((ip) => [ip.ip, dedicatedIpOutput(ip)]), c.input.PageSize, c.input.NextToken);
    return { DedicatedIps: page.items, NextToken: page.nextToken };
  },
  GetDedicatedIp: (c: OperationContext<GetDedicatedIpRequest>) => ({ DedicatedIp: dedicatedIpOutput(dedicatedIp(c)) }),
  /** [unverified] SES manages the IPs of a MANAGED pool, so none can be moved into one. */
  PutDedicatedIpInPool: (c: OperationContext<PutDedicatedIpInPoolRequest>) => {
    const ip = dedicatedIp(c);
    requirePool(c, c.input.DestinationPoolName);
    if (c.state.dedicatedIpPools.get(c.input.DestinationPoolName!)?.scalingMode === 'MANAGED') {
      throw badRequest(`Dedicated IP pool ${c.input.DestinationPoolName} is MANAGED: Amazon SES chooses its IPs.`);
    }
    ip.poolName = c.input.DestinationPoolName!;
    return {};
  },
  PutDedicatedIpWarmupAttributes: (c: OperationContext<PutDedicatedIpWarmupAttributesRequest>) => {
    const pct = c.input.WarmupPercentage!;
    if (pct < 0 || pct > 100) throw badRequest(`WarmupPercentage must be between 0 and 100 (got ${pct}).`);
    const ip = dedicatedIp(c);
    Object.assign(ip, { warmupPercentage: pct, warmupStatus: pct >= 100 ? 'DONE' : 'IN_PROGRESS' });
    return {};
  },
};

// ---- email identities ----

/** SES v2's verification status of an identity (the service knows verified and not yet verified). */
const verificationStatus = (id: EmailIdentityRecord): string => (id.verifiedForSending ? 'SUCCESS' : 'PENDING');

/**
 * SES v2's DkimSigningAttributes at create: for a domain only (model documentation); BYODKIM when it has a selector or
 * a key, else Easy DKIM. DomainSigningAttributesOrigin only names a parent identity's region to replicate DKIM from
 * (Deterministic Easy DKIM), which the local service does not implement.
 */
function createSigning(name: string, attributes: DkimSigningAttributes | undefined) {
  if (attributes === undefined) return undefined;
  if (!isDomain(name)) throw badRequest('DkimSigningAttributes can only be given for a domain identity, not for an email address.');
  if (attributes.DomainSigningAttributesOrigin !== undefined) {
    throw badRequest('DkimSigningAttributes.DomainSigningAttributesOrigin: the local service does not implement replicating DKIM from a parent identity.');
  }
  const byodkim = attributes.DomainSigningSelector !== undefined || attributes.DomainSigningPrivateKey !== undefined;
  return requestedSigning(byodkim ? 'EXTERNAL' : 'AWS_SES', attributes);
}

/** The configuration set an identity names as its default: it must exist (NotFoundException). */
function defaultConfigurationSet(c: OperationContext<unknown>, name: string | undefined): string | undefined {
  if (name !== undefined && !c.state.configurationSets.has(name)) throw c.fail('NotFoundException', `Configuration set ${name} does not exist.`);
  return name;
}

const emailIdentities = {
  /**
   * [decision] Pinpoint Email's CreateEmailIdentity declares no AlreadyExistsException: re-creating an identity succeeds
   * and answers the existing identity's data unchanged (the request's Tags are validated, then ignored), as AWS documents
   * for re-verifying. SES v2's declares it, and answers it.
   */
  CreateEmailIdentity: (c: OperationContext<CreateEmailIdentityRequest>) => {
    const name = c.input.EmailIdentity!;
    if (!isEmailAddress(name) && !isDomain(name)) throw badRequest(`${JSON.stringify(name)} is neither a valid email address nor a valid domain.`);
    const tags = requestTags(c.input.Tags);
    const signing = createSigning(name, c.input.DkimSigningAttributes);
    const configurationSetName = defaultConfigurationSet(c, c.input.ConfigurationSetName);
    let identity = c.state.findEmailIdentity(name);
    if (identity && c.api === 'v2') throw c.fail('AlreadyExistsException', `Email identity ${identity.name} already exists.`);
    if (!identity) {
      if (c.state.emailIdentities.size >= MAX_IDENTITIES) throw c.fail('LimitExceededException', `An account can have at most ${MAX_IDENTITIES} identities per region.`);
      identity = c.state.addEmailIdentity(name, { tags });
      if (signing) applySigning(identity, signing);
      if (configurationSetName !== undefined) identity.configurationSetName = configurationSetName;
    }
    return { IdentityType: identity.identityType, VerifiedForSendingStatus: identity.verifiedForSending, DkimAttributes: dkimAttributes(identity) };
  },
  /** SES v2 adds the default configuration set, the verification status and the identity's policies (none are held). */
  GetEmailIdentity: (c: OperationContext<GetEmailIdentityRequest>) => {
    const id = emailIdentity(c);
    return {
      IdentityType: id.identityType,
      FeedbackForwardingStatus: id.feedbackForwarding,
      VerifiedForSendingStatus: id.verifiedForSending,
      DkimAttributes: dkimAttributes(id),
      MailFromAttributes: id.mailFrom,
      Policies: {},
      Tags: tagList(id.tags),
      ConfigurationSetName: id.configurationSetName,
      VerificationStatus: verificationStatus(id),
    };
  },
  /**
   * SES v2's POST route may carry a Filter: IDENTITY_NAME_CONTAINS (the text in the name, domains without regard to case),
   * IDENTITY_TYPE and VERIFICATION_STATUS (values of the model's enums, else BadRequestException).
   */
  ListEmailIdentities: (c: OperationContext<ListEmailIdentitiesRequest & { Filter?: ListFilter }>) => {
    const filter = c.input.Filter ?? {};
    for (const [key, shape] of [['IDENTITY_TYPE', 'IdentityType'], ['VERIFICATION_STATUS', 'VerificationStatus']] as const) {
      const values = (APIS.v2.shapes[shape] as { values: readonly string[] }).values;
      const value = filter[key];
      if (value !== undefined && !values.includes(value)) throw badRequest(`Filter ${key} must be one of ${values.join(', ')} (got ${JSON.stringify(value)}).`);
    }
    const contains = filter.IDENTITY_NAME_CONTAINS?.toLowerCase();
    const infos = [...c.state.emailIdentities.values()]
      .filter((id) => contains === undefined || id.name.toLowerCase().includes(contains))
      .filter((id) => filter.IDENTITY_TYPE === undefined || id.identityType === filter.IDENTITY_TYPE)
      .filter((id) => filter.VERIFICATION_STATUS === undefined || verificationStatus(id) === filter.VERIFICATION_STATUS)
      .map((id): [string, Output] => [id.name, {
        IdentityType: id.identityType,
        IdentityName: id.name,
        SendingEnabled: id.verifiedForSending,
        VerificationStatus: verificationStatus(id),
      }]);
    const page = c.paginator.page(scope(c, JSON.stringify(filter)), infos, c.input.PageSize, c.input.NextToken);
    return { EmailIdentities: page.items, NextToken: page.nextToken };
  },
  /**
   * SES v2, domains only (model documentation). Easy DKIM again keeps the key pair and changes only the next key length;
   * any other change is a new key (see dkim.ts). SigningAttributes.DomainSigningAttributesOrigin is not allowed here
   * (model documentation), and replicating a parent identity's DKIM is not implemented.
   */
  PutEmailIdentityDkimSigningAttributes: (c: OperationContext<PutEmailIdentityDkimSigningAttributesRequest>) => {
    const id = emailIdentity(c);
    if (id.identityType !== 'DOMAIN') throw badRequest(`Email identity ${id.name} is an email address: DKIM signing attributes are set on its domain.`);
    const origin = c.input.SigningAttributesOrigin!;
    if (origin !== 'AWS_SES' && origin !== 'EXTERNAL') {
      throw badRequest(`SigningAttributesOrigin ${origin}: the local service does not implement replicating DKIM from a parent identity.`);
    }
    if (c.input.SigningAttributes?.DomainSigningAttributesOrigin !== undefined) {
      throw badRequest('SigningAttributes.DomainSigningAttributesOrigin is not allowed here: use SigningAttributesOrigin.');
    }
    const wanted = requestedSigning(origin, c.input.SigningAttributes);
    const current = signingOf(id)!;
    if (wanted.origin === 'AWS_SES' && current.origin === 'AWS_SES') {
      id.dkimSigning = { ...current, nextSigningKeyLength: c.input.SigningAttributes?.NextSigningKeyLength ?? current.nextSigningKeyLength };
    } else {
      applySigning(id, wanted);
    }
    return { DkimStatus: id.dkim.Status, DkimTokens: id.dkim.Tokens };
  },
  /** SES v2. [decision] An absent ConfigurationSetName removes the default set; deleting a set leaves the name on its identities ([unverified]). */
  PutEmailIdentityConfigurationSetAttributes: (c: OperationContext<PutEmailIdentityConfigurationSetAttributesRequest>) => {
    const id = emailIdentity(c);
    id.configurationSetName = defaultConfigurationSet(c, c.input.ConfigurationSetName);
    return {};
  },
  DeleteEmailIdentity: (c: OperationContext<DeleteEmailIdentityRequest>) => {
    c.state.emailIdentities.delete(emailIdentity(c).name);
    return {};
  },
  PutEmailIdentityDkimAttributes: (c: OperationContext<PutEmailIdentityDkimAttributesRequest>) => {
    emailIdentity(c).dkim.SigningEnabled = c.input.SigningEnabled!;
    return {};
  },
  PutEmailIdentityFeedbackAttributes: (c: OperationContext<PutEmailIdentityFeedbackAttributesRequest>) => {
    emailIdentity(c).feedbackForwarding = c.input.EmailForwardingEnabled!;
    return {};
  },
  /** The MAIL FROM domain must be a subdomain of the identity's domain (model docs); an absent one removes it. */
  PutEmailIdentityMailFromAttributes: (c: OperationContext<PutEmailIdentityMailFromAttributesRequest>) => {
    const id = emailIdentity(c);
    const domain = c.input.MailFromDomain;
    if (domain === undefined) {
      id.mailFrom = undefined;
      return {};
    }
    const parent = id.identityType === 'DOMAIN' ? id.name : domainOf(id.name);
    if (!isDomain(domain) || !domain.toLowerCase().endsWith(`.${parent.toLowerCase()}`)) {
      throw badRequest(`MailFromDomain ${JSON.stringify(domain)} must be a subdomain of ${parent}.`);
    }
    id.mailFrom = { MailFromDomain: domain, MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: c.input.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE' };
    return {};
  },
};

// ---- deliverability dashboard and test reports ----

/**
 * Content must hold exactly one of Simple, Raw and Template; Raw.Data must decode to a message with headers and a body.
 * [decision] A Template needs the ARN of an Amazon Pinpoint email template of the caller's partition, region and account
 * (`...:mobiletargeting:<region>:<account>:templates/<name>/EMAIL`) and TemplateData that is a JSON object; the service
 * holds no templates, so any such ARN is accepted, and the report lists no subject. SES v2 may name the template
 * instead (TemplateName: NotFoundException, no SES template is held) or give its content inline (TemplateContent,
 * whose Subject the report lists); one of the three.
 */
function checkTestContent(c: OperationContext<unknown>, content: EmailContent): { subject?: string; message?: string } {
  const kinds = (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k]);
  if (kinds.length !== 1) {
    throw badRequest(`Content must specify exactly one of Simple, Raw or Template (got ${kinds.join(', ') || 'none'}).`);
  }
  if (content.Template) {
    const { TemplateName: templateName, TemplateContent: inline } = content.Template;
    const ways = [content.Template.TemplateArn, templateName, inline].filter((w) => w !== undefined).length;
    if (ways > 1) throw badRequest('Content.Template must specify exactly one of TemplateArn, TemplateName or TemplateContent.');
    if (templateName !== undefined) throw c.fail('NotFoundException', `Email template ${templateName} does not exist.`);
    if (inline !== undefined) {
      if (!inline.Subject || (!inline.Text && !inline.Html)) throw badRequest('Content.Template.TemplateContent needs a Subject and a Text or Html part.');
      checkTemplateData(content.Template.TemplateData);
      return { subject: inline.Subject };
    }
    const arn = content.Template.TemplateArn ?? '';
    const expected = new RegExp(`^arn:aws:mobiletargeting:${c.state.region}:${c.state.accountId}:templates/[A-Za-z0-9_-]{1,128}/EMAIL$`);
    if (!expected.test(arn)) throw badRequest(`Content.Template.TemplateArn ${JSON.stringify(arn)} is not an email template of this account and region.`);
    checkTemplateData(content.Template.TemplateData);
    return {};
  }
  if (content.Simple) {
    if (!content.Simple.Body!.Text && !content.Simple.Body!.Html) throw badRequest('Content.Simple.Body must specify Text, Html or both.');
    return { subject: content.Simple.Subject!.Data };
  }
  const message = Buffer.from(content.Raw!.Data!).toString('utf8');
  if (message.trim() === '') throw badRequest('Content.Raw.Data must be a non-empty, base64-encoded MIME message.');
  const split = /\r?\n\r?\n/.exec(message);
  if (!split) throw badRequest('Content.Raw.Data must contain a header and a body, separated by one blank line.');
  const subject = /^Subject:[ \t]*(.*)$/im.exec(message.slice(0, split.index))?.[1]?.trim();
  return { subject, message };
}

function checkTemplateData(data: string | undefined): void {
  if (data === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Content.Template.TemplateData must be a JSON object.');
}

/** The verified identity (address, or the address's domain) that allows sending from `from`. */
function senderIdentity(c: OperationContext<unknown>, from: string): void {
  const candidates = [from, domainOf(from)].map((n) => c.state.findEmailIdentity(n)).filter((id) => id !== undefined);
  if (candidates.length === 0) {
    throw c.fail('NotFoundException', `Neither ${from} nor ${domainOf(from)} is an email identity in ${c.state.region}; create and verify one.`);
  }
  if (!candidates.some((id) => id.verifiedForSending)) {
    throw c.fail('MailFromDomainNotVerifiedException', `Email identity ${candidates.map((id) => id.name).join(' / ')} is not verified for sending.`);
  }
}

function endOfMonth(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1000);
}

const deliverability = {
  /**
   * [decision] The dashboard off -> BadRequestException (a precondition of the account, not a missing resource); the sender
   * address and its domain both unknown -> NotFoundException; known but unverified -> MailFromDomainNotVerifiedException;
   * account sending paused -> SendingPausedException.
   */
  CreateDeliverabilityTestReport: (c: OperationContext<CreateDeliverabilityTestReportRequest>) => {
    const from = addressOf(c.input.FromEmailAddress!);
    if (!from) throw badRequest(`FromEmailAddress ${JSON.stringify(c.input.FromEmailAddress)} is not a valid email address.`);
    const { subject, message } = checkTestContent(c, c.input.Content!);
    const tags = requestTags(c.input.Tags);
    if (!c.state.dashboard.enabled) {
      throw badRequest('Predictive inbox placement tests need the Deliverability dashboard: enable it with PutDeliverabilityDashboardOption first.');
    }
    senderIdentity(c, from);
    if (!c.state.settings.sendingEnabled) throw c.fail('SendingPausedException', 'Email sending is paused for this account.');
    const reportId = c.newId;
    c.state.deliverabilityTestReports.set(reportId, {
      reportId, reportName: c.input.ReportName, fromEmailAddress: c.input.FromEmailAddress!, subject, createDate: new Date(), status: 'IN_PROGRESS', message, tags,
    });
    return { ReportId: reportId, DeliverabilityTestStatus: 'IN_PROGRESS' };
  },
  GetDeliverabilityTestReport: (c: OperationContext<GetDeliverabilityTestReportRequest>) => {
    const r = c.state.deliverabilityTestReports.get(c.input.ReportId!);
    if (!r) throw c.fail('NotFoundException', `Deliverability test report ${c.input.ReportId} does not exist.`);
    return {
      DeliverabilityTestReport: reportSummary(r),
      OverallPlacement: { InboxPercentage: 0, SpamPercentage: 0, MissingPercentage: 0, SpfPercentage: 0, DkimPercentage: 0 },
      IspPlacements: [],
      Message: r.message,
      Tags: tagList(r.tags),
    };
  },
  ListDeliverabilityTestReports: (c: OperationContext<ListDeliverabilityTestReportsRequest>) => {
    const reports = [...c.state.deliverabilityTestReports.values()].map((r): [string, Output] => [r.reportId, reportSummary(r)]);
    const page = c.paginator.page(scope(c), reports, c.input.PageSize, c.input.NextToken);
    return { DeliverabilityTestReports: page.items, NextToken: page.nextToken };
  },
  /**
   * [decision] Enabling is idempotent (AlreadyExistsException is never returned). Disabling an active subscription leaves it
   * PENDING_EXPIRATION until the end of the month (docs), but new tests need DashboardEnabled again.
   */
  PutDeliverabilityDashboardOption: (c: OperationContext<PutDeliverabilityDashboardOptionRequest>) => {
    const domains = c.input.SubscribedDomains ?? [];
    for (const d of domains) if (d.Domain !== undefined) checkDomainName('SubscribedDomains[].Domain', d.Domain);
    const dash = c.state.dashboard;
    if (c.input.DashboardEnabled) {
      c.state.enableDashboard(domains);
    } else if (dash.accountStatus === 'ACTIVE') {
      Object.assign(dash, { enabled: false, accountStatus: 'PENDING_EXPIRATION', subscriptionExpiryDate: endOfMonth() });
    }
    return {};
  },
  GetDeliverabilityDashboardOptions: (c: OperationContext<unknown>) => {
    const dash = c.state.dashboard;
    return {
      // [decision][unverified] A disabled subscription still reads as enabled until it expires (PENDING_EXPIRATION).
      DashboardEnabled: dash.enabled || dash.accountStatus === 'PENDING_EXPIRATION',
      SubscriptionExpiryDate: dash.subscriptionExpiryDate,
      AccountStatus: dash.accountStatus,
      ActiveSubscribedDomains: dash.accountStatus === 'ACTIVE' ? dash.subscribedDomains : [],
      PendingExpirationSubscribedDomains: dash.accountStatus === 'PENDING_EXPIRATION' ? dash.subscribedDomains : [],
    };
  },
};

function reportSummary(r: DeliverabilityTestReportRecord): Output {
  return {
    ReportId: r.reportId,
    ReportName: r.reportName,
    Subject: r.subject,
    FromEmailAddress: r.fromEmailAddress,
    CreateDate: r.createDate,
    DeliverabilityTestStatus: r.status,
  };
}

// ---- tags ----

const tagging = {
  /** Existing keys get the new value; the result must stay within 50 tags. */
  TagResource: (c: OperationContext<TagResourceRequest>) => {
    const tags = taggedResource(c);
    const add = (c.input.Tags ?? []) as Tag[];
    checkTags(add);
    const merged = { ...tags, ...Object.fromEntries(add.map((t) => [t.Key, t.Value])) };
    checkTagCount(merged);
    Object.assign(tags, merged);
    return {};
  },
  /** Absent keys are ignored; `aws:` keys can never be removed. */
  UntagResource: (c: OperationContext<UntagResourceRequest>) => {
    const tags = taggedResource(c);
    const keys = c.input.TagKeys ?? [];
    const reserved = keys.find(isReservedTagText);
    if (reserved) throw badRequest(`Tag ${JSON.stringify(reserved)}: tags with the aws: prefix cannot be removed.`);
    keys.forEach(checkTagKey);
    for (const k of keys) delete tags[k];
    return {};
  },
  ListTagsForResource: (c: OperationContext<ListTagsForResourceRequest>) => ({ Tags: tagList(taggedResource(c)) }),
};

// ---- account ----

const account = {
  GetAccount: (c: OperationContext<unknown>) => {
    const s = c.state.settings;
    return {
      SendQuota: s.sendQuota,
      SendingEnabled: s.sendingEnabled,
      DedicatedIpAutoWarmupEnabled: s.dedicatedIpAutoWarmupEnabled,
      EnforcementStatus: s.enforcementStatus,
      ProductionAccessEnabled: s.productionAccessEnabled,
    };
  },
  PutAccountSendingAttributes: (c: OperationContext<PutAccountSendingAttributesRequest>) => {
    c.state.settings.sendingEnabled = c.input.SendingEnabled!;
    return {};
  },
  PutAccountDedicatedIpWarmupAttributes: (c: OperationContext<PutAccountDedicatedIpWarmupAttributesRequest>) => {
    c.state.settings.dedicatedIpAutoWarmupEnabled = c.input.AutoWarmupEnabled!;
    return {};
  },
};

// ---- sending and reports that need real traffic: validated, minimal but well-shaped answers ----

const outOfScope = {
  /** Checks the sender, the configuration set and the pause switches, records the message and answers a MessageId. */
  SendEmail: (c: OperationContext<SendEmailRequest>) => {
    const content = c.input.Content!;
    const kinds = (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k]);
    if (kinds.length !== 1) throw badRequest(`Content must specify exactly one of Simple, Raw or Template (got ${kinds.length}).`);
    const d = c.input.Destination ?? {}; // required in Pinpoint Email's model, not in SES v2's
    const to = [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])];
    if (to.length === 0) throw badRequest('Destination must have at least one recipient.');
    const bad = to.find((a) => !addressOf(a));
    if (bad) throw badRequest(`${JSON.stringify(bad)} is not a valid email address.`);
    if (c.input.FromEmailAddress === undefined && !content.Raw) throw badRequest('FromEmailAddress is required unless Content is Raw.');
    const from = c.input.FromEmailAddress === undefined ? undefined : addressOf(c.input.FromEmailAddress);
    if (c.input.FromEmailAddress !== undefined && !from) throw badRequest(`FromEmailAddress ${JSON.stringify(c.input.FromEmailAddress)} is not a valid email address.`);
    const cs = c.input.ConfigurationSetName === undefined ? undefined : configurationSet(c);
    if (from) {
      const ok = [from, domainOf(from)].some((n) => c.state.findEmailIdentity(n)?.verifiedForSending);
      if (!ok) throw c.fail('MessageRejected', `Email address is not verified. The following identities failed the check in region ${c.state.region.toUpperCase()}: ${from}`);
    }
    if (!c.state.settings.sendingEnabled) throw c.fail('SendingPausedException', 'Email sending is paused for this account.');
    if (cs && !cs.SendingOptions.SendingEnabled) throw c.fail('SendingPausedException', `Email sending is paused for configuration set ${cs.name}.`);
    const messageId = randomUUID();
    c.state.sentEmails.push({ messageId, from, to, configurationSetName: cs?.name });
    return { MessageId: messageId };
  },
  GetBlacklistReports: (c: OperationContext<GetBlacklistReportsRequest>) => ({
    BlacklistReport: Object.fromEntries((c.input.BlacklistItemNames ?? []).map((n) => [n, []])),
  }),
  GetDomainDeliverabilityCampaign: (c: OperationContext<GetDomainDeliverabilityCampaignRequest>) => {
    throw c.fail('NotFoundException', `Campaign ${c.input.CampaignId} does not exist.`);
  },
  GetDomainStatisticsReport: (c: OperationContext<GetDomainStatisticsReportRequest>) => {
    checkDateRange(c.input.StartDate!, c.input.EndDate!);
    return { OverallVolume: {}, DailyVolumes: [] };
  },
  ListDomainDeliverabilityCampaigns: (c: OperationContext<ListDomainDeliverabilityCampaignsRequest>) => {
    checkDateRange(c.input.StartDate!, c.input.EndDate!);
    const page = c.paginator.page(scope(c, c.input.SubscribedDomain), [], c.input.PageSize, c.input.NextToken);
    return { DomainDeliverabilityCampaigns: page.items, NextToken: page.nextToken };
  },
};

function checkDateRange(start: Date, end: Date): void {
  if (start.getTime() > end.getTime()) throw badRequest('StartDate must not be after EndDate.');
}

/** Operation name -> behaviour, for all operations of the model. */
export const HANDLERS: Readonly<Record<string, Handler<any>>> = {
  ...configurationSets,
  ...dedicatedIpPools,
  ...emailIdentities,
  ...deliverability,
  ...tagging,
  ...account,
  ...outOfScope,
};
