import { CreateDedicatedIpPoolCommand, DeleteDedicatedIpPoolCommand } from '@aws-sdk/client-pinpoint-email';
import { DedicatedIpPoolAttributes } from '../../src/private/contract';
import { checkSchemaVersion, RawProperties, requiredString, tagMap } from '../decode';
import { unlessNotFound } from '../errors';
import { createUnlessOwned, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailDedicatedIpPool` properties. */
export interface DedicatedIpPool {
  readonly name: string;
  readonly tags: Tags;
}

/**
 * The API has no GetDedicatedIpPool. An update needs no read of its own: the tag reconciliation's UntagResource or
 * TagResource answers NotFoundException when the pool was deleted outside CloudFormation.
 */
export const dedicatedIpPoolHandler: ResourceHandler<DedicatedIpPool> = {
  label: 'Dedicated IP pool',

  decode(raw: RawProperties): DedicatedIpPool {
    checkSchemaVersion(raw);
    return { name: requiredString(raw, 'PoolName'), tags: tagMap(raw) };
  },

  describe: (props) => `Dedicated IP pool "${props.name}"`,

  /**
   * One CreateDedicatedIpPool with the tags (the ownership marker included). A pool that already exists is this
   * resource's own only when it carries the marker (a retried create, or the rollback of a rename); otherwise the create
   * fails and the pool is left alone.
   */
  async create(ctx, props) {
    const tags = toTagList(withOwner(props.tags, ctx.owner));
    const conflict = 'already exists and is not managed by this stack, so it was neither adopted nor changed. Choose another ' +
      `dedicatedIpPoolName, or use the existing one with DedicatedIpPool.fromDedicatedIpPoolName(this, 'Imported', '${props.name}').`;
    await createUnlessOwned(ctx, { name: props.name, arn: arn(ctx, props.name), conflict }, () =>
      ctx.client.send(new CreateDedicatedIpPoolCommand({ PoolName: props.name, Tags: tags })));
    return outcome(ctx, props.name);
  },

  async update(ctx, physicalId, props, oldProps) {
    if (props.name !== physicalId) return this.create(ctx, props); // a rename is a replacement
    await reconcileTags(ctx.client, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  async delete(ctx, physicalId) {
    await unlessNotFound(ctx.client.send(new DeleteDedicatedIpPoolCommand({ PoolName: physicalId })));
  },
};

function arn(ctx: HandlerContext, name: string): string {
  return arnOf(ctx.environment, 'dedicated-ip-pool', name);
}

function outcome(ctx: HandlerContext, name: string): Outcome {
  return {
    physicalResourceId: name,
    data: { [DedicatedIpPoolAttributes.NAME]: name, [DedicatedIpPoolAttributes.ARN]: arn(ctx, name) },
  };
}
