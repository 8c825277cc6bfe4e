import { Duration, IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConfigurationSetEventDestination, ConfigurationSetEventDestinationOptions } from './configuration-set-event-destination';
import { IDedicatedIpPool } from './dedicated-ip-pool';
import { sesV2OnlyProblems } from './private/api-requirement';
import { ConfigurationSetProperties, ResourceTypes } from './private/contract';
import { declaredArnOf, recordDeclaredArn, recordDeclaredName } from './private/declared-arns';
import { DOMAIN_RULE, isDomainName } from './private/domain-name';
import { generatedNamePrefix, generateNameFor } from './private/physical-name';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { exactArnInPolicy } from './private/policy-arn';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks, enumProblems, importedArnName, patternProblems } from './private/validation';

/** A Pinpoint Email configuration set. */
export interface IConfigurationSet extends IResource {
  /**
   * The name of the configuration set.
   * @attribute
   */
  readonly configurationSetName: string;

  /**
   * The ARN of the configuration set (`arn:<partition>:ses:<region>:<account>:configuration-set/<name>`).
   * @attribute
   */
  readonly configurationSetArn: string;

  /**
   * Sends this configuration set's email sending events to a destination. The destination is a child of this
   * construct; on an imported set it is created the same way, and only ever deletes what it created.
   */
  addEventDestination(id: string, options: ConfigurationSetEventDestinationOptions): ConfigurationSetEventDestination;
}

/** Whether messages sent with a configuration set must be delivered over TLS. */
export enum TlsPolicy {
  /** Messages are delivered only if a TLS connection can be established. */
  REQUIRE = 'REQUIRE',
  /** Messages can be delivered in plain text if a TLS connection can't be established. */
  OPTIONAL = 'OPTIONAL',
}

/** Whether open and click tracking links use HTTPS (SES API v2). */
export enum HttpsPolicy {
  /** Both the open tracking pixel and the click tracking links use HTTPS. */
  REQUIRE = 'REQUIRE',
  /** The open tracking pixel uses HTTPS; click tracking links keep the protocol of the original link. */
  REQUIRE_OPEN_ONLY = 'REQUIRE_OPEN_ONLY',
  /** The open tracking pixel uses HTTP; click tracking links keep the protocol of the original link. */
  OPTIONAL = 'OPTIONAL',
}

/** Which events put a recipient's address on the account's suppression list, for the messages of a configuration set (SES API v2). */
export enum SuppressionReasons {
  /** Hard bounces and complaints (`SuppressedReasons` BOUNCE and COMPLAINT). */
  BOUNCES_AND_COMPLAINTS = 'BOUNCES_AND_COMPLAINTS',
  /** Hard bounces only (BOUNCE). */
  BOUNCES_ONLY = 'BOUNCES_ONLY',
  /** Complaints only (COMPLAINT). */
  COMPLAINTS_ONLY = 'COMPLAINTS_ONLY',
}

/**
 * The Virtual Deliverability Manager options of a configuration set (SES API v2). Each one left unset follows the
 * account's VDM settings.
 */
export interface VdmOptions {
  /**
   * Whether VDM collects engagement metrics (opens and clicks) for the messages of this set
   * (`DashboardOptions.EngagementMetrics` ENABLED or DISABLED).
   * @default - the account's VDM setting
   */
  readonly engagementMetrics?: boolean;

  /**
   * Whether VDM optimizes the delivery of this set's messages sent from shared IPs
   * (`GuardianOptions.OptimizedSharedDelivery` ENABLED or DISABLED).
   * @default - the account's VDM setting
   */
  readonly optimizedSharedDelivery?: boolean;
}

/** Properties of a `ConfigurationSet`. */
export interface ConfigurationSetProps {
  /**
   * The name of the configuration set: 1 to 64 characters from `A-Z`, `a-z`, `0-9`, `_` and `-`.
   * Changing it replaces the configuration set. The handler's IAM policy names each explicit name; beyond about a
   * hundred explicitly named sets in a stack it would exceed IAM's size limit, and every set of the account and region
   * is granted instead (synth warns). Generated names share one pattern at any number.
   * @default - a unique name generated from the construct path, starting with the stack name
   */
  readonly configurationSetName?: string;

