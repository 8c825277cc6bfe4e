import { CreateDedicatedIpPoolCommand, DeleteDedicatedIpPoolCommand } from '@aws-sdk/client-pinpoint-email';
import { DedicatedIpPoolAttributes } from '../../src/private/contract';
import { checkSchemaVersion, RawProperties, requiredString, tagMap } from '../decode';
import { createUnlessOwned, deleteUnlessReleased, namedCreate, ownerValue, replaceTags, withOwner } from '../ownership';
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
   * One CreateDedicatedIpPool with the tags (the ownership tag included). A pool that already exists is handled by
   * createUnlessOwned: kept when this very request made it, taken back to the declared tags in a rename, refused
   * otherwise.
   */
  create: (ctx, props) => createPool(ctx, props, undefined),

  async update(ctx, physicalId, props, oldProps) {
    if (props.name !== physicalId) return createPool(ctx, props, physicalId); // a rename is a replacement
    await reconcileTags(ctx.client, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  /** Reads the pool's tags first: a pool released by the rollback of its take-back existed before, and is kept. */
  async delete(ctx, physicalId) {
    await deleteUnlessReleased(ctx, arn(ctx, physicalId), () => ctx.client.send(new DeleteDedicatedIpPoolCommand({ PoolName: physicalId })));
  },
};

async function createPool(ctx: HandlerContext, props: DedicatedIpPool, replacing: string | undefined): Promise<Outcome> {
  await createUnlessOwned(ctx, namedCreate({
    name: props.name,
    replacing,
    arnOf: (name) => arn(ctx, name),
    prop: 'dedicatedIpPoolName',
    importCall: 'DedicatedIpPool.fromDedicatedIpPoolName',
    takeBack: (liveTags, marker) => replaceTags(ctx.client, arn(ctx, props.name), liveTags, props.tags, marker),
  }), () => ctx.client.send(new CreateDedicatedIpPoolCommand({
    PoolName: props.name, Tags: toTagList(withOwner(props.tags, ownerValue(ctx))),
  })), replacing);
  return outcome(ctx, props.name);
}

function arn(ctx: HandlerContext, name: string): string {
  return arnOf(ctx.environment, 'dedicated-ip-pool', name);
}

function outcome(ctx: HandlerContext, name: string): Outcome {
  return {
    physicalResourceId: name,
    data: { [DedicatedIpPoolAttributes.NAME]: name, [DedicatedIpPoolAttributes.ARN]: arn(ctx, name) },
  };
}
