/**
 * Dedicated IPs of the stack's pools (`DedicatedIpPool.dedicatedIps` and `addDedicatedIp`): no API creates one, so the
 * IPs are leased (seeded) before every history, and each declaration moves one into a pool of the same version. The
 * oracle follows every request the stack sends for an IP with the rules of docs/decisions.md ("Dedicated IPs: where an
 * IP goes back") and compares the pool and warm-up of every IP of the account with the service's, exactly.
 */
import { isDeepStrictEqual } from 'util';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { THEIR_POOL } from './imports';
import { Kind, KindOracle, Lookup, maybe, Observed, Operation } from './kind';
import { DedicatedIpPool } from '../../../src';
import { OWNER_TAG_KEY, ResourceTypes } from '../../../src/private/contract';
import { DEFAULT_DEDICATED_POOL as DEFAULT_POOL } from '../../support/local-service/state';
import type { Decl } from '../history';
import { LIMITS } from '../limits';
import type { World } from '../world';

const NAME = 'DedicatedIp';
/** Leased to the account before every history: where each is, and its warm-up percentage. The last is never declared. */
const LEASED: Readonly<Record<string, IpState>> = {
  '192.0.2.10': { pool: DEFAULT_POOL, warmup: 100 },
  '192.0.2.11': { pool: THEIR_POOL, warmup: 40 },
  '192.0.2.12': { pool: THEIR_POOL, warmup: 100 },
};
/** An IP the account does not have: declaring it fails the deploy. */
const MISSING = '203.0.113.9';
const IP_IDS = ['Ip0', 'Ip1'];
const POOL_IDS = ['Pool0', 'Pool1'];

export interface IpProps {
  readonly ip: string;
  /** The construct id of its pool, or the other pool when the version does not declare this one (and none: no effect). */
  readonly pool: string;
  readonly warmup?: number;
  /** Listed in the pool's `dedicatedIps` prop, rather than added with `addDedicatedIp` (which alone takes a warm-up). */
  readonly listed: boolean;
}

interface IpState {
  pool: string;
  warmup: number;
}

/**
 * The IP declarations of a version that take effect, with the construct id and name of their pool: a pool is declared,
 * and no earlier one names the same IP (synth refuses an IP in two pools). Their RETAIN is their pool's (the construct
 * gives an IP its pool's policy).
 */
export function declaredIps(lookup: Lookup): Array<{ id: string; props: IpProps; poolId: string; poolName: string }> {
  const seen = new Set<string>();
  const ips = [];
  for (const id of IP_IDS) {
    const props = lookup(id)?.props as IpProps | undefined;
    const poolId = props && [props.pool, ...POOL_IDS].find((p) => lookup(p));
    if (!props || !poolId || seen.has(props.ip)) continue;
    seen.add(props.ip);
    ips.push({ id, props, poolId, poolName: lookup(poolId)!.props.name as string });
  }
  return ips;
}

/** What the pool of construct id `poolId` lists in its `dedicatedIps` prop. */
export function listedIps(poolId: string, lookup: Lookup): string[] | undefined {
  const ips = declaredIps(lookup).filter((x) => x.poolId === poolId && x.props.listed).map((x) => x.props.ip);
  return ips.length > 0 ? ips : undefined;
}

const lookupIn = (version: readonly Decl[]): Lookup => (id) => version.find((d) => d.id === id);

