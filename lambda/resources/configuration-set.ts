import type { FeatureStatus, HttpsPolicy, SuppressionListReason, TlsPolicy, VdmOptions } from '@aws-sdk/client-sesv2';
import { ConfigurationSetAttributes, EmailApiBackends } from '../../src/private/contract';
import {
  checkSchemaVersion, InvalidProperties, isLenient, optionalBoolean, optionalEnum, optionalInteger, optionalString, RawProperties, requiredString,
  tagMap, UNREADABLE,
} from '../decode';
import { EmailApi } from '../email-api';
import { createUnlessOwned, deleteUnlessReleased, namedCreate, ownerValue, replaceTags, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { optionsSet, previousOn, requireSesV2For } from './ses-v2-options';

/** Decoded `Custom::PinpointEmailConfigurationSet` properties; undefined options take the API's defaults. */
export interface ConfigurationSet {
  readonly name: string;
  readonly customRedirectDomain?: string;
  readonly httpsPolicy?: HttpsPolicy;
  readonly sendingPoolName?: string;
  readonly tlsPolicy?: TlsPolicy;
  readonly maxDeliverySeconds?: number;
  readonly reputationMetricsEnabled?: boolean;
  readonly sendingEnabled?: boolean;
  /** Undefined: the account's suppression list preferences apply; empty: no suppression list at all. */
  readonly suppressedReasons?: SuppressionListReason[];
  readonly engagementMetrics?: boolean;
  readonly optimizedSharedDelivery?: boolean;
  readonly tags: Tags;
}

/** The options that only the SES API v2 has (see previousOn). */
const SES_V2_OPTIONS = ['httpsPolicy', 'maxDeliverySeconds', 'suppressedReasons', 'engagementMetrics', 'optimizedSharedDelivery'] as const;

const TLS_POLICIES: readonly TlsPolicy[] = ['REQUIRE', 'OPTIONAL'];
const HTTPS_POLICIES: readonly HttpsPolicy[] = ['REQUIRE', 'REQUIRE_OPEN_ONLY', 'OPTIONAL'];
/** The SuppressionReasons members of the construct, and the SuppressedReasons each stands for. */
const SUPPRESSED_REASONS: Readonly<Record<string, SuppressionListReason[]>> = {
  BOUNCES_AND_COMPLAINTS: ['BOUNCE', 'COMPLAINT'],
  BOUNCES_ONLY: ['BOUNCE'],
  COMPLAINTS_ONLY: ['COMPLAINT'],
};
/** DeliveryOptions.MaxDeliverySeconds: the model's range. */
const MAX_DELIVERY_SECONDS = { min: 300, max: 50_400 };

/** One Put operation: whether its inputs changed between two versions, and the call that applies the new one. */
interface OptionGroup {
  /** Only the SES API v2 has this Put: it is never called on the Pinpoint Email API, where its options cannot be set. */
  readonly sesV2Only?: boolean;
  changed(a: ConfigurationSet, b: ConfigurationSet): boolean;
  put(api: EmailApi, name: string, props: ConfigurationSet): Promise<unknown>;
}

// Compared with the API's defaults filled in, so that removing an option restores its default. An SES v2 member that
// is unset is not sent, which puts back the API's default: no delivery time limit, no HTTPS policy (OPTIONAL), the
// account's suppression list preferences, the account's VDM settings.
const OPTION_GROUPS: OptionGroup[] = [
  {
    changed: (a, b) => (a.tlsPolicy ?? 'OPTIONAL') !== (b.tlsPolicy ?? 'OPTIONAL') || a.sendingPoolName !== b.sendingPoolName
      || a.maxDeliverySeconds !== b.maxDeliverySeconds,
    put: (api, name, p) => api.call('PutConfigurationSetDeliveryOptions', {
      ConfigurationSetName: name,
      TlsPolicy: p.tlsPolicy ?? 'OPTIONAL',
      SendingPoolName: p.sendingPoolName,
      ...(p.maxDeliverySeconds !== undefined ? { MaxDeliverySeconds: p.maxDeliverySeconds } : {}),
    }),
  },
  {
    changed: (a, b) => (a.reputationMetricsEnabled ?? false) !== (b.reputationMetricsEnabled ?? false),
    put: (api, name, p) => api.call('PutConfigurationSetReputationOptions', {
      ConfigurationSetName: name, ReputationMetricsEnabled: p.reputationMetricsEnabled ?? false,
    }),
  },
  {
    changed: (a, b) => (a.sendingEnabled ?? true) !== (b.sendingEnabled ?? true),
    put: (api, name, p) => api.call('PutConfigurationSetSendingOptions', {
      ConfigurationSetName: name, SendingEnabled: p.sendingEnabled ?? true,
    }),
  },
  {
    changed: (a, b) => a.customRedirectDomain !== b.customRedirectDomain || (a.httpsPolicy ?? 'OPTIONAL') !== (b.httpsPolicy ?? 'OPTIONAL'),
    put: (api, name, p) => api.call('PutConfigurationSetTrackingOptions', {
      ConfigurationSetName: name,
      CustomRedirectDomain: p.customRedirectDomain,
      ...(p.httpsPolicy !== undefined ? { HttpsPolicy: p.httpsPolicy } : {}),
    }),
  },
  {
    sesV2Only: true,
    changed: (a, b) => JSON.stringify(a.suppressedReasons ?? null) !== JSON.stringify(b.suppressedReasons ?? null),
    put: (api, name, p) => api.call('PutConfigurationSetSuppressionOptions', {
      ConfigurationSetName: name, ...(p.suppressedReasons !== undefined ? { SuppressedReasons: p.suppressedReasons } : {}),
    }),
  },
  {
    sesV2Only: true,
    changed: (a, b) => a.engagementMetrics !== b.engagementMetrics || a.optimizedSharedDelivery !== b.optimizedSharedDelivery,
    put: (api, name, p) => api.call('PutConfigurationSetVdmOptions', { ConfigurationSetName: name, VdmOptions: vdmOptions(p) }),
  },
];

/** The Put operations that the stack's API has. */
function optionGroupsOn(api: EmailApi): OptionGroup[] {
  return api.backend === EmailApiBackends.SES_V2 ? OPTION_GROUPS : OPTION_GROUPS.filter((group) => !group.sesV2Only);
}

export const configurationSetHandler: ResourceHandler<ConfigurationSet> = {
  label: 'Configuration set',

  decode(raw: RawProperties): ConfigurationSet {
    checkSchemaVersion(raw);
    return {
      name: requiredString(raw, 'ConfigurationSetName'),
      customRedirectDomain: optionalString(raw, 'CustomRedirectDomain'),
      httpsPolicy: optionalEnum(raw, 'HttpsPolicy', HTTPS_POLICIES),
      sendingPoolName: optionalString(raw, 'SendingPoolName'),
      tlsPolicy: optionalEnum(raw, 'TlsPolicy', TLS_POLICIES),
      maxDeliverySeconds: optionalInteger(raw, 'MaxDeliverySeconds', MAX_DELIVERY_SECONDS.min, MAX_DELIVERY_SECONDS.max),
      reputationMetricsEnabled: optionalBoolean(raw, 'ReputationMetricsEnabled'),
      sendingEnabled: optionalBoolean(raw, 'SendingEnabled'),
      suppressedReasons: decodeSuppression(raw),
      engagementMetrics: optionalBoolean(raw, 'EngagementMetrics'),
      optimizedSharedDelivery: optionalBoolean(raw, 'OptimizedSharedDelivery'),
      tags: tagMap(raw),
    };
  },

  describe: (props) => `Configuration set "${props.name}"`,

  /**
   * One CreateConfigurationSet with the options and the tags (the ownership tag included). A set that already exists
   * is handled by createUnlessOwned: kept when this very request made it, taken back to the declared state in a rename,
   * refused otherwise.
   */
  create: (ctx, props) => {
    requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
    return createSet(ctx, props, undefined);
  },

  async update(ctx, physicalId, props, oldProps) {
    requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
    if (props.name !== physicalId) return createSet(ctx, props, physicalId); // a rename is a replacement
    const previous = previousOn(ctx.api, oldProps, SES_V2_OPTIONS);
    for (const group of optionGroupsOn(ctx.api)) {
      if (group.changed(previous, props)) await group.put(ctx.api, physicalId, props);
    }
    await reconcileTags(ctx.api, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  /** Reads the set's tags first: a set released by the rollback of its take-back existed before, and is kept. */
  async delete(ctx, physicalId) {
    await deleteUnlessReleased(ctx, arn(ctx, physicalId),
      () => ctx.api.call('DeleteConfigurationSet', { ConfigurationSetName: physicalId }));
  },
};

async function createSet(ctx: HandlerContext, props: ConfigurationSet, replacing: string | undefined): Promise<Outcome> {
  await createUnlessOwned(ctx, namedCreate({
    name: props.name,
    replacing,
    arnOf: (name) => arn(ctx, name),
    prop: 'configurationSetName',
    importCall: 'ConfigurationSet.fromConfigurationSetName',
    takeBack: (liveTags, marker) => takeBack(ctx, props, liveTags, marker),
  }), () => ctx.api.call('CreateConfigurationSet', {
    ConfigurationSetName: props.name,
    TrackingOptions: props.customRedirectDomain !== undefined
      ? { CustomRedirectDomain: props.customRedirectDomain, ...(props.httpsPolicy !== undefined ? { HttpsPolicy: props.httpsPolicy } : {}) }
      : undefined,
    DeliveryOptions: props.tlsPolicy !== undefined || props.sendingPoolName !== undefined || props.maxDeliverySeconds !== undefined
      ? {
        TlsPolicy: props.tlsPolicy,
        SendingPoolName: props.sendingPoolName,
        ...(props.maxDeliverySeconds !== undefined ? { MaxDeliverySeconds: props.maxDeliverySeconds } : {}),
      }
      : undefined,
    ReputationOptions: props.reputationMetricsEnabled !== undefined ? { ReputationMetricsEnabled: props.reputationMetricsEnabled } : undefined,
    SendingOptions: props.sendingEnabled !== undefined ? { SendingEnabled: props.sendingEnabled } : undefined,
    SuppressionOptions: props.suppressedReasons !== undefined ? { SuppressedReasons: props.suppressedReasons } : undefined,
    VdmOptions: vdmOptions(props),
    Tags: toTagList(withOwner(props.tags, ownerValue(ctx))),
  }), replacing);
  return outcome(ctx, props.name);
}

/**
 * A set of this resource from before, brought to exactly the declared options and tags: every option group is put
 * (its live options are unknown, and a take-back is rare), and the tags are reconciled with the live ones.
 */
async function takeBack(ctx: HandlerContext, props: ConfigurationSet, liveTags: Tags, marker: string): Promise<void> {
  for (const group of optionGroupsOn(ctx.api)) await group.put(ctx.api, props.name, props);
  await replaceTags(ctx.api, arn(ctx, props.name), liveTags, props.tags, marker);
}

/** SuppressionReasons (a member of the construct's enum) or SuppressionListDisabled ("true": no list at all), or neither. */
function decodeSuppression(raw: RawProperties): SuppressionListReason[] | undefined {
  const reasons = optionalEnum(raw, 'SuppressionReasons', Object.keys(SUPPRESSED_REASONS));
  const disabled = optionalBoolean(raw, 'SuppressionListDisabled');
  if (reasons === UNREADABLE || (disabled as unknown) === UNREADABLE || (reasons !== undefined && disabled === true)) {
    if (isLenient()) return UNREADABLE as unknown as SuppressionListReason[];
    throw new InvalidProperties('properties SuppressionReasons and SuppressionListDisabled "true" cannot be given together');
  }
  if (disabled === true) return [];
  return reasons === undefined ? undefined : SUPPRESSED_REASONS[reasons];
}

/** The VDM options of the set: only the members it sets (the others follow the account); undefined when none. */
function vdmOptions(p: ConfigurationSet): VdmOptions | undefined {
  if (p.engagementMetrics === undefined && p.optimizedSharedDelivery === undefined) return undefined;
  return {
    ...(p.engagementMetrics !== undefined ? { DashboardOptions: { EngagementMetrics: featureStatus(p.engagementMetrics) } } : {}),
    ...(p.optimizedSharedDelivery !== undefined ? { GuardianOptions: { OptimizedSharedDelivery: featureStatus(p.optimizedSharedDelivery) } } : {}),
  };
}

function featureStatus(enabled: boolean): FeatureStatus {
  return enabled ? 'ENABLED' : 'DISABLED';
}

function arn(ctx: HandlerContext, name: string): string {
  return arnOf(ctx.environment, 'configuration-set', name);
}

function outcome(ctx: HandlerContext, name: string): Outcome {
  return {
    physicalResourceId: name,
    data: { [ConfigurationSetAttributes.NAME]: name, [ConfigurationSetAttributes.ARN]: arn(ctx, name) },
  };
}
