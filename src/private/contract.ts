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
} as const;

export type ResourceType = (typeof ResourceTypes)[keyof typeof ResourceTypes];

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
