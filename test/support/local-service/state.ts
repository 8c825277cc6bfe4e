/**
 * The service's state, one AccountState per (account, region). Records are plain objects that tests can read and assert on,
 * and seed directly or through the helpers below. Conventions:
 * - `name`, `tags`, `identityType`... (camelCase) are the service's own fields; tags are `Record<string, string>` in
 *   insertion order (the order ListTagsForResource returns);
 * - PascalCase members (`TrackingOptions`, `dkim.Tokens`...) are API-shaped objects exactly as the API returns them;
 *   timestamps are `Date` (sent on the wire as epoch seconds).
 * The seeding helpers build the same records the operations build, without any API call being recorded.
 *
 * One state serves both APIs: the records hold SES v2's members (a superset of Pinpoint Email's), and SES v2's additions
 * are absent from a record until a call sets them, so that a record made through Pinpoint Email looks as it always did.
 */
import { randomBytes, randomUUID } from 'crypto';
import type {
  DeliveryOptions, DkimAttributes, DkimSigningKeyLength, DomainDeliverabilityTrackingOption, EventDestinationDefinition, MailFromAttributes,
  ReputationOptions, ScalingMode, SendingOptions, SuppressionOptions, TrackingOptions, VdmOptions,
} from '@aws-sdk/client-sesv2';
import { arnOf, ResourceType } from './constraints';

export interface ConfigurationSetRecord {
  name: string;
  TrackingOptions?: TrackingOptions;
  DeliveryOptions: DeliveryOptions;
  ReputationOptions: ReputationOptions;
  SendingOptions: SendingOptions;
  /** SES v2: absent until set (the account's suppression list preferences then apply) */
  SuppressionOptions?: SuppressionOptions;
  /** SES v2: absent until set */
  VdmOptions?: VdmOptions;
  /** event destination name -> definition (model defaults applied) */
  eventDestinations: Map<string, EventDestinationDefinition>;
  tags: Record<string, string>;
}
/** `scalingMode` (SES v2) is absent for a pool created without one: it is STANDARD. */
export interface DedicatedIpPoolRecord { name: string; tags: Record<string, string>; scalingMode?: ScalingMode }
/** The pool that Amazon manages for dedicated IPs in no pool of the account's own: every leased IP is in exactly one pool. */
export const DEFAULT_DEDICATED_POOL = 'ses-default-dedicated-pool';
export interface DedicatedIpRecord { ip: string; warmupStatus: 'IN_PROGRESS' | 'DONE'; warmupPercentage: number; poolName: string }
/**
 * How a domain signs with DKIM (SES v2's DKIM signing attributes). A domain without one uses Easy DKIM with 2048-bit keys
 * (DEFAULT_DKIM_KEY_LENGTH), the key pair made when the identity was.
 */
export type DkimSigningRecord =
  | { origin: 'AWS_SES'; nextSigningKeyLength: DkimSigningKeyLength; currentSigningKeyLength: DkimSigningKeyLength; lastKeyGeneration?: Date }
  /** Bring Your Own DKIM: the selector, and a SHA-256 fingerprint (hex) of the private key; the key itself is never kept. */
  | { origin: 'EXTERNAL'; selector: string; privateKeySha256: string };
/** [unverified] Easy DKIM's key length when none is asked for (the SES documentation names 2048 bits as the default). */
export const DEFAULT_DKIM_KEY_LENGTH: DkimSigningKeyLength = 'RSA_2048_BIT';
export interface EmailIdentityRecord {
  name: string;
  identityType: 'EMAIL_ADDRESS' | 'DOMAIN';
  verifiedForSending: boolean;
  feedbackForwarding: boolean;
  dkim: Required<Pick<DkimAttributes, 'SigningEnabled' | 'Status' | 'Tokens'>>;
  /** SES v2, domains only: absent until CreateEmailIdentity or PutEmailIdentityDkimSigningAttributes sets it */
  dkimSigning?: DkimSigningRecord;
  /** SES v2: the identity's default configuration set */
  configurationSetName?: string;
  /** absent until PutEmailIdentityMailFromAttributes sets a MAIL FROM domain */
  mailFrom?: MailFromAttributes;
  tags: Record<string, string>;
  /** epoch ms at which the identity becomes verified by itself (verifyNewIdentitiesAfter), as DNS would do */
  verifyAt?: number;
}
export interface DeliverabilityTestReportRecord {
  reportId: string;
  reportName?: string;
  fromEmailAddress: string;
  subject?: string;
  createDate: Date;
  status: 'IN_PROGRESS' | 'COMPLETED';
  /** the raw MIME message when the test was created from Content.Raw */
  message?: string;
  tags: Record<string, string>;
}
export interface DashboardRecord {
  enabled: boolean;
  accountStatus: 'ACTIVE' | 'PENDING_EXPIRATION' | 'DISABLED';
  subscriptionExpiryDate?: Date;
  subscribedDomains: DomainDeliverabilityTrackingOption[];
}
export interface AccountSettings {
  sendingEnabled: boolean;
  dedicatedIpAutoWarmupEnabled: boolean;
  productionAccessEnabled: boolean;
  enforcementStatus: string;
  sendQuota: { Max24HourSend: number; MaxSendRate: number; SentLast24Hours: number };
}
export interface SentEmailRecord { messageId: string; from?: string; to: string[]; configurationSetName?: string }

