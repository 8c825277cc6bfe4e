/**
 * The contract between the constructs (src/) and the handler (lambda/): resource types, property names and how values
 * are encoded. Both sides import this module, so a mismatch is a compile error.
 *
 * CloudFormation delivers every property as a string ("true", "42"); the handler decodes them in lambda/decode.ts.
 * Bump SCHEMA_VERSION when a shape changes, and keep the handler accepting every shape ever shipped.
 */

/**
 * Version of the property shapes below. Sent as `SchemaVersion` in every resource's properties.
 * - 1: `Tags` is a list of `{Key, Value}`.
 * - 2: `Tags` is a map of key to value (TagsProperty), about half the template bytes.
 */
export const SCHEMA_VERSION = '2';

/** CloudFormation resource types of the custom resources. */
export const ResourceTypes = {
  CONFIGURATION_SET: 'Custom::PinpointEmailConfigurationSet',
  DEDICATED_IP_POOL: 'Custom::PinpointEmailDedicatedIpPool',
  EMAIL_IDENTITY: 'Custom::PinpointEmailIdentity',
  DELIVERABILITY_TEST: 'Custom::PinpointEmailDeliverabilityTest',
  DELIVERABILITY_DASHBOARD: 'Custom::PinpointEmailDeliverabilityDashboard',
  IDENTITY_VERIFICATION: 'Custom::PinpointEmailIdentityVerification',
  DEDICATED_IP: 'Custom::PinpointEmailDedicatedIp',
  ACCOUNT_SETTINGS: 'Custom::PinpointEmailAccountSettings',
  CONFIGURATION_SET_EVENT_DESTINATION: 'Custom::PinpointEmailConfigurationSetEventDestination',
} as const;

export type ResourceType = (typeof ResourceTypes)[keyof typeof ResourceTypes];

/** The API the handler calls, chosen per stack (src/email-api.ts) and passed in the function's environment. */
export const EmailApiBackends = {
  PINPOINT_EMAIL: 'pinpoint-email',
  SES_V2: 'sesv2',
} as const;

export type EmailApiBackend = (typeof EmailApiBackends)[keyof typeof EmailApiBackends];

/** The handler's environment variable that names the backend; unset means Pinpoint Email. */
export const EMAIL_API_ENV = 'CDK_PINPOINT_EMAIL_API';

/**
 * Tag keys with this prefix belong to the handler: synthesis rejects them in user tags, and tag reconciliation never
 * sets, changes or removes them.
 */
export const RESERVED_TAG_KEY_PREFIX = 'cdk-pinpoint-email:';

/**
 * The ownership tag that every create call carries (value: `<stack uuid>:<hash of the stack id and logical id>`, see
 * lambda/ownership.ts). It takes one of the 50 tag slots of a resource.
 */
export const OWNER_TAG_KEY = `${RESERVED_TAG_KEY_PREFIX}owner`;

/**
 * Ends the stack part of the ownership tag's value: the handler's policy grants on resources whose tag matches
 * `<stack uuid>:*` (src/private/handler-policy.ts).
 */
export const OWNER_MARKER_STACK_SEPARATOR = ':';

/** A tag as rendered by a KEY_VALUE TagManager: an item of `Tags` in schema version 1. */
export interface TagProperty {
  readonly Key: string;
  readonly Value: string;
}

/**
 * `Tags` since schema version 2: a map of key to value; the list of version 1 when a key cannot be a key of a
 * template's map (src/private/tags-property.ts).
 */
export type TagsProperty = Readonly<Record<string, string>> | TagProperty[];

/** A boolean as the construct renders it; CloudFormation turns it into "true" / "false". */
export type BooleanProperty = boolean | 'true' | 'false';

/** Properties common to every resource. */
export interface CommonProperties {
  readonly SchemaVersion: string;
  readonly Tags?: TagsProperty;
}

/**
 * `Custom::PinpointEmailConfigurationSet` properties. The members after `SendingEnabled` are options that only the SES
 * API v2 has: synth refuses them on the Pinpoint Email API, and leaves each out of the properties while it is unset.
 */
export interface ConfigurationSetProperties extends CommonProperties {
  readonly ConfigurationSetName: string;
  readonly CustomRedirectDomain?: string;
  readonly SendingPoolName?: string;
  readonly TlsPolicy?: string;
  readonly ReputationMetricsEnabled?: BooleanProperty;
  readonly SendingEnabled?: BooleanProperty;
  /** The HttpsPolicy of the tracking options (REQUIRE, REQUIRE_OPEN_ONLY, OPTIONAL); only with `CustomRedirectDomain`. */
  readonly HttpsPolicy?: string;
  /** DeliveryOptions.MaxDeliverySeconds: an integer from 300 to 50400; CloudFormation delivers it as text. */
  readonly MaxDeliverySeconds?: number | string;
  /** Which reasons put an address on the suppression list: a SuppressionReasons member (BOUNCES_AND_COMPLAINTS...). */
  readonly SuppressionReasons?: string;
  /** "true": the set uses no suppression list at all (SuppressedReasons []); never with `SuppressionReasons`. */
  readonly SuppressionListDisabled?: BooleanProperty;
  /** VdmOptions.DashboardOptions.EngagementMetrics, as a boolean (ENABLED / DISABLED). */
  readonly EngagementMetrics?: BooleanProperty;
  /** VdmOptions.GuardianOptions.OptimizedSharedDelivery, as a boolean (ENABLED / DISABLED). */
  readonly OptimizedSharedDelivery?: BooleanProperty;
}

