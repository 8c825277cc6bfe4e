import { IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { IConfigurationSet } from './configuration-set';
import { ByoDkimOptions, DkimIdentity, EasyDkimSigningKeyLength } from './dkim-identity';
import { EmailIdentityVerification, VerificationWaitOptions } from './email-identity-verification';
import { sesV2OnlyProblems } from './private/api-requirement';
import { ByoDkimProperty, EmailIdentityAttributes, EmailIdentityProperties, ResourceTypes } from './private/contract';
import { declaredArnOf, recordDeclaredArn } from './private/declared-arns';
import { DOMAIN_RULE, isDomainName } from './private/domain-name';
import { byoDkimProblems, byoDkimRecord, byoDkimSecretArn, configurationSetProblems, grantSesV2Options } from './private/email-identity-options';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { exactArnInPolicy } from './private/policy-arn';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks, enumProblems, importedArnName } from './private/validation';

/** A Pinpoint Email identity: an email address or a domain. */
export interface IEmailIdentity extends IResource {
  /**
   * The email address or domain of the identity.
   * @attribute
   */
  readonly emailIdentityName: string;

  /**
   * The ARN of the identity (`arn:<partition>:ses:<region>:<account>:identity/<address-or-domain>`).
   * @attribute
   */
  readonly emailIdentityArn: string;

  /**
   * Grants `actions` (for example `ses:SendEmail`) on this identity to `grantee`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `ses:SendEmail` and `ses:SendRawEmail` from this identity to `grantee`, and on `configurationSet` when
   * one is given (sending with a configuration set is authorized on both resources).
   */
  grantSendEmail(grantee: iam.IGrantable, configurationSet?: IConfigurationSet): iam.Grant;
}

/** The kind of an email identity. */
export enum IdentityType {
  /** An email address, verified by a link sent to it. */
  EMAIL_ADDRESS = 'EMAIL_ADDRESS',
  /** A domain, verified by its DKIM CNAME records. */
  DOMAIN = 'DOMAIN',
}

/** What happens to email when the MX record of the custom MAIL FROM domain cannot be read. */
export enum MailFromBehaviorOnMxFailure {
  /** Send with the default MAIL FROM domain (a subdomain of amazonses.com). */
  USE_DEFAULT_VALUE = 'USE_DEFAULT_VALUE',
  /** Reject the message with a `MailFromDomainNotVerified` error and do not send it. */
  REJECT_MESSAGE = 'REJECT_MESSAGE',
}

/** The email address or domain that an `EmailIdentity` verifies. */
export abstract class Identity {
  /** An email address, such as `sender@example.com`. Amazon Pinpoint sends it a verification link. */
  public static email(emailAddress: string): Identity {
    return new IdentityValue(lowerCaseDomain(emailAddress), IdentityType.EMAIL_ADDRESS);
  }

  /**
   * A domain, such as `example.com`, whose DNS you manage yourself: publish the CNAME records listed in
   * `EmailIdentity.dkimRecords` to verify it.
   */
  public static domain(domainName: string): Identity {
    return new IdentityValue(lowerCaseDomain(domainName), IdentityType.DOMAIN);
  }

  /**
   * A domain in a Route 53 public hosted zone; the `EmailIdentity` publishes its DKIM records (and its MAIL FROM
   * records) in the zone.
   *
   * @param hostedZone the zone; without `subdomain` the identity is the zone's own domain (its apex)
   * @param subdomain a domain inside the zone, named like a Route 53 `recordName`: relative to the zone (`mail` for
   * `mail.example.com`), or fully qualified when it ends with the zone name (`mail.example.com`)
   */
  public static publicHostedZone(hostedZone: route53.IPublicHostedZone, subdomain?: string): Identity {
    return new IdentityValue(lowerCaseDomain(domainInZone(hostedZone.zoneName, subdomain)), IdentityType.DOMAIN, hostedZone);
  }

  /**
   * The email address or domain. Domains are lower-cased (the domain of an address too, not its local part): SES names
   * domains without regard to case, so `Example.com` and `example.com` are one identity.
   */
  public abstract readonly value: string;