  /**
   * The domain used in open and click tracking links instead of the default Amazon domain.
   * @default - the default tracking domain
   */
  readonly customTrackingRedirectDomain?: string;

  /**
   * Whether the open and click tracking links of `customTrackingRedirectDomain` use HTTPS (`TrackingOptions.HttpsPolicy`).
   * Needs `customTrackingRedirectDomain`, and the SES API v2: `EmailApi.use(stack, EmailApiVersion.SES_V2)` or the
   * context key `cdk-pinpoint-email:api` set to `sesv2` (synth fails otherwise, naming this prop).
   * @default - the API's default, `HttpsPolicy.OPTIONAL`
   */
  readonly customTrackingHttpsPolicy?: HttpsPolicy;

  /**
   * The dedicated IP pool that sends the messages of this configuration set.
   * @default - the shared pool of Amazon Pinpoint
   */
  readonly dedicatedIpPool?: IDedicatedIpPool;

  /**
   * Whether messages must be delivered over TLS.
   * @default TlsPolicy.OPTIONAL
   */
  readonly tlsPolicy?: TlsPolicy;

  /**
   * How long the API keeps trying to deliver a message of this set (`DeliveryOptions.MaxDeliverySeconds`): a whole
   * number of seconds from 5 minutes (300 seconds) to 14 hours (50,400 seconds), checked at synth. Needs the SES API v2
   * (see `customTrackingHttpsPolicy`).
   * @default - the API's default, 14 hours
   */
  readonly maxDeliveryDuration?: Duration;

  /**
   * Whether reputation metrics (bounce and complaint rates) are collected for this configuration set.
   * @default false
   */
  readonly reputationMetrics?: boolean;

  /**
   * Whether email can be sent with this configuration set.
   * @default true
   */
  readonly sendingEnabled?: boolean;

  /**
   * Which events add a recipient's address to the account's suppression list when they happen to this set's messages
   * (`SuppressionOptions.SuppressedReasons`). Needs the SES API v2 (see `customTrackingHttpsPolicy`).
   * @default - the account's suppression list settings apply
   */
  readonly suppressionReasons?: SuppressionReasons;

  /**
   * Whether this set's messages use no suppression list at all: the account's suppression list settings do not
   * apply to them (`SuppressedReasons` empty). Not with `suppressionReasons`. Needs the SES API v2 (see
   * `customTrackingHttpsPolicy`).
   * @default false - the account's suppression list settings apply, unless `suppressionReasons` is set
   */
  readonly disableSuppressionList?: boolean;

  /**
   * The Virtual Deliverability Manager options of this set (`VdmOptions`). Needs the SES API v2 (see
   * `customTrackingHttpsPolicy`).
   * @default - the account's VDM settings apply
   */
  readonly vdmOptions?: VdmOptions;

  /**
   * Tags for the configuration set, merged with those applied by `Tags.of(scope)`.
   * At most 49 (the API allows 50, and the handler adds its ownership tag); keys of 1 to 128 characters and values of
   * up to 256, without the `aws:` prefix, and no key starting with `cdk-pinpoint-email:`.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the configuration set when it is removed from the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_RULE = '1 to 64 characters from A-Z, a-z, 0-9, _ and -';
const NAME_OPTIONS = { maxLength: 64 };
const ARN_RESOURCE = 'configuration-set';

/**
 * An Amazon Pinpoint Email configuration set, created with its options and tags in one call and updated in place.
 *
 * @resource Custom::PinpointEmailConfigurationSet
 */
export class ConfigurationSet extends Resource implements IConfigurationSet, ITaggable {
  /** Imports an existing configuration set by name. */
  public static fromConfigurationSetName(scope: Construct, id: string, configurationSetName: string): IConfigurationSet {
    class Import extends Resource implements IConfigurationSet {
      public readonly configurationSetName = configurationSetName;
      public readonly configurationSetArn = arnForName(this, configurationSetName);
      public addEventDestination(destinationId: string, options: ConfigurationSetEventDestinationOptions) {
        return addEventDestination(this, destinationId, options);
      }
    }
    return new Import(scope, id);
  }

