import type { ScalingMode } from '@aws-sdk/client-sesv2';
import { DedicatedIpPoolAttributes, EmailApiBackends } from '../../src/private/contract';
import { checkSchemaVersion, optionalEnum, RawProperties, requiredString, tagMap } from '../decode';
import { hasErrorName, ResourceFailure } from '../errors';
import { createUnlessOwned, deleteUnlessReleased, namedCreate, ownerValue, replaceTags, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { optionsSet, previousOn, requireSesV2For } from './ses-v2-options';

/** Decoded `Custom::PinpointEmailDedicatedIpPool` properties. */
export interface DedicatedIpPool {
  readonly name: string;
  /** SES v2 only; undefined is STANDARD, the API's default. */
  readonly scalingMode?: ScalingMode;
  readonly tags: Tags;
}

const SCALING_MODES: readonly ScalingMode[] = ['STANDARD', 'MANAGED'];
/** The options that only the SES API v2 has (see previousOn). */
const SES_V2_OPTIONS = ['scalingMode'] as const;
const DEFAULT_SCALING_MODE: ScalingMode = 'STANDARD';

/**
 * Pinpoint Email has no GetDedicatedIpPool. An update needs no read of its own: the tag reconciliation's UntagResource
 * or TagResource answers NotFoundException when the pool was deleted outside CloudFormation, and a new scaling mode is
 * compared with the previous properties.
 */
export const dedicatedIpPoolHandler: ResourceHandler<DedicatedIpPool> = {
  label: 'Dedicated IP pool',

  decode(raw: RawProperties): DedicatedIpPool {
    checkSchemaVersion(raw);
    return { name: requiredString(raw, 'PoolName'), scalingMode: optionalEnum(raw, 'ScalingMode', SCALING_MODES), tags: tagMap(raw) };
  },

  describe: (props) => `Dedicated IP pool "${props.name}"`,

  /**
   * One CreateDedicatedIpPool with the tags (the ownership tag included). A pool that already exists is handled by
   * createUnlessOwned: kept when this very request made it, taken back to the declared tags in a rename, refused
   * otherwise.
   */
  create: (ctx, props) => {
    requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
    return createPool(ctx, props, undefined);
  },

  async update(ctx, physicalId, props, oldProps) {
    requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
    if (props.name !== physicalId) return createPool(ctx, props, physicalId); // a rename is a replacement
    const previous = previousOn(ctx.api, oldProps, SES_V2_OPTIONS);
    if ((previous.scalingMode ?? DEFAULT_SCALING_MODE) !== (props.scalingMode ?? DEFAULT_SCALING_MODE)) await putScalingMode(ctx, props);
    await reconcileTags(ctx.api, arn(ctx, physicalId), oldProps.tags, props.tags);
    return outcome(ctx, physicalId);
  },

  owns: (physicalId, props) => physicalId === props.name,

  /** Reads the pool's tags first: a pool released by the rollback of its take-back existed before, and is kept. */
  async delete(ctx, physicalId) {
    await deleteUnlessReleased(ctx, arn(ctx, physicalId), () => ctx.api.call('DeleteDedicatedIpPool', { PoolName: physicalId }));
  },
};

async function createPool(ctx: HandlerContext, props: DedicatedIpPool, replacing: string | undefined): Promise<Outcome> {
  await createUnlessOwned(ctx, namedCreate({
    name: props.name,
    replacing,
    arnOf: (name) => arn(ctx, name),
    prop: 'dedicatedIpPoolName',
    importCall: 'DedicatedIpPool.fromDedicatedIpPoolName',
    takeBack: (liveTags, marker) => takeBack(ctx, props, liveTags, marker),
  }), () => ctx.api.call('CreateDedicatedIpPool', {
    PoolName: props.name,
    ...(props.scalingMode !== undefined ? { ScalingMode: props.scalingMode } : {}),
    Tags: toTagList(withOwner(props.tags, ownerValue(ctx))),
  }), replacing);
  return outcome(ctx, props.name);
}

/**
 * A pool of this resource from before, brought to the declared tags and, with SES v2, scaling mode: its live mode is
 * read (GetDedicatedIpPool, SES v2 only) and put when it differs. Pinpoint Email cannot read or change it.
 */
async function takeBack(ctx: HandlerContext, props: DedicatedIpPool, liveTags: Tags, marker: string): Promise<void> {
  if (ctx.api.backend === EmailApiBackends.SES_V2) {
    const live = await ctx.api.call('GetDedicatedIpPool', { PoolName: props.name });
    if ((live.DedicatedIpPool?.ScalingMode ?? DEFAULT_SCALING_MODE) !== (props.scalingMode ?? DEFAULT_SCALING_MODE)) await putScalingMode(ctx, props);
  }
  await replaceTags(ctx.api, arn(ctx, props.name), liveTags, props.tags, marker);
}

/**
 * Puts the declared scaling mode (unset: STANDARD). The API converts STANDARD to MANAGED only; it refuses the way
 * back, and the failure keeps its message and says what to do (docs/decisions.md, "Dedicated IP pools: scaling mode").
 */
async function putScalingMode(ctx: HandlerContext, props: DedicatedIpPool): Promise<void> {
  const mode = props.scalingMode ?? DEFAULT_SCALING_MODE;
  try {
    await ctx.api.call('PutDedicatedIpPoolScalingAttributes', { PoolName: props.name, ScalingMode: mode });
  } catch (error) {
    if (mode !== 'STANDARD' || !hasErrorName(error, 'BadRequestException')) throw error;
    throw new ResourceFailure(`PutDedicatedIpPoolScalingAttributes failed: ${(error as Error).name}: ${(error as Error).message} ` +
      '(a MANAGED pool cannot become STANDARD again: keep scalingMode MANAGED, or give the pool a new dedicatedIpPoolName to ' +
      'create a STANDARD pool; if this is the rollback of the update that made it MANAGED, continue the rollback and skip this ' +
      'resource, which stays MANAGED)');
  }
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