  /** Whether the identity is an email address or a domain. */
  public abstract readonly identityType: IdentityType;

  /**
   * The Route 53 zone the identity's DNS records are published in.
   * @default - none: the records are yours to publish
   */
  public abstract readonly hostedZone?: route53.IPublicHostedZone;
}

class IdentityValue extends Identity {
  constructor(
    public readonly value: string,
    public readonly identityType: IdentityType,
    public readonly hostedZone?: route53.IPublicHostedZone,
  ) {
    super();
  }
}

/** A DNS record to publish for an email identity. */
export interface DnsRecord {
  /** The record's fully qualified name, without a trailing dot (`<token>._domainkey.example.com`). */
  readonly name: string;
  /** The record's type (`CNAME`; `TXT` for a BYODKIM public key). */
  readonly type: string;
  /** The record's value (`<token>.dkim.amazonses.com`; `p=<public key>` for a BYODKIM public key). */
  readonly value: string;
}

/** Properties of an `EmailIdentity`. */
export interface EmailIdentityProps {
  /**
   * The email address or domain to verify. Changing it replaces the identity. The handler's IAM policy names each
   * identity; beyond about a hundred identities in a stack it would exceed IAM's size limit, and every identity of the
   * account and region is granted instead (synth warns): split such a set of identities over several stacks.
   */
  readonly identity: Identity;

  /**
   * Whether email sent from the identity is DKIM-signed. For an email address, signing needs DKIM set up on the
   * address's domain.
   * @default true
   */
  readonly dkimSigning?: boolean;

  /**
   * Whether bounce and complaint notifications are forwarded by email to the Return-Path address. When false, another
   * mechanism (an event destination) must receive them.
   * @default true
   */
  readonly feedbackForwarding?: boolean;

  /**
   * A custom MAIL FROM domain: a subdomain of the identity's domain (of the address's domain for an email address)
   * that is not used to receive email. With `Identity.publicHostedZone`, its MX and SPF records are published too.
   * @default - no custom MAIL FROM domain: a subdomain of amazonses.com
   */
  readonly mailFromDomain?: string;

  /**
   * What happens to email when the MX record of `mailFromDomain` cannot be read. Needs `mailFromDomain`.
   * @default MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE
   */
  readonly mailFromBehaviorOnMxFailure?: MailFromBehaviorOnMxFailure;

  /**
   * The configuration set that email sent from the identity uses when the sending request names none. Needs the SES
   * API v2 (`EmailApi.use(stack, EmailApiVersion.SES_V2)` or the context key `cdk-pinpoint-email:api`). A set of the
   * same stack is created before the identity. Removing it leaves the identity without a default set.
   * @default - no default configuration set
   */
  readonly configurationSet?: IConfigurationSet;

  /**
   * How SES DKIM-signs email from a domain identity: `DkimIdentity.easyDkim(keyLength)`, or your own key pair with
   * `DkimIdentity.byoDkim({ privateKey, selector })`, its private key read from a Secrets Manager secret at deploy time.
   * Needs the SES API v2; domains only. A change is an update in place; removing it returns to Easy DKIM with SES's
   * default key length. With BYODKIM there are no CNAME records: publish the public key's TXT record (the identity does
   * it with `Identity.publicHostedZone` and `publicKey`).
   * @default - Easy DKIM, with SES's default key length (2048 bits)
   */
  readonly dkimIdentity?: DkimIdentity;

  /**
   * Tags for the identity, merged with those applied by `Tags.of(scope)`.
   * At most 49 (the API allows 50, and the handler adds its ownership tag); keys of 1 to 128 characters and values of
   * up to 256, without the `aws:` prefix, and no key starting with `cdk-pinpoint-email:`.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the identity when it is removed from the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ARN_RESOURCE = 'identity';
const SEND_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'];
const DKIM_TOKEN_ATTRIBUTES = [
  EmailIdentityAttributes.DKIM_TOKEN_1,
  EmailIdentityAttributes.DKIM_TOKEN_2,
  EmailIdentityAttributes.DKIM_TOKEN_3,
];
const SPF_RECORD = 'v=spf1 include:amazonses.com ~all';
const MAIL_FROM_MX_PRIORITY = 10;

/** What every email identity, created or imported, can grant. */
export abstract class EmailIdentityBase extends Resource implements IEmailIdentity {
  /** The email address or domain of the identity. */
  public abstract readonly emailIdentityName: string;
  /** The ARN of the identity. */
  public abstract readonly emailIdentityArn: string;

