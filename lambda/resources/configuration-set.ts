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
import { unlessNotFound } from '../errors';
import { createUnlessOwned, withOwner } from '../ownership';
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
   * One CreateConfigurationSet with the options and the tags (the ownership marker included). A set that already exists
   * is this resource's own only when it carries the marker (a retried create, or the rollback of a rename): then its
   * name is returned unchanged; otherwise the create fails and the set is left alone.
   */
  async create(ctx, props) {
    const tags = toTagList(withOwner(props.tags, ctx.owner));
    const conflict = 'already exists and is not managed by this stack, so it was neither adopted nor changed. Choose another ' +
      `configurationSetName, or use the existing one with ConfigurationSet.fromConfigurationSetName(this, 'Imported', '${props.name}').`;
    await createUnlessOwned(ctx, { name: props.name, arn: arn(ctx, props.name), conflict }, () =>
      ctx.client.send(new CreateConfigurationSetCommand({
        ConfigurationSetName: props.name,
        TrackingOptions: props.customRedirectDomain !== undefined ? { CustomRedirectDomain: props.customRedirectDomain } : undefined,
        DeliveryOptions: props.tlsPolicy !== undefined || props.sendingPoolName !== undefined
          ? { TlsPolicy: props.tlsPolicy, SendingPoolName: props.sendingPoolName }
          : undefined,
        ReputationOptions: props.reputationMetricsEnabled !== undefined ? { ReputationMetricsEnabled: props.reputationMetricsEnabled } : undefined,
        SendingOptions: props.sendingEnabled !== undefined ? { SendingEnabled: props.sendingEnabled } : undefined,
        Tags: tags,
      })));
    return outcome(ctx, props.name);
  },

  async update(ctx, physicalId, props, oldProps) {
    if (props.name !== physicalId) return this.create(ctx, props); // a rename is a replacement
    for (const group of OPTION_GROUPS) {
      if (group.changed(oldProps, props)) await group.put(ctx.client, physicalId, props);
    }
    await reconcileTags(ctx.client, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  async delete(ctx, physicalId) {
    await unlessNotFound(ctx.client.send(new DeleteConfigurationSetCommand({ ConfigurationSetName: physicalId })));
  },
};

function arn(ctx: HandlerContext, name: string): string {
  return arnOf(ctx.environment, 'configuration-set', name);
}

function outcome(ctx: HandlerContext, name: string): Outcome {
  return {
    physicalResourceId: name,
    data: { [ConfigurationSetAttributes.NAME]: name, [ConfigurationSetAttributes.ARN]: arn(ctx, name) },
  };
}