export const dedicatedIp: Kind<IpProps> = {
  name: NAME,
  constructIds: IP_IDS,
  frequency: 0.6,
  resourceType: ResourceTypes.DEDICATED_IP,
  keyedBy: 'own',
  operations: ['GetDedicatedIp', 'PutDedicatedIpInPool', 'PutDedicatedIpWarmupAttributes'],
  names: [],
  props: () => fc.record({
    ip: fc.oneof({ arbitrary: fc.constantFrom('192.0.2.10', '192.0.2.11'), weight: 9 }, fc.constant(MISSING)),
    pool: fc.constantFrom(...POOL_IDS),
    // 40 is the seeded warm-up of 192.0.2.11: a declared percentage that does not differ
    warmup: maybe(fc.constantFrom(0, 40, 73, 100)),
    listed: fc.boolean(),
  }, { requiredKeys: ['ip', 'pool', 'listed'] }).map((p) => (p.warmup !== undefined ? { ...p, listed: false } : p)),
  key: (p) => p.ip,
  build: (stack, id, p, _retain, lookup) => {
    const declared = declaredIps(lookup).find((x) => x.id === id);
    if (declared && !p.listed) (lookup(declared.poolId)!.construct as DedicatedIpPool).addDedicatedIp(p.ip, { warmupPercentage: p.warmup });
    return new Construct(stack, id);
  },
  expected: () => ({}),
  tags: () => ({}),
  observe: (state) => Object.fromEntries([...state.dedicatedIps].map(([ip, r]) => [ip, {
    options: { pool: r.poolName, warmup: r.warmupPercentage }, tags: {},
  }])),
  seed: (state, foreignTags) => {
    state.addDedicatedIpPool(THEIR_POOL, { ...foreignTags });
    for (const [ip, { pool, warmup }] of Object.entries(LEASED)) state.addDedicatedIp(ip, pool, warmup);
  },
  seededForeign: [{ kind: 'DedicatedIpPool', name: THEIR_POOL }],
  // Someone else moves one of the IPs in the stack's pools to their pool.
  beforeDeploy: (state, step) => {
    if (step.foreignIpMove === undefined) return;
    const ours = [...state.dedicatedIps.values()].filter((r) => state.dedicatedIpPools.get(r.poolName)?.tags[OWNER_TAG_KEY] !== undefined);
    if (ours.length > 0) ours[step.foreignIpMove % ours.length].poolName = THEIR_POOL;
  },
  oracle: () => new DedicatedIpOracle(),
};

const physicalId = (ip: string, origin: string) => `dedicated-ip:${ip}:from:${origin}`;

class DedicatedIpOracle implements KindOracle {
  /** The IPs after the last operation: what differs before the next was someone else's doing. */
  private last?: World[string];
  /** IPs that someone else moved since the stack last moved them: they stay where they are until the stack moves them. */
  private readonly movedByOthers = new Set<string>();

  mayFail(version: readonly Decl[], world: World): string | undefined {
    const lookup = lookupIn(version);
    const ips = declaredIps(lookup);
    const missing = ips.find((x) => !world[NAME][x.props.ip]);
    if (missing) return `the account has no dedicated IP ${missing.props.ip}`;
    // The API refuses to move an IP into a MANAGED pool (SES v2 picks its IPs); a pool once MANAGED stays so.
    const managed = ips.find((x) => lookup(x.poolId)?.props.scaling === 'MANAGED' || world.DedicatedIpPool[x.poolName]?.options.scaling === 'MANAGED');
    return managed && `dedicated IP ${managed.props.ip} in the MANAGED pool ${managed.poolName}`;
  }