  /** Grants `actions` (for example `ses:SendEmail`) on this identity to `grantee`. */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.emailIdentityArn] });
  }

  /**
   * Grants `ses:SendEmail` and `ses:SendRawEmail` from this identity to `grantee`, and on `configurationSet` when
   * one is given (sending with a configuration set is authorized on both resources).
   */
  public grantSendEmail(grantee: iam.IGrantable, configurationSet?: IConfigurationSet): iam.Grant {
    const resourceArns = [this.emailIdentityArn];
    if (configurationSet) resourceArns.push(configurationSet.configurationSetArn);
    return iam.Grant.addToPrincipal({ grantee, actions: SEND_ACTIONS, resourceArns });
  }
}

/**
 * An Amazon Pinpoint Email identity (an email address or a domain), created with its tags, then configured with only
 * the options that differ from the API's defaults, and updated in place.
 *
 * An identity that already exists in the account is never adopted: the deployment fails and says how to import it
 * with `EmailIdentity.fromEmailIdentityName`.
 *
 * @resource Custom::PinpointEmailIdentity
 */
export class EmailIdentity extends EmailIdentityBase implements ITaggable {
  /** Imports an existing identity by its email address or domain. */
  public static fromEmailIdentityName(scope: Construct, id: string, emailIdentityName: string): IEmailIdentity {
    class Import extends EmailIdentityBase {
      public readonly emailIdentityName = emailIdentityName;
      public readonly emailIdentityArn = identityArn(this, emailIdentityName);
    }
    return new Import(scope, id);
  }

  /** Imports an existing identity by ARN. A malformed ARN, or one without an address or domain, fails synthesis. */
  public static fromEmailIdentityArn(scope: Construct, id: string, emailIdentityArn: string): IEmailIdentity {
    const parsed = importedArnName(emailIdentityArn, 'emailIdentityArn', ARN_RESOURCE, 'email address or domain');
    class Import extends EmailIdentityBase {
      public readonly emailIdentityName = parsed.name;
      public readonly emailIdentityArn = emailIdentityArn;
    }
    const imported = new Import(scope, id, { environmentFromArn: parsed.environmentFromArn });
    addPropChecks(imported, () => parsed.problems);
    return imported;
  }

  /** The email address or domain of the identity. */
  public readonly emailIdentityName: string;
  /** The ARN of the identity (`arn:<partition>:ses:<region>:<account>:identity/<address-or-domain>`). */
  public readonly emailIdentityArn: string;
  /** Whether the identity is an email address or a domain, known at synth from `props.identity`. */
  public readonly identityType: IdentityType;
  /** The three Easy DKIM tokens of a domain identity; empty for an email address, and with BYODKIM. */
  public readonly dkimTokens: string[];
  /**
   * The DNS records that verify a domain identity, published for you with `Identity.publicHostedZone`: with Easy DKIM,
   * its three CNAME records (`<token>._domainkey.<domain>` to `<token>.dkim.amazonses.com`); with BYODKIM, the TXT
   * record of its public key (`<selector>._domainkey.<domain>`, `p=<public key>`) when `publicKey` is given. Empty for
   * an email address.
   */
  public readonly dkimRecords: DnsRecord[];
  /** Tags of the identity, rendered into its properties; `Tags.of(scope)` reaches them. */
  public readonly tags: TagManager;
  /**
   * Whether the identity is verified for sending (`"true"` or `"false"`), as the API answered when CloudFormation last
   * created or updated the identity: a new identity reads `"false"`, and the value is not refreshed later. For the
   * state after waiting, use `waitForVerification().verifiedForSending`.
   * @attribute
   */
  public readonly verifiedForSending: string;
  /**
   * The identity's DKIM status (`PENDING`, `SUCCESS`, `FAILED`, `TEMPORARY_FAILURE` or `NOT_STARTED`), as the API
   * answered when CloudFormation last created or updated the identity; not refreshed later. Empty when the API gave
   * none.
   * @attribute
   */
  public readonly dkimStatus: string;
  private readonly identityValue: Identity;
  private readonly byoDkim?: ByoDkimOptions;
  private readonly recordConstructs: IConstruct[] = [];
  private verification?: EmailIdentityVerification;