/** Attribute names returned in the response `Data`, readable with `Fn::GetAtt`. */
export const ConfigurationSetAttributes = {
  NAME: 'ConfigurationSetName',
  ARN: 'Arn',
} as const;

/** `Custom::PinpointEmailDedicatedIpPool` properties. */
export interface DedicatedIpPoolProperties extends CommonProperties {
  readonly PoolName: string;
  /** SES API v2 only: STANDARD or MANAGED; absent is STANDARD. */
  readonly ScalingMode?: string;
}

/** Attribute names of a dedicated IP pool. */
export const DedicatedIpPoolAttributes = {
  NAME: 'PoolName',
  ARN: 'Arn',
} as const;

/** `Custom::PinpointEmailIdentity` properties. */
export interface EmailIdentityProperties extends CommonProperties {
  /** The email address or domain; changing it replaces the identity. */
  readonly EmailIdentity: string;
  readonly DkimSigningEnabled?: BooleanProperty;
  readonly FeedbackForwardingEnabled?: BooleanProperty;
  readonly MailFromDomain?: string;
  readonly MailFromBehaviorOnMxFailure?: string;
  /** SES v2 only: the configuration set used by default when sending from the identity. */
  readonly ConfigurationSetName?: string;
  /** SES v2 only, Easy DKIM: the length of the next DKIM key pair (`RSA_1024_BIT` or `RSA_2048_BIT`). */
  readonly DkimSigningKeyLength?: string;
  /** SES v2 only: Bring Your Own DKIM, instead of Easy DKIM. */
  readonly ByoDkim?: ByoDkimProperty;
}

/**
 * Bring Your Own DKIM: the selector, and where the handler reads the private key at deploy time. The key itself is never
 * a property: it would be in the template, the events and CloudFormation's records.
 */
export interface ByoDkimProperty {
  readonly Selector: string;
  readonly PrivateKeySecretArn: string;
  /** The JSON field of the secret's text that holds the key; absent: the whole value. */
  readonly PrivateKeyJsonField?: string;
  /** The version of the secret to read (a version id or a staging label); absent: `AWSCURRENT`. */
  readonly PrivateKeyVersionId?: string;
  readonly PrivateKeyVersionStage?: string;
}

/** Attribute names of an email identity. The DKIM tokens are empty strings for an email address. */
export const EmailIdentityAttributes = {
  NAME: 'EmailIdentity',
  ARN: 'Arn',
  IDENTITY_TYPE: 'IdentityType',
  DKIM_TOKEN_1: 'DkimToken1',
  DKIM_TOKEN_2: 'DkimToken2',
  DKIM_TOKEN_3: 'DkimToken3',
  /** "true" or "false", as GetEmailIdentity (or CreateEmailIdentity) answered when the event ran. */
  VERIFIED_FOR_SENDING: 'VerifiedForSendingStatus',
  /** The DKIM status (PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE, NOT_STARTED) when the event ran. */
  DKIM_STATUS: 'DkimStatus',
} as const;

/**
 * `Custom::PinpointEmailIdentityVerification` properties: one step of the wait for an identity's verification. A wait
 * is a chain of steps, each at most one Lambda invocation long; the last one fails if the identity is still not
 * verified (see lambda/resources/identity-verification.ts).
 */
export interface IdentityVerificationProperties extends CommonProperties {
  /** The identity's name (its `Ref`, so the step runs after the identity). */
  readonly EmailIdentity: string;
  /** How long this step polls, in seconds. */
  readonly StepSeconds: string;
  /** The whole wait, in seconds, for the failure message. */
  readonly TimeoutSeconds: string;
  /** Whether this is the last step, which fails when the identity is still not verified. */
  readonly Final: BooleanProperty;
  /** The previous step's `Verified` attribute ("true" ends the wait at once); absent on the first step. */
  readonly PreviousVerified?: string;
  /** The previous step's `DkimStatus` attribute, which a step after a verified one answers as its own; absent on the first step. */
  readonly PreviousDkimStatus?: string;
  /** The DNS records to publish, for the failure message: `<name> CNAME <value>`, separated by `; `. */
  readonly Records?: string;
}

