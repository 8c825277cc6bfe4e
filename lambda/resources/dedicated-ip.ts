import { checkSchemaVersion, optionalInteger, RawProperties, requiredString } from '../decode';
import { isNotFound, ResourceFailure, unlessNotFound } from '../errors';
import { log } from '../log';
import { HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailDedicatedIp` properties. */
export interface DedicatedIp {
  readonly ip: string;
  /** The pool the IP sends from. */
  readonly poolName: string;
  readonly warmupPercentage?: number;
}

/** The pool that Amazon manages: every leased IP that is in no pool of the account's own is in it. */
export const DEFAULT_POOL = 'ses-default-dedicated-pool';

/**
 * The physical id records the pool the IP was in before this resource moved it, which the IP goes back to on delete:
 * `dedicated-ip:<ip>:from:<pool>`. It never changes for the life of the resource (a change of pool is an update), so
 * CloudFormation keeps it; Data is not sent back to the handler, and dedicated IPs have no tags.
 */
const PHYSICAL_ID = /^dedicated-ip:([0-9.]+):from:([a-z0-9_-]+)$/;

export function dedicatedIpPhysicalId(ip: string, origin: string): string {
  return `dedicated-ip:${ip}:from:${origin}`;
}

function parsePhysicalId(physicalId: string): { ip: string; origin: string } | undefined {
  const match = PHYSICAL_ID.exec(physicalId);
  return match ? { ip: match[1], origin: match[2] } : undefined;
}

/**
 * A dedicated IP of a pool. Create reads the IP (its pool, which the physical id records; an IP the account does not
 * have fails here) and moves it; an update moves it only when its pool changed (one call) and sets the warm-up only
 * when it changed; delete puts it back where it came from, unless someone moved it since.
 */
export const dedicatedIpHandler: ResourceHandler<DedicatedIp> = {
  label: 'Dedicated IP',

  decode(raw: RawProperties): DedicatedIp {
    checkSchemaVersion(raw);
    return { ip: requiredString(raw, 'Ip'), poolName: requiredString(raw, 'PoolName'), warmupPercentage: optionalInteger(raw, 'WarmupPercentage', 0, 100) };
  },

  describe: (props) => `Dedicated IP ${props.ip}`,

  async create(ctx, props) {
    const live = await unlessNotFound(ctx.api.call('GetDedicatedIp', { Ip: props.ip }));
    if (!live?.DedicatedIp) {
      throw new ResourceFailure(`the account has no dedicated IP ${props.ip} in ${ctx.environment.region} (GetDedicatedIp: NotFoundException); ` +
        'list its dedicated IPs with GetDedicatedIps, or lease one from AWS first');
    }
    const current = live.DedicatedIp.PoolName || DEFAULT_POOL;
    // Already in the pool: a retried create that moved it before (where it came from is lost), so it goes back to the default pool.
    const origin = current === props.poolName ? DEFAULT_POOL : current;
    if (current !== props.poolName) await move(ctx, props.ip, props.poolName);
    if (props.warmupPercentage !== undefined && props.warmupPercentage !== live.DedicatedIp.WarmupPercentage) {
      try {
        await setWarmup(ctx, props);
      } catch (error) {
        // No half-done create: the IP goes back before the deploy fails.
        if (current !== props.poolName) await move(ctx, props.ip, current);
        throw error;
      }
    }
    return outcome(props, dedicatedIpPhysicalId(props.ip, origin));
  },

  async update(ctx, physicalId, props, oldProps) {
    const recorded = parsePhysicalId(physicalId);
    if (!recorded || recorded.ip !== props.ip) return this.create(ctx, props); // another IP: a replacement
    if (props.poolName !== oldProps.poolName) await move(ctx, props.ip, props.poolName);
    if (props.warmupPercentage !== undefined && props.warmupPercentage !== oldProps.warmupPercentage) await setWarmup(ctx, props);
    return outcome(props, physicalId);
  },

  owns: (physicalId, props) => parsePhysicalId(physicalId)?.ip === props.ip,

  /**
   * Back to the pool it came from, or to the default pool if that pool is gone. An IP that is no longer in this
   * resource's pool was moved by someone else, and stays; one the account no longer has is gone already.
   */
  async delete(ctx, physicalId, props) {
    const { origin } = parsePhysicalId(physicalId)!;
    const live = await unlessNotFound(ctx.api.call('GetDedicatedIp', { Ip: props.ip }));
    if (!live?.DedicatedIp) return;
    const current = live.DedicatedIp.PoolName || DEFAULT_POOL;
    if (current !== props.poolName) {
      log(`dedicated IP left where it is: someone moved it out of this pool, to ${current}`, { physicalId });
      return;
    }
    if (current === origin) return;
    try {
      await move(ctx, props.ip, origin);
    } catch (error) {
      if (!isNotFound(error) || origin === DEFAULT_POOL) throw error;
      log('the pool this dedicated IP came from is gone: back to the default pool', { physicalId });
      await unlessNotFound(move(ctx, props.ip, DEFAULT_POOL));
    }
  },
};

async function move(ctx: HandlerContext, ip: string, poolName: string): Promise<void> {
  await ctx.api.call('PutDedicatedIpInPool', { Ip: ip, DestinationPoolName: poolName });
}

async function setWarmup(ctx: HandlerContext, props: DedicatedIp): Promise<void> {
  await ctx.api.call('PutDedicatedIpWarmupAttributes', { Ip: props.ip, WarmupPercentage: props.warmupPercentage });
}

function outcome(props: DedicatedIp, physicalId: string): Outcome {
  return { physicalResourceId: physicalId, data: { Ip: props.ip, PoolName: props.poolName } };
}