  constructor(scope: Construct, id: string, props: EmailIdentityProps) {
    // The address or domain is known at synth: a consumer in another environment gets it as it is.
    super(scope, id, { physicalName: props.identity.value });
    const identity = props.identity;
    this.identityType = identity.identityType;
    const byoDkim = props.dkimIdentity?.byoDkimOptions;
    this.byoDkim = byoDkim;
    addPropChecks(this,
      () => identityProblems(identity),
      () => mailFromProblems(identity, props.mailFromDomain, props.mailFromBehaviorOnMxFailure),
      () => enumProblems('mailFromBehaviorOnMxFailure', props.mailFromBehaviorOnMxFailure, MailFromBehaviorOnMxFailure, 'MailFromBehaviorOnMxFailure'),
      () => sesV2OnlyProblems(this, { configurationSet: props.configurationSet, dkimIdentity: props.dkimIdentity }),
      () => configurationSetProblems(this, props.configurationSet),
      () => dkimIdentityProblems(identity, props.dkimIdentity));

    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.EMAIL_IDENTITY, props.tags);
    const resource = createPinpointEmailResource<EmailIdentityProperties>(this, {
      resourceType: ResourceTypes.EMAIL_IDENTITY,
      tags: this.tags,
      removalPolicy: props.removalPolicy,
      properties: {
        EmailIdentity: identity.value,
        DkimSigningEnabled: props.dkimSigning,
        FeedbackForwardingEnabled: props.feedbackForwarding,
        MailFromDomain: props.mailFromDomain,
        MailFromBehaviorOnMxFailure: props.mailFromBehaviorOnMxFailure,
        // A set of the stack is its Ref: CloudFormation creates it first, and deletes it after the identity.
        ConfigurationSetName: props.configurationSet?.configurationSetName,
        DkimSigningKeyLength: props.dkimIdentity?.signingKeyLength,
        ByoDkim: byoDkim && byoDkimProperty(byoDkim),
      },
    });
    this.identityValue = identity;
    this.verifiedForSending = resource.getAttString(EmailIdentityAttributes.VERIFIED_FOR_SENDING);
    this.dkimStatus = resource.getAttString(EmailIdentityAttributes.DKIM_STATUS);
    this.emailIdentityName = this.getResourceNameAttribute(resource.ref);
    this.emailIdentityArn = this.getResourceArnAttribute(identityArn(this, resource.ref), {
      service: 'ses', resource: ARN_RESOURCE, resourceName: this.physicalName,
    });

    const isDomain = identity.identityType === IdentityType.DOMAIN;
    // With BYODKIM, the API's tokens are the selector alone: there is no CNAME record to publish.
    this.dkimTokens = isDomain && !byoDkim ? DKIM_TOKEN_ATTRIBUTES.map((attribute) => resource.getAttString(attribute)) : [];
    this.dkimRecords = this.dkimTokens.map((token) => ({
      name: `${token}._domainkey.${identity.value}`,
      type: 'CNAME',
      value: `${token}.dkim.amazonses.com`,
    }));
    const publicKeyRecord = isDomain && byoDkim ? byoDkimRecord(identity.value, byoDkim) : undefined;
    if (publicKeyRecord) this.dkimRecords.push(publicKeyRecord);