  after(op: Operation): string[] {
    const problems: string[] = [];
    for (const [ip, got] of Object.entries(op.before[NAME])) if (this.last && !isDeepStrictEqual(got, this.last[ip])) this.movedByOthers.add(ip);
    const live = new Map(Object.entries(op.before[NAME]).map(([ip, o]): [string, IpState] => [ip, { ...o.options as unknown as IpState }]));
    // Pools that exist, until the request that deletes them (the service then moves their IPs to the default pool).
    const pools = new Set([DEFAULT_POOL, ...Object.keys(op.before.DedicatedIpPool), ...Object.keys(op.world.DedicatedIpPool)]);

    for (const { event, calls } of op.requests) {
      if (event.resourceType === ResourceTypes.DEDICATED_IP_POOL && event.requestType === 'Delete' && event.status === 'SUCCESS') {
        const pool = event.physicalId!;
        if (op.world.DedicatedIpPool[pool]) continue; // kept (a released take-back)
        pools.delete(pool);
        for (const state of live.values()) if (state.pool === pool) state.pool = DEFAULT_POOL;
      }
      if (event.resourceType !== ResourceTypes.DEDICATED_IP) continue;
      const props = event.request.ResourceProperties as unknown as Record<string, string>;
      const old = ('OldResourceProperties' in event.request ? event.request.OldResourceProperties : {}) as Record<string, string>;
      const state = live.get(props.Ip);
      const label = `${event.phase} ${event.requestType} of dedicated IP ${props.Ip}`;
      const lost = event.status === 'FAILED' && /response was lost/.test(event.reason ?? '');
      if (event.status === 'FAILED' && !lost) {
        // A failed Create leaves the IP where it was; a failed Update or Delete as far as it got (its rollback then follows).
        if (event.requestType !== 'Create') replayWrites(calls, live);
        continue;
      }
      if (lost) {
        // CloudFormation never got the Create's or Update's answer, which may have been a failure: the IP is as far as its calls got.
        if (event.requestType === 'Create') op.met(LIMITS.lostResponse);
        replayWrites(calls, live);
        continue;
      }
      if (event.requestType === 'Create') {
        if (!state) {
          problems.push(`${label} succeeded, though the account has no such IP`);
          continue;
        }
        const origin = state.pool === props.PoolName ? DEFAULT_POOL : state.pool;
        if (event.physicalId !== physicalId(props.Ip, origin)) {
          // A retried Create whose first attempt moved the IP finds it in its pool: where it came from is lost.
          if (op.step?.fault.kind === 'kill' && event.physicalId === physicalId(props.Ip, DEFAULT_POOL)) op.met(LIMITS.ipOriginLost);
          else problems.push(`${label}: recorded ${event.physicalId}, expected ${physicalId(props.Ip, origin)}`);
        }
        this.movedByOthers.delete(props.Ip);
        state.pool = props.PoolName;
        if (props.WarmupPercentage !== undefined) state.warmup = Number(props.WarmupPercentage);
      } else if (event.requestType === 'Update') {
        if (event.physicalId !== event.oldPhysicalId) problems.push(`${label} changed the physical id to ${event.physicalId}`);
        if (!state) continue;
        if (props.PoolName !== old.PoolName) {
          this.movedByOthers.delete(props.Ip);
          state.pool = props.PoolName;
        }
        if (props.WarmupPercentage !== undefined && props.WarmupPercentage !== old.WarmupPercentage) state.warmup = Number(props.WarmupPercentage);
      } else {
        // Back where it came from (the physical id's record), unless someone moved it out of this pool; to the
        // default pool if where it came from is gone. A placeholder id (a Create that never answered) is not its own.
        const origin = /^dedicated-ip:[0-9.]+:from:([a-z0-9_-]+)$/.exec(event.physicalId ?? '')?.[1];
        if (!origin || !state || state.pool !== props.PoolName) continue;
        state.pool = pools.has(origin) ? origin : DEFAULT_POOL;
      }
    }

    // After a successful deploy, every declared IP is in its pool with its warm-up, unless someone else moved it since.
    if (op.step && op.result.ok) {
      for (const x of declaredIps(lookupIn(op.version))) {
        const got = op.world[NAME][x.props.ip]?.options;
        if (got?.pool !== x.poolName && !this.movedByOthers.has(x.props.ip)) problems.push(`dedicated IP ${x.props.ip} (${x.id}) is in ${got?.pool}, not in ${x.poolName}`);
        if (x.props.warmup !== undefined && got?.warmup !== x.props.warmup) problems.push(`dedicated IP ${x.props.ip} (${x.id}) warms up at ${got?.warmup}, not ${x.props.warmup}`);
      }
    }
    const expected: Record<string, Observed> = Object.fromEntries([...live].map(([ip, s]) => [ip, { options: { ...s }, tags: {} }]));
    for (const ip of new Set([...Object.keys(expected), ...Object.keys(op.world[NAME])])) {
      if (!isDeepStrictEqual(expected[ip], op.world[NAME][ip])) {
        problems.push(`dedicated IP ${ip}: expected ${JSON.stringify(expected[ip]?.options)}, got ${JSON.stringify(op.world[NAME][ip]?.options)}`);
      }
    }
    this.last = op.world[NAME];
    return problems;
  }
}

/** The moves and warm-ups that a request which failed half-way made. */
function replayWrites(calls: Operation['requests'][number]['calls'], live: Map<string, IpState>): void {
  for (const c of calls) {
    const state = c.status === 200 ? live.get(c.input.Ip as string) : undefined;
    if (state && c.operation === 'PutDedicatedIpInPool') state.pool = c.input.DestinationPoolName as string;
    if (state && c.operation === 'PutDedicatedIpWarmupAttributes') state.warmup = c.input.WarmupPercentage as number;
  }
}