export class AccountState {
  readonly configurationSets = new Map<string, ConfigurationSetRecord>();
  readonly dedicatedIpPools = new Map<string, DedicatedIpPoolRecord>();
  /** dedicated IPs exist only when seeded with addDedicatedIp (AWS leases them; no API creates one) */
  readonly dedicatedIps = new Map<string, DedicatedIpRecord>();
  readonly emailIdentities = new Map<string, EmailIdentityRecord>();
  readonly deliverabilityTestReports = new Map<string, DeliverabilityTestReportRecord>();
  readonly dashboard: DashboardRecord = { enabled: false, accountStatus: 'DISABLED', subscribedDomains: [] };
  readonly settings: AccountSettings = {
    sendingEnabled: true,
    dedicatedIpAutoWarmupEnabled: true,
    productionAccessEnabled: true, // out of the sandbox: SendEmail does not check recipients
    enforcementStatus: 'HEALTHY',
    sendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
  };
  readonly sentEmails: SentEmailRecord[] = [];
  /** When set, every identity created from now on becomes verified this many ms later (see verifyNewIdentitiesAfter). */
  private verificationDelayMs: number | undefined;

  constructor(readonly accountId: string, readonly region: string) {}

  arn(type: ResourceType, name: string): string {
    return arnOf(this.region, this.accountId, type, name);
  }

  /** The tags of the resource with this ARN, or undefined when no such resource exists here. */
  tagsOf(arn: string): Record<string, string> | undefined {
    for (const [type, records] of this.taggable()) {
      for (const [name, record] of records) {
        const same = type === 'identity' ? canonicalIdentity(this.arn(type, name)) === canonicalIdentity(arn) : this.arn(type, name) === arn;
        if (same) return record.tags;
      }
    }
    return undefined;
  }

  /**
   * The identity of this name. [decision] Domains are case-insensitive, as in SES: `Example.com` finds `example.com`
   * (and the domain part of an address); the local part of an address is compared exactly.
   */
  findEmailIdentity(name: string): EmailIdentityRecord | undefined {
    const wanted = canonicalIdentity(name);
    const found = this.emailIdentities.get(name) ?? [...this.emailIdentities.values()].find((record) => canonicalIdentity(record.name) === wanted);
    if (found?.verifyAt !== undefined && Date.now() >= found.verifyAt) {
      found.verifyAt = undefined;
      this.verifyIdentity(found.name);
    }
    return found;
  }

  /** Replaces a resource's tags without validation, e.g. to seed `aws:` tags that no API call may set. */
  setTags(arn: string, tags: Record<string, string>): void {
    const current = this.tagsOf(arn);
    if (!current) throw new Error(`no resource ${arn} in ${this.accountId}/${this.region}`);
    for (const k of Object.keys(current)) delete current[k];
    Object.assign(current, tags);
  }

  /**
   * Identities created from now on verify themselves `ms` after their creation, as DNS propagation (or a click on the
   * verification link) would; undefined stops it. An identity is verified when it is next read after that time.
   */
  verifyNewIdentitiesAfter(ms: number | undefined): void {
    this.verificationDelayMs = ms;
  }

  /** What DNS and the verification email would do: the identity becomes verified (a domain's DKIM and MAIL FROM too). */
  verifyIdentity(name: string): EmailIdentityRecord {
    const identity = this.findEmailIdentity(name);
    if (!identity) throw new Error(`no email identity ${name} in ${this.accountId}/${this.region}`);
    identity.verifiedForSending = true;
    if (identity.identityType === 'DOMAIN') identity.dkim.Status = 'SUCCESS';
    if (identity.mailFrom) identity.mailFrom.MailFromDomainStatus = 'SUCCESS';
    return identity;
  }

  addConfigurationSet(name: string, options: Partial<Omit<ConfigurationSetRecord, 'name'>> = {}): ConfigurationSetRecord {
    const record: ConfigurationSetRecord = {
      name,
      DeliveryOptions: { TlsPolicy: 'OPTIONAL' },
      ReputationOptions: { ReputationMetricsEnabled: false },
      SendingOptions: { SendingEnabled: true },
      eventDestinations: new Map(),
      tags: {},
      ...options,
    };
    this.configurationSets.set(name, record);
    return record;
  }