    const declaredArn = identityArn(this, identity.value);
    recordDeclaredArn(this, declaredArn);
    const provider = PinpointEmailProvider.of(this);
    provider.grantManage('email-identity', exactArnInPolicy(declaredArn));
    const set = props.configurationSet;
    grantSesV2Options(this, provider, {
      identityArn: exactArnInPolicy(declaredArn),
      configurationSetArn: set && exactArnInPolicy(declaredArnOf(set, set.configurationSetArn)),
      privateKey: byoDkim?.privateKey,
    });

    if (identity.hostedZone) this.publishRecords(identity.hostedZone, props.mailFromDomain);
  }

  /**
   * Makes the deployment wait, boundedly, until the identity is verified for sending, after its DNS records (when this
   * construct publishes them in a Route 53 zone) exist; returns the wait, which other constructs can depend on. The
   * wait polls `GetEmailIdentity` (once per 30 seconds at most, after the first few) in steps of at most 8 minutes, and
   * fails the deployment at the timeout with the missing DKIM status and the records to publish. Calling it again
   * returns the same wait. A `DeliverabilityTest` whose `fromIdentity` is this identity, in the same stack, waits for
   * it on its own.
   */
  public waitForVerification(options: VerificationWaitOptions = {}): EmailIdentityVerification {
    if (this.verification) {
      const wanted = options.timeout;
      if (wanted !== undefined && wanted.toMilliseconds() !== this.verification.timeout.toMilliseconds()) {
        addPropChecks(this, () => [`timeout: waitForVerification was called twice with different timeouts (${this.verification!.timeout.toMilliseconds() / 1000} and ${wanted.toMilliseconds() / 1000} seconds)`]);
      }
      return this.verification;
    }
    const isDomain = this.identityValue.identityType === IdentityType.DOMAIN;
    const records = this.dkimRecords.map((record) => `${record.name} ${record.type} ${record.value}`);
    if (isDomain && this.byoDkim && records.length === 0) {
      records.push(`${this.byoDkim.selector}._domainkey.${this.identityValue.value} TXT p=<the public key of your DKIM key pair>`);
    }
    this.verification = new EmailIdentityVerification(this, 'Verification', {
      ...options,
      emailIdentityName: this.emailIdentityName,
      records: isDomain ? records : [],
      after: this.recordConstructs,
    });
    return this.verification;
  }

  /**
   * The DKIM CNAMEs (or BYODKIM's public key), and the MAIL FROM MX and SPF records; names are fully qualified, so
   * Route 53 takes them as they are.
   */
  private publishRecords(zone: route53.IPublicHostedZone, mailFromDomain: string | undefined): void {
    this.dkimRecords.filter((record) => record.type === 'CNAME').forEach((record, i) => this.recordConstructs.push(
      new route53.CnameRecord(this, `DkimRecord${i + 1}`, { zone, recordName: `${record.name}.`, domainName: record.value })));
    this.dkimRecords.filter((record) => record.type === 'TXT').forEach((record) => this.recordConstructs.push(
      new route53.TxtRecord(this, 'DkimPublicKeyRecord', { zone, recordName: `${record.name}.`, values: [record.value] })));
    if (mailFromDomain === undefined) return;
    this.recordConstructs.push(new route53.MxRecord(this, 'MailFromMxRecord', {
      zone,
      recordName: `${mailFromDomain}.`,
      values: [{ priority: MAIL_FROM_MX_PRIORITY, hostName: `feedback-smtp.${Stack.of(this).region}.amazonses.com` }],
    }), new route53.TxtRecord(this, 'MailFromSpfRecord', {
      zone,
      recordName: `${mailFromDomain}.`,
      values: [SPF_RECORD],
    }));
  }
}

/** The custom resource's BYODKIM property: the selector and where the key is, never the key. */
function byoDkimProperty(options: ByoDkimOptions): ByoDkimProperty {
  return {
    Selector: options.selector,
    PrivateKeySecretArn: byoDkimSecretArn(options.privateKey),
    PrivateKeyJsonField: options.privateKeyJsonField,
    PrivateKeyVersionId: options.privateKeyVersionId,
    PrivateKeyVersionStage: options.privateKeyVersionStage,
  };
}