  /** Imports an existing configuration set by ARN. A malformed ARN, or one without a name, fails synthesis. */
  public static fromConfigurationSetArn(scope: Construct, id: string, configurationSetArn: string): IConfigurationSet {
    const parsed = importedArnName(configurationSetArn, 'configurationSetArn', ARN_RESOURCE, 'configuration set name');
    class Import extends Resource implements IConfigurationSet {
      public readonly configurationSetName = parsed.name;
      public readonly configurationSetArn = configurationSetArn;
      public addEventDestination(destinationId: string, options: ConfigurationSetEventDestinationOptions) {
        return addEventDestination(this, destinationId, options);
      }
    }
    const imported = new Import(scope, id, { environmentFromArn: parsed.environmentFromArn });
    addPropChecks(imported, () => parsed.problems);
    return imported;
  }

  /** The name of the configuration set (the `Ref` of its custom resource, so consumers depend on it). */
  public readonly configurationSetName: string;
  /** The ARN of the configuration set (`arn:<partition>:ses:<region>:<account>:configuration-set/<name>`). */
  public readonly configurationSetArn: string;
  /** Tags of the configuration set, rendered into its properties; `Tags.of(scope)` reaches them. */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: ConfigurationSetProps = {}) {
    // The name is known at synth (declared or generated): a consumer in another environment gets it as it is.
    super(scope, id, { physicalName: props.configurationSetName ?? generateNameFor(scope, id, NAME_OPTIONS) });
    const nameOptions = NAME_OPTIONS;
    const declaredName = props.configurationSetName ?? generateNameFor(scope, id, NAME_OPTIONS);
    const maxDelivery = maxDeliverySeconds(props.maxDeliveryDuration);
    addPropChecks(this,
      () => patternProblems('configurationSetName', props.configurationSetName, NAME_PATTERN, NAME_RULE),
      () => redirectDomainProblems(props.customTrackingRedirectDomain),
      () => enumProblems('tlsPolicy', props.tlsPolicy, TlsPolicy, 'TlsPolicy'),
      () => enumProblems('customTrackingHttpsPolicy', props.customTrackingHttpsPolicy, HttpsPolicy, 'HttpsPolicy'),
      () => props.customTrackingHttpsPolicy !== undefined && props.customTrackingRedirectDomain === undefined
        ? ['customTrackingHttpsPolicy applies to the links of the custom tracking domain: set customTrackingRedirectDomain too'] : [],
      () => maxDelivery.problems,
      () => enumProblems('suppressionReasons', props.suppressionReasons, SuppressionReasons, 'SuppressionReasons'),
      () => props.suppressionReasons !== undefined && props.disableSuppressionList === true
        ? ['suppressionReasons cannot be set with disableSuppressionList: true, which turns the suppression list off for this set'] : [],
      () => sesV2OnlyProblems(this, {
        customTrackingHttpsPolicy: props.customTrackingHttpsPolicy,
        maxDeliveryDuration: props.maxDeliveryDuration,
        suppressionReasons: props.suppressionReasons,
        disableSuppressionList: props.disableSuppressionList,
        vdmOptions: props.vdmOptions,
      }));

    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.CONFIGURATION_SET, props.tags);
    const resource = createPinpointEmailResource<ConfigurationSetProperties>(this, {
      resourceType: ResourceTypes.CONFIGURATION_SET,
      tags: this.tags,
      removalPolicy: props.removalPolicy,
      properties: {
        ConfigurationSetName: declaredName,
        CustomRedirectDomain: props.customTrackingRedirectDomain,
        SendingPoolName: props.dedicatedIpPool?.dedicatedIpPoolName,
        TlsPolicy: props.tlsPolicy,
        ReputationMetricsEnabled: props.reputationMetrics,
        SendingEnabled: props.sendingEnabled,
        HttpsPolicy: props.customTrackingHttpsPolicy,
        MaxDeliverySeconds: maxDelivery.seconds,
        SuppressionReasons: props.suppressionReasons,
        SuppressionListDisabled: props.disableSuppressionList,
        EngagementMetrics: props.vdmOptions?.engagementMetrics,
        OptimizedSharedDelivery: props.vdmOptions?.optimizedSharedDelivery,
      },
    });
    this.configurationSetName = this.getResourceNameAttribute(resource.ref);
    this.configurationSetArn = this.getResourceArnAttribute(arnForName(this, resource.ref), {
      service: 'ses', resource: ARN_RESOURCE, resourceName: this.physicalName,
    });

