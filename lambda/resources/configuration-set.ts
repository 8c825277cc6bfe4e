import {
  CreateConfigurationSetCommand,
  DeleteConfigurationSetCommand,
  PinpointEmailClient,
  PutConfigurationSetDeliveryOptionsCommand,
  PutConfigurationSetReputationOptionsCommand,
  PutConfigurationSetSendingOptionsCommand,
  PutConfigurationSetTrackingOptionsCommand,
  TlsPolicy,
} from '@aws-sdk/client-pinpoint-email';
import { ConfigurationSetAttributes } from '../../src/private/contract';
import { checkSchemaVersion, optionalBoolean, optionalEnum, optionalString, RawProperties, requiredString, tagMap } from '../decode';
import { createUnlessOwned, deleteUnlessReleased, namedCreate, ownerValue, replaceTags, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailConfigurationSet` properties; undefined options take the API's defaults. */
export interface ConfigurationSet {
  readonly name: string;
  readonly customRedirectDomain?: string;
  readonly sendingPoolName?: string;
  readonly tlsPolicy?: TlsPolicy;
  readonly reputationMetricsEnabled?: boolean;
  readonly sendingEnabled?: boolean;
  readonly tags: Tags;
}

const TLS_POLICIES: readonly TlsPolicy[] = ['REQUIRE', 'OPTIONAL'];

/** One Put operation: whether its inputs changed between two versions, and the call that applies the new one. */
interface OptionGroup {
  changed(a: ConfigurationSet, b: ConfigurationSet): boolean;
  put(client: PinpointEmailClient, name: string, props: ConfigurationSet): Promise<unknown>;
}

// Compared with the API's defaults filled in, so that removing an option restores its default.
const OPTION_GROUPS: OptionGroup[] = [
  {
    changed: (a, b) => (a.tlsPolicy ?? 'OPTIONAL') !== (b.tlsPolicy ?? 'OPTIONAL') || a.sendingPoolName !== b.sendingPoolName,
    put: (client, name, p) => client.send(new PutConfigurationSetDeliveryOptionsCommand({
      ConfigurationSetName: name, TlsPolicy: p.tlsPolicy ?? 'OPTIONAL', SendingPoolName: p.sendingPoolName,
    })),
  },
  {
    changed: (a, b) => (a.reputationMetricsEnabled ?? false) !== (b.reputationMetricsEnabled ?? false),
    put: (client, name, p) => client.send(new PutConfigurationSetReputationOptionsCommand({
      ConfigurationSetName: name, ReputationMetricsEnabled: p.reputationMetricsEnabled ?? false,
    })),
  },
  {
    changed: (a, b) => (a.sendingEnabled ?? true) !== (b.sendingEnabled ?? true),
    put: (client, name, p) => client.send(new PutConfigurationSetSendingOptionsCommand({
      ConfigurationSetName: name, SendingEnabled: p.sendingEnabled ?? true,
    })),
  },
  {
    changed: (a, b) => a.customRedirectDomain !== b.customRedirectDomain,
    put: (client, name, p) => client.send(new PutConfigurationSetTrackingOptionsCommand({
      ConfigurationSetName: name, CustomRedirectDomain: p.customRedirectDomain,
    })),
  },
];

export const configurationSetHandler: ResourceHandler<ConfigurationSet> = {
  label: 'Configuration set',

  decode(raw: RawProperties): ConfigurationSet {
    checkSchemaVersion(raw);
    return {
      name: requiredString(raw, 'ConfigurationSetName'),
      customRedirectDomain: optionalString(raw, 'CustomRedirectDomain'),
      sendingPoolName: optionalString(raw, 'SendingPoolName'),
      tlsPolicy: optionalEnum(raw, 'TlsPolicy', TLS_POLICIES),
      reputationMetricsEnabled: optionalBoolean(raw, 'ReputationMetricsEnabled'),
      sendingEnabled: optionalBoolean(raw, 'SendingEnabled'),
      tags: tagMap(raw),
    };
  },

  describe: (props) => `Configuration set "${props.name}"`,

  /**
   * One CreateConfigurationSet with the options and the tags (the ownership tag included). A set that already exists
   * is handled by createUnlessOwned: kept when this very request made it, taken back to the declared state in a rename,
   * refused otherwise.
   */
  create: (ctx, props) => createSet(ctx, props, undefined),

  async update(ctx, physicalId, props, oldProps) {
    if (props.name !== physicalId) return createSet(ctx, props, physicalId); // a rename is a replacement
    for (const group of OPTION_GROUPS) {
      if (group.changed(oldProps, props)) await group.put(ctx.client, physicalId, props);
    }
    await reconcileTags(ctx.client, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  /** Reads the set's tags first: a set released by the rollback of its take-back existed before, and is kept. */
  async delete(ctx, physicalId) {
    await deleteUnlessReleased(ctx, arn(ctx, physicalId),
      () => ctx.client.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: physicalId })));
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
  }), () => ctx.client.send(new CreateConfigurationSetCommand({
    ConfigurationSetName: props.name,
    TrackingOptions: props.customRedirectDomain !== undefined ? { CustomRedirectDomain: props.customRedirectDomain } : undefined,
    DeliveryOptions: props.tlsPolicy !== undefined || props.sendingPoolName !== undefined
      ? { TlsPolicy: props.tlsPolicy, SendingPoolName: props.sendingPoolName }
      : undefined,
    ReputationOptions: props.reputationMetricsEnabled !== undefined ? { ReputationMetricsEnabled: props.reputationMetricsEnabled } : undefined,
    SendingOptions: props.sendingEnabled !== undefined ? { SendingEnabled: props.sendingEnabled } : undefined,
    Tags: toTagList(withOwner(props.tags, ownerValue(ctx))),
  })), replacing);
  return outcome(ctx, props.name);
}

/**
 * A set of this resource from before, brought to exactly the declared options and tags: every option group is put
 * (its live options are unknown, and a take-back is rare), and the tags are reconciled with the live ones.
 */
async function takeBack(ctx: HandlerContext, props: ConfigurationSet, liveTags: Tags, marker: string): Promise<void> {
  for (const group of OPTION_GROUPS) await group.put(ctx.client, props.name, props);
  await replaceTags(ctx.client, arn(ctx, props.name), liveTags, props.tags, marker);
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