function dkimIdentityProblems(identity: Identity, dkimIdentity: DkimIdentity | undefined): string[] {
  if (dkimIdentity === undefined) return [];
  if (identity.identityType === IdentityType.EMAIL_ADDRESS) {
    return ['dkimIdentity applies to domain identities only: an email address signs with the DKIM setup of its domain'];
  }
  const problems = enumProblems('dkimIdentity', dkimIdentity.signingKeyLength, EasyDkimSigningKeyLength, 'EasyDkimSigningKeyLength');
  return dkimIdentity.byoDkimOptions ? [...problems, ...byoDkimProblems(dkimIdentity.byoDkimOptions)] : problems;
}

function identityArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ses', resource: ARN_RESOURCE, resourceName: name });
}

// ---- names ----

/** The unquoted dot-atom local part of RFC 5322. */
const LOCAL_PART_PATTERN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const MAX_LOCAL_PART_LENGTH = 64;

function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  return at > 0 && local.length <= MAX_LOCAL_PART_LENGTH && LOCAL_PART_PATTERN.test(local) && isDomainName(value.slice(at + 1));
}

/** The domain of an identity: itself, or the part after the `@` of an email address. */
function domainOf(identity: Identity): string {
  return identity.identityType === IdentityType.EMAIL_ADDRESS ? identity.value.slice(identity.value.lastIndexOf('@') + 1) : identity.value;
}

/** The name with its domain (all of it, or the part after the last `@`) in lower case; a token unchanged. */
function lowerCaseDomain(name: string): string {
  if (Token.isUnresolved(name)) return name;
  const at = name.lastIndexOf('@');
  return at < 0 ? name.toLowerCase() : `${name.slice(0, at)}@${name.slice(at + 1).toLowerCase()}`;
}

function stripTrailingDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** The domain a subdomain names in a zone, with Route 53's `recordName` rules. */
function domainInZone(zoneName: string, subdomain: string | undefined): string {
  const zone = stripTrailingDot(zoneName);
  if (subdomain === undefined) return zone;
  if (subdomain.endsWith('.')) return stripTrailingDot(subdomain);
  const isQualified = subdomain === zone || subdomain.toLowerCase().endsWith(`.${zone.toLowerCase()}`);
  return isQualified ? subdomain : `${subdomain}.${zone}`;
}

function identityProblems(identity: Identity): string[] {
  const value = identity.value;
  if (Token.isUnresolved(value)) return [];
  if (identity.identityType === IdentityType.EMAIL_ADDRESS) {
    return isEmailAddress(value) ? [] : [`identity "${value}" is not a valid email address (local-part@domain, the domain of ${DOMAIN_RULE})`];
  }
  if (!isDomainName(value)) return [`identity "${value}" is not a valid domain name: ${DOMAIN_RULE}`];
  const zoneName = identity.hostedZone?.zoneName;
  if (zoneName !== undefined && !Token.isUnresolved(zoneName) && !isInZone(value, stripTrailingDot(zoneName))) {
    return [`identity "${value}" is not inside the hosted zone "${zoneName}", so its DNS records cannot be published there`];
  }
  return [];
}

function isInZone(domain: string, zoneName: string): boolean {
  const name = domain.toLowerCase();
  const zone = zoneName.toLowerCase();
  return name === zone || name.endsWith(`.${zone}`);
}

function mailFromProblems(identity: Identity, mailFromDomain: string | undefined, behavior: MailFromBehaviorOnMxFailure | undefined): string[] {
  if (mailFromDomain === undefined) {
    return behavior === undefined ? [] : ['mailFromBehaviorOnMxFailure needs mailFromDomain'];
  }
  if (Token.isUnresolved(mailFromDomain)) return [];
  if (!isDomainName(mailFromDomain)) return [`mailFromDomain "${mailFromDomain}" is not a valid domain name: ${DOMAIN_RULE}`];
  const parent = domainOf(identity);
  if (Token.isUnresolved(parent)) return [];
  return mailFromDomain.toLowerCase().endsWith(`.${parent.toLowerCase()}`)
    ? []
    : [`mailFromDomain "${mailFromDomain}" must be a subdomain of "${parent}", the domain of the identity`];
}