    const declaredArn = arnForName(this, declaredName);
    recordDeclaredArn(this, declaredArn);
    recordDeclaredName(this, declaredName);
    const provider = PinpointEmailProvider.of(this);
    provider.grantManage('configuration-set',
      props.configurationSetName === undefined ? arnForName(this, `${generatedNamePrefix(this, nameOptions)}*`) : exactArnInPolicy(declaredArn));
    if (props.dedicatedIpPool) {
      // Naming a pool in CreateConfigurationSet or PutConfigurationSetDeliveryOptions authorizes on the pool too.
      provider.grant('configuration-set', 'SendThroughDedicatedIpPools', ['ses:CreateConfigurationSet', 'ses:PutConfigurationSetDeliveryOptions'],
        exactArnInPolicy(declaredArnOf(props.dedicatedIpPool, props.dedicatedIpPool.dedicatedIpPoolArn)));
      // A rollback can put back a pool that this stack created and that the update removed (its ARN already gone).
      provider.grantOwned('configuration-set', 'dedicated-ip-pool', ['ses:PutConfigurationSetDeliveryOptions']);
      // No DependsOn on the pool: the Ref in SendingPoolName already orders the set after it (cfn-lint W3005).
    }
  }

  /** Sends this configuration set's email sending events to a destination (a child of this construct). */
  public addEventDestination(id: string, options: ConfigurationSetEventDestinationOptions): ConfigurationSetEventDestination {
    return addEventDestination(this, id, options);
  }
}

function addEventDestination(set: IConfigurationSet, id: string, options: ConfigurationSetEventDestinationOptions): ConfigurationSetEventDestination {
  return new ConfigurationSetEventDestination(set, id, { ...options, configurationSet: set });
}

function redirectDomainProblems(domain: string | undefined): string[] {
  if (domain === undefined || Token.isUnresolved(domain) || isDomainName(domain)) return [];
  return [`customTrackingRedirectDomain "${domain}" is not a valid domain name: ${DOMAIN_RULE}`];
}

/** DeliveryOptions.MaxDeliverySeconds: the model's range. */
const MAX_DELIVERY = { min: Duration.minutes(5), max: Duration.hours(14) };

/** `maxDeliveryDuration` in whole seconds, or the problems that keep it from being sent. */
function maxDeliverySeconds(duration: Duration | undefined): { seconds?: number; problems: string[] } {
  if (duration === undefined) return { problems: [] };
  const rule = `a whole number of seconds from ${MAX_DELIVERY.min.toSeconds()} (5 minutes) to ${MAX_DELIVERY.max.toSeconds()} (14 hours)`;
  if (duration.isUnresolved()) {
    try {
      return { seconds: duration.toSeconds(), problems: [] };
    } catch {
      return { problems: ['maxDeliveryDuration from a token must be given as Duration.seconds(...)'] };
    }
  }
  const ms = duration.toMilliseconds({ integral: false });
  if (ms % 1000 !== 0 || ms < MAX_DELIVERY.min.toMilliseconds() || ms > MAX_DELIVERY.max.toMilliseconds()) {
    return { problems: [`maxDeliveryDuration ${duration.toHumanString()} is not ${rule}`] };
  }
  return { seconds: ms / 1000, problems: [] };
}

function arnForName(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ses', resource: ARN_RESOURCE, resourceName: name });
}
