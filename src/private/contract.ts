/**
 * The contract between the constructs (src/) and the handler (lambda/): resource types, property names and how values
 * are encoded. Both sides import this module, so a mismatch is a compile error.
 *
 * CloudFormation delivers every property as a string ("true", "42"); the handler decodes them in lambda/decode.ts.
 * Bump SCHEMA_VERSION when a shape changes, and keep the handler accepting every shape ever shipped.
 */

/** Version of the property shapes below. Sent as `SchemaVersion` in every resource's properties. */
export const SCHEMA_VERSION = '1';

/** CloudFormation resource types of the custom resources. */
export const ResourceTypes = {
  CONFIGURATION_SET: 'Custom::PinpointEmailConfigurationSet',
  DEDICATED_IP_POOL: 'Custom::PinpointEmailDedicatedIpPool',
  EMAIL_IDENTITY: 'Custom::PinpointEmailIdentity',
  DELIVERABILITY_TEST: 'Custom::PinpointEmailDeliverabilityTest',
  DELIVERABILITY_DASHBOARD: 'Custom::PinpointEmailDeliverabilityDashboard',
  CONFIGURATION_SET_EVENT_DESTINATION: 'Custom::PinpointEmailConfigurationSetEventDestination',
} as const;

export type ResourceType = (typeof ResourceTypes)[keyof typeof ResourceTypes];

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

/** A tag as rendered by a KEY_VALUE TagManager. */
export interface TagProperty {
  readonly Key: string;
  readonly Value: string;
}

/** A boolean as the construct renders it; CloudFormation turns it into "true" / "false". */
export type BooleanProperty = boolean | 'true' | 'false';

/** Properties common to every resource. */
export interface CommonProperties {
  readonly SchemaVersion: string;
  readonly Tags?: TagProperty[];
}

/** `Custom::PinpointEmailConfigurationSet` properties. */
export interface ConfigurationSetProperties extends CommonProperties {
  readonly ConfigurationSetName: string;
  readonly CustomRedirectDomain?: string;
  readonly SendingPoolName?: string;
  readonly TlsPolicy?: string;
  readonly ReputationMetricsEnabled?: BooleanProperty;
  readonly SendingEnabled?: BooleanProperty;
}

/** Attribute names returned in the response `Data`, readable with `Fn::GetAtt`. */
export const ConfigurationSetAttributes = {
  NAME: 'ConfigurationSetName',
  ARN: 'Arn',
} as const;

/** `Custom::PinpointEmailDedicatedIpPool` properties. */
export interface DedicatedIpPoolProperties extends CommonProperties {
  readonly PoolName: string;
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
}

/** Attribute names of an email identity. The DKIM tokens are empty strings for an email address. */
export const EmailIdentityAttributes = {
  NAME: 'EmailIdentity',
  ARN: 'Arn',
  IDENTITY_TYPE: 'IdentityType',
  DKIM_TOKEN_1: 'DkimToken1',
  DKIM_TOKEN_2: 'DkimToken2',
  DKIM_TOKEN_3: 'DkimToken3',
} as const;

/** A simple message: `Subject` and at least one of `Text` and `Html`; `Charset` applies to all three. */
export interface SimpleContentProperty {
  readonly Subject: string;
  readonly Text?: string;
  readonly Html?: string;
  readonly Charset?: string;
}

/** The message of a deliverability test: exactly one of `Simple` and `Raw` (the MIME text, base64-encoded by the SDK). */
export type DeliverabilityTestContentProperty =
  | { readonly Simple: SimpleContentProperty; readonly Raw?: undefined }
  | { readonly Raw: string; readonly Simple?: undefined };

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
}

/** A CloudWatch dimension of an event destination, as the API takes it. */
export interface CloudWatchDimensionProperty {
  readonly DimensionName: string;
  readonly DimensionValueSource: string;
  readonly DefaultDimensionValue: string;
}

/**
 * `Custom::PinpointEmailConfigurationSetEventDestination` properties: exactly one destination kind (the SNS topic, the
 * Firehose stream with its role, the CloudWatch dimensions or the Pinpoint application). Event destinations have no
 * tags. A change of either name replaces the destination; any other change updates it in place.
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
}

/** Attribute names of an event destination. */
export const ConfigurationSetEventDestinationAttributes = {
  NAME: 'EventDestinationName',
  CONFIGURATION_SET_NAME: 'ConfigurationSetName',
} as const;