/** Attribute names of a verification step. */
export const IdentityVerificationAttributes = {
  VERIFIED: 'Verified',
  VERIFIED_FOR_SENDING: 'VerifiedForSendingStatus',
  DKIM_STATUS: 'DkimStatus',
} as const;

/**
 * `Custom::PinpointEmailDedicatedIp` properties: one dedicated IP of the account, sending from the pool `PoolName`.
 * The physical id records the pool the IP was in before (see lambda/resources/dedicated-ip.ts).
 */
export interface DedicatedIpProperties extends CommonProperties {
  readonly Ip: string;
  readonly PoolName: string;
  /** An integer from 0 to 100; CloudFormation delivers it as text. */
  readonly WarmupPercentage?: number | string;
}

/**
 * `Custom::PinpointEmailAccountSettings` properties: the account's settings in the region, each only when declared.
 * The physical id records the values found at create (see lambda/resources/account-settings.ts).
 */
export interface AccountSettingsProperties extends CommonProperties {
  readonly SendingEnabled?: BooleanProperty;
  readonly AutoWarmupEnabled?: BooleanProperty;
}

/** A simple message: `Subject` and at least one of `Text` and `Html`; `Charset` applies to all three. */
export interface SimpleContentProperty {
  readonly Subject: string;
  readonly Text?: string;
  readonly Html?: string;
  readonly Charset?: string;
}

/** An Amazon Pinpoint message template and the values of its variables (a JSON object, as text). */
export interface TemplateContentProperty {
  readonly TemplateArn: string;
  readonly TemplateData?: string;
}

/** The message of a deliverability test: exactly one of `Simple`, `Raw` (the MIME text, base64-encoded by the SDK) and `Template`. */
export type DeliverabilityTestContentProperty =
  | { readonly Simple: SimpleContentProperty; readonly Raw?: undefined; readonly Template?: undefined }
  | { readonly Raw: string; readonly Simple?: undefined; readonly Template?: undefined }
  | { readonly Template: TemplateContentProperty; readonly Simple?: undefined; readonly Raw?: undefined };

/** `Custom::PinpointEmailDeliverabilityTest` properties. Any change other than `Tags` creates a new report. */
export interface DeliverabilityTestProperties extends CommonProperties {
  readonly FromEmailAddress: string;
  readonly ReportName?: string;
  readonly Content: DeliverabilityTestContentProperty;
}

/** Attribute names of a deliverability test report. */
export const DeliverabilityTestAttributes = {
  REPORT_ID: 'ReportId',
  ARN: 'Arn',
  STATUS: 'DeliverabilityTestStatus',
} as const;

/**
 * `Custom::PinpointEmailDeliverabilityDashboard` properties: the account's dashboard, enabled with these domains.
 * The physical id records whether the dashboard was found enabled (see lambda/resources/deliverability-dashboard.ts).
 */
export interface DeliverabilityDashboardProperties extends CommonProperties {
  readonly SubscribedDomains?: string[];
  /** Inbox placement tracking of some of the `SubscribedDomains`; the others keep what they have. */
  readonly InboxPlacementTracking?: InboxPlacementTrackingProperty[];
}

/** The inbox placement tracking option of one subscribed domain. */
export interface InboxPlacementTrackingProperty {
  readonly Domain: string;
  readonly Global?: BooleanProperty;
  readonly TrackedIsps?: string[];
}

/** A CloudWatch dimension of an event destination, as the API takes it. */
export interface CloudWatchDimensionProperty {
  readonly DimensionName: string;
  readonly DimensionValueSource: string;
  readonly DefaultDimensionValue: string;
}

/**
 * `Custom::PinpointEmailConfigurationSetEventDestination` properties: exactly one destination kind (the SNS topic, the
 * Firehose stream with its role, the CloudWatch dimensions, the Pinpoint application or, with the SES API v2, the
 * EventBridge bus). `MatchingEventTypes` takes DELIVERY_DELAY and SUBSCRIPTION with the SES API v2 only. Event
 * destinations have no tags. A change of either name replaces the destination; any other change updates it in place.
 */
export interface ConfigurationSetEventDestinationProperties extends CommonProperties {
  readonly ConfigurationSetName: string;
  readonly EventDestinationName: string;
  readonly Enabled: BooleanProperty;
  readonly MatchingEventTypes: string[];
  readonly SnsTopicArn?: string;
  readonly FirehoseDeliveryStreamArn?: string;
  readonly FirehoseRoleArn?: string;
  readonly CloudWatchDimensions?: CloudWatchDimensionProperty[];
  readonly PinpointApplicationArn?: string;
  /** SES API v2 only: the account's default event bus in the stack's region. */
  readonly EventBusArn?: string;
}

/** Attribute names of an event destination. */
export const ConfigurationSetEventDestinationAttributes = {
  NAME: 'EventDestinationName',
  CONFIGURATION_SET_NAME: 'ConfigurationSetName',
} as const;