  addDedicatedIpPool(name: string, tags: Record<string, string> = {}, scalingMode?: ScalingMode): DedicatedIpPoolRecord {
    const record: DedicatedIpPoolRecord = { name, tags, ...(scalingMode ? { scalingMode } : {}) };
    this.dedicatedIpPools.set(name, record);
    return record;
  }

  /** A dedicated IP leased to the account (AWS leases them; no API does), in `poolName` (default: the default pool). */
  addDedicatedIp(ip: string, poolName: string = DEFAULT_DEDICATED_POOL, warmupPercentage = 100): DedicatedIpRecord {
    const record: DedicatedIpRecord = { ip, poolName, warmupPercentage, warmupStatus: warmupPercentage >= 100 ? 'DONE' : 'IN_PROGRESS' };
    this.dedicatedIps.set(ip, record);
    return record;
  }

  /** A report made outside the stack under test (reports have server-generated ids). */
  addDeliverabilityTestReport(options: { fromEmailAddress: string; tags?: Record<string, string> }): DeliverabilityTestReportRecord {
    const reportId = randomUUID();
    const record: DeliverabilityTestReportRecord = {
      reportId, fromEmailAddress: options.fromEmailAddress, subject: 'seeded', createDate: new Date(), status: 'IN_PROGRESS', tags: options.tags ?? {},
    };
    this.deliverabilityTestReports.set(reportId, record);
    return record;
  }

  /** A new, unverified identity; a domain gets three DKIM tokens (32 lowercase letters and digits) and DKIM status PENDING. */
  addEmailIdentity(name: string, options: { verified?: boolean; tags?: Record<string, string> } = {}): EmailIdentityRecord {
    const isDomain = !name.includes('@');
    const record: EmailIdentityRecord = {
      name,
      identityType: isDomain ? 'DOMAIN' : 'EMAIL_ADDRESS',
      verifiedForSending: false,
      feedbackForwarding: true,
      // An address identity has no DKIM tokens of its own (its domain's DKIM applies).
      dkim: isDomain ? { SigningEnabled: true, Status: 'PENDING', Tokens: easyDkimTokens() } : { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [] },
      tags: options.tags ?? {},
      ...(this.verificationDelayMs !== undefined ? { verifyAt: Date.now() + this.verificationDelayMs } : {}),
    };
    this.emailIdentities.set(name, record);
    return options.verified ? this.verifyIdentity(name) : record;
  }

  /** What PutDeliverabilityDashboardOption {DashboardEnabled: true} does: an ACTIVE subscription (needed for test reports). */
  enableDashboard(subscribedDomains: DomainDeliverabilityTrackingOption[] = []): DashboardRecord {
    return Object.assign(this.dashboard, { enabled: true, accountStatus: 'ACTIVE', subscriptionExpiryDate: undefined, subscribedDomains });
  }

  /** Makes a test report COMPLETED, as AWS does about 24 hours after creating it. */
  completeDeliverabilityTest(reportId: string): DeliverabilityTestReportRecord {
    const report = this.deliverabilityTestReports.get(reportId);
    if (!report) throw new Error(`no deliverability test report ${reportId} in ${this.accountId}/${this.region}`);
    report.status = 'COMPLETED';
    return report;
  }

  /** The four taggable resource types and their records. */
  taggable(): Array<[ResourceType, Map<string, { tags: Record<string, string> }>]> {
    return [
      ['configuration-set', this.configurationSets],
      ['dedicated-ip-pool', this.dedicatedIpPools],
      ['identity', this.emailIdentities],
      ['deliverability-test-report', this.deliverabilityTestReports],
    ];
  }
}

/** An identity name (or its ARN) with the domain in lower case. */
function canonicalIdentity(name: string): string {
  const at = name.lastIndexOf('@');
  const slash = name.lastIndexOf('/');
  const cut = Math.max(at, slash);
  return cut < 0 ? name.toLowerCase() : `${name.slice(0, cut + 1)}${name.slice(cut + 1).toLowerCase()}`;
}

const DKIM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
function token(): string {
  return [...randomBytes(32)].map((b) => DKIM_ALPHABET[b % DKIM_ALPHABET.length]).join('');
}
/** The three CNAME tokens of a new Easy DKIM key pair. */
export function easyDkimTokens(): string[] {
  return [token(), token(), token()];
}

/** All accounts and regions of one service instance. */
export class ServiceState {
  private readonly accounts = new Map<string, AccountState>();

  get(accountId: string, region: string): AccountState {
    const key = `${accountId}/${region}`;
    let state = this.accounts.get(key);
    if (!state) this.accounts.set(key, (state = new AccountState(accountId, region)));
    return state;
  }

  clear(): void {
    this.accounts.clear();
  }
}
