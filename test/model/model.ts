/**
 * The model: what CloudFormation and the service should hold after each step of a history, and the oracle that
 * compares it with the service. It follows CloudFormation's rules: a renamed resource is replaced (the old one kept
 * only if the new declaration is RETAIN: UpdateReplacePolicy), a removed one deleted unless its last declaration was
 * RETAIN (DeletionPolicy), a failed deploy rolled back to the state before it.
 */
import { isDeepStrictEqual } from 'util';
import { Decl, FOREIGN_EDIT, History, Step } from './history';
import { DASHBOARD_KEY, Kind, KindOracle, KINDS, kindNamed, Operation, Tags } from './kinds';
import { Limit, LIMITS, MAX_TAGS } from './limits';
import { diffWorlds, sameTags, show, World } from './world';
import type { DriverEvent, DriverResult } from '../support/lifecycle-driver';
import type { RecordedCall } from '../support/local-service';

const TEST = 'DeliverabilityTest';
const DASHBOARD = 'DeliverabilityDashboard';
const keyOf = (d: Decl): string => `${d.kind}/${kindNamed(d.kind).key(d.props)}`;
const split = (k: string): [string, string] => [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
/** Tags that no API call may remove (the handler never sends an `aws:` key). */
const onlyAws = (tags: Tags): Tags => Object.fromEntries(Object.entries(tags).filter(([k]) => k.toLowerCase().startsWith('aws:')));

/** One request of a deploy: its driver event and the API calls it made. */
export interface StepRequest {
  readonly phase: string;
  readonly event: DriverEvent;
  readonly calls: readonly RecordedCall[];
}

export class Model {
  /** What the stack manages after its last successful deploy, by `kind/key` (tests: by construct id, `DeliverabilityTest/<id>`). */
  private managed = new Map<string, Decl>();
  /** RETAIN resources that left the stack: they must stay. */
  private readonly leftovers = new Set<string>();
  /** What may stay after it left the stack, or not (see killedWhileEnabling). */
  private readonly mayRemain = new Set<string>();
  /** Tags that someone else put on the stack's resources, by `kind/key`. */
  private readonly edits = new Map<string, Tags>();
  private readonly foreignWorld: World;
  /** The limits this history met so far. */
  public readonly limits = new Set<Limit>();
  /** The oracles of the kinds that have their own (kind.ts): the checks below leave their declarations and slices to them. */
  private readonly oracles = new Map<string, KindOracle>(KINDS.flatMap((k) => (k.oracle ? [[k.name, k.oracle()] as [string, KindOracle]] : [])));

  constructor(private readonly history: History, initial: World) {
    this.foreignWorld = initial;
  }

  /** What the kinds with an oracle of their own find after a deploy (with its step) or the deletion. */
  afterOperation(op: Omit<Operation, 'met'>): string[] {
    return [...this.oracles.values()].flatMap((o) => o.after({ ...op, met: (limit) => this.limits.add(limit) }));
  }

  /** The resources the stack manages, in a stable order (the foreign tagger picks one). */
  managedKeys(): string[] {
    return [...this.managed.keys()].filter((k) => kindNamed(split(k)[0]).keyedBy === 'name').sort();
  }

  /** Someone else tags a resource of the stack. */
  recordEdit(key: string): void {
    this.edits.set(key, { ...this.edits.get(key), ...FOREIGN_EDIT });
  }

  /** Whether declaring `version` may fail for a reason of the history itself (a name taken, a missing dashboard). */
  mayFail(version: readonly Decl[], world: World, step: Step): string | undefined {
    for (const d of version) {
      const kind = kindNamed(d.kind);
      if (kind.keyedBy !== 'name') continue;
      const key = keyOf(d);
      const holder = this.managed.get(key);
      if (holder && holder.id !== d.id) return `${key} is still held by ${holder.id}`;
      if (!holder && world[d.kind][kind.key(d.props)]) return `${key} exists already`;
      // The declared tags, the ownership tag and someone else's that stay must fit in the API's 50.
      const live = Object.keys(world[d.kind][kind.key(d.props)]?.tags ?? {});
      const kept = live.filter((t) => !(t in kind.tags(d.props)) && !(t in (holder?.props.tags ?? {})));
      if (Object.keys(kind.tags(d.props)).length + 1 + kept.length > MAX_TAGS) {
        this.limits.add(LIMITS.tagSlots);
        return `${key}: ${LIMITS.tagSlots}`;
      }
    }
    const dashboard = this.history.foreignDashboard || version.some((d) => d.kind === DASHBOARD) || this.leftovers.has(`${DASHBOARD}/${DASHBOARD_KEY}`);
    if (version.some((d) => d.kind === TEST) && !dashboard) return 'a deliverability test without an enabled dashboard';
    for (const o of this.oracles.values()) {
      const reason = o.mayFail(version, world, step);
      if (reason) return reason;
    }
    return undefined;
  }

  /** Divergences after a deploy that succeeded; then the model moves to `version`. */
  afterSuccess(version: readonly Decl[], world: World, result: DriverResult, logicalIdOf: (id: string) => string | undefined): string[] {
    const problems: string[] = [];
    const lookup = (id: string) => {
      const d = version.find((x) => x.id === id);
      return d && { props: d.props };
    };
    for (const d of version) if (this.leftovers.has(keyOf(d))) this.takenBack(keyOf(d));
    const next = new Map<string, Decl>();
    for (const d of version) {
      if (this.oracles.has(d.kind)) continue;
      const kind = kindNamed(d.kind);
      let key = kind.key(d.props);
      if (kind.keyedBy === 'physicalId') {
        const logicalId = logicalIdOf(d.id);
        key = (logicalId && result.resources.get(logicalId)?.physicalId) ?? '?';
        next.set(`${d.kind}/${d.id}`, d);
      } else {
        next.set(keyOf(d), d);
      }
      problems.push(...this.checkDeclared(kind, d, key, world, lookup));
    }
    // What left the stack: deleted, unless RETAIN.
    for (const [key, old] of this.managed) {
      if (next.has(key) || old.kind === TEST) continue;
      const renamed = version.find((d) => d.id === old.id && d.kind === old.kind);
      if ((renamed ?? old).retain) this.leftovers.add(key);
    }
    // A dashboard left enabled stays so: declared again, it is found enabled, and its Delete keeps it enabled.
    for (const key of next.keys()) if (!key.startsWith(`${DASHBOARD}/`)) this.leftovers.delete(key);
    problems.push(...this.checkGone(next, world));
    this.managed = next;
    return problems;
  }

  /**
   * A dashboard that the deploy enabled while an invocation was killed: the retried Create may have found it enabled
   * by the first attempt (the API keeps no marker on a dashboard), so it may stay enabled after the stack.
   */
  killedWhileEnabling(before: World, world: World): void {
    if (before[DASHBOARD][DASHBOARD_KEY].options.enabled || !world[DASHBOARD][DASHBOARD_KEY].options.enabled) return;
    this.limits.add(LIMITS.killedDashboard);
    this.mayRemain.add(`${DASHBOARD}/${DASHBOARD_KEY}`);
  }

  /** Divergences after a deploy that failed: the rollback completed, and nothing changed but new reports. */
  afterFailure(before: World, world: World, result: DriverResult, calls: readonly StepRequest[], lostResponse: boolean): string[] {
    const problems: string[] = [];
    const expected: Record<string, Record<string, any>> = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, { ...v }]));
    // A leftover that the forward phase took back by a rename stays as the take-back made it: nothing records its
    // state before, so the rollback only releases it (the handler's Delete then keeps it).
    const changedLeftovers = new Set<string>();
    for (const { event, calls: made } of calls) {
      if (!/_IN_PROGRESS$/.test(event.phase) || /ROLLBACK|CLEANUP/.test(event.phase) || event.requestType !== 'Update') continue;
      const kind = KINDS.find((k) => k.resourceType === event.resourceType);
      // A take-back that failed half-way (its TagResource after its UntagResource) changed the leftover as far as it got.
      const target = event.status === 'SUCCESS' ? event.physicalId : made.map((c) => targetOf(c.input)).find((t) => t !== event.oldPhysicalId);
      const key = kind && target && `${kind.name}/${target}`;
      if (!key || target === event.oldPhysicalId || !this.leftovers.has(key)) continue;
      this.limits.add(LIMITS.takeBackRolledBack);
      changedLeftovers.add(key);
      this.takenBack(key);
    }
    // The rollback of a rename sends the old name to the new physical id: the handler takes the old resource back.
    for (const { event } of calls) {
      if (event.phase !== 'UPDATE_ROLLBACK_IN_PROGRESS' || event.requestType !== 'Update' || event.status !== 'SUCCESS') continue;
      const kind = KINDS.find((k) => k.resourceType === event.resourceType);
      if (!kind || kind.keyedBy !== 'name' || !event.physicalId || event.physicalId === event.oldPhysicalId) continue;
      const key = `${kind.name}/${event.physicalId}`;
      const old = expected[kind.name][event.physicalId];
      if (!old) continue;
      this.takenBack(key);
      expected[kind.name][event.physicalId] = { ...old, tags: { ...onlyAws(old.tags), ...kind.tags(this.managed.get(key)?.props ?? { tags: {} }) } };
    }
    // What a request whose response was lost created stays: CloudFormation never learned its physical id.
    if (lostResponse) {
      for (const [kind, resources] of Object.entries(world)) {
        for (const [key, got] of Object.entries(resources)) {
          // (a dashboard: enabled by it, or with the domains it subscribed)
          const made = kind === DASHBOARD ? !isDeepStrictEqual(got.options, before[kind][key].options) : !before[kind][key] && got.owner;
          if (kind === TEST || this.oracles.has(kind) || !made) continue;
          this.limits.add(LIMITS.lostResponse);
          this.leftovers.add(`${kind}/${key}`);
        }
      }
    }
    // A set whose response was lost uses a pool the failed first deploy created: its rollback cannot delete the pool.
    const failed = result.rollbackFailure;
    if (result.status === 'ROLLBACK_FAILED' && failed?.requestType === 'Delete' && failed.physicalId && this.keptByRetainedSet(failed.physicalId, world)) {
      this.limits.add(LIMITS.poolOfLostSet);
    } else if (!['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'].includes(result.status)) {
      problems.push(`the rollback did not complete: ${result.status} (${result.rollbackFailure?.logicalId}: ${result.rollbackFailure?.reason})`);
    }
    // What the rollback kept by policy (a RETAIN resource that the failed deploy created) is a leftover now.
    for (const r of result.retained) {
      const d = this.history.steps.flatMap((s) => s.version).find((x) => r.logicalId.startsWith(x.id) && /^[0-9A-F]{8}$/.test(r.logicalId.slice(x.id.length)));
      const key = d && (kindNamed(d.kind).keyedBy === 'singleton' ? DASHBOARD_KEY : r.physicalId);
      if (d && key && d.kind !== TEST && world[d.kind][key]) this.leftovers.add(`${d.kind}/${key}`);
    }
    // A pool the failed deploy created that such a retained set still uses: the API refuses its delete, as in AWS.
    for (const pool of Object.keys(world.DedicatedIpPool)) {
      if (!before.DedicatedIpPool[pool] && this.keptByRetainedSet(pool, world)) this.leftovers.add(`DedicatedIpPool/${pool}`);
    }
    // No API deletes a report: one that a failed create made stays. Any other difference is a divergence.
    const ignored = (kind: string, key: string) => this.oracles.has(kind) || (kind === TEST && !before[TEST][key]) || changedLeftovers.has(`${kind}/${key}`)
      || ((!before[kind][key] || kind === DASHBOARD) && this.leftovers.has(`${kind}/${key}`))
      || (kind === DASHBOARD && this.mayRemain.has(`${kind}/${key}`)); // killedWhileEnabling: a rollback too leaves it
    problems.push(...diffWorlds(expected, world, ignored).map((l) => `not rolled back: ${l}`));
    for (const c of calls) {
      if (/ROLLBACK/.test(c.phase) && c.calls.some((x) => x.operation === 'CreateDeliverabilityTestReport' && x.status === 200)) {
        problems.push('the rollback created a deliverability test report');
      }
    }
    return problems;
  }

  /** Divergences after the stack's deletion: only RETAIN resources (and reports, which no API deletes) remain. */
  afterDestroy(world: World, result: DriverResult): string[] {
    const inUse = result.failure?.reason.includes('is used by configuration set') && this.leftovers.size > 0;
    const problems = result.status === 'DELETE_COMPLETE' || inUse ? [] : [`the delete failed: ${result.status} ${result.failure?.reason ?? ''}`];
    for (const [key, d] of this.managed) if (d.retain && d.kind !== TEST) this.leftovers.add(key);
    this.managed = new Map();
    problems.push(...this.checkGone(new Map(), world));
    return problems;
  }

  /** Checks that hold after every step: foreign resources untouched, no call carries an `aws:` key or writes to a foreign resource. */
  always(world: World, calls: readonly RecordedCall[]): string[] {
    const problems: string[] = [];
    for (const f of this.history.foreign) {
      const seeded = this.foreignWorld[f.kind][f.name];
      if (!isDeepStrictEqual(world[f.kind][f.name], seeded)) {
        problems.push(`foreign ${f.kind} ${f.name} changed: expected ${show(seeded)}, got ${show(world[f.kind][f.name])}`);
      }
    }
    const foreignNames = new Set(this.history.foreign.map((f) => f.name));
    for (const call of calls) {
      const keys = [...((call.input.Tags as Array<{ Key?: string }> | undefined) ?? []).map((t) => t.Key ?? ''), ...((call.input.TagKeys as string[] | undefined) ?? [])];
      if (keys.some((k) => k.toLowerCase().startsWith('aws:'))) problems.push(`${call.operation} carried an aws: key: ${JSON.stringify(call.input)}`);
      if (call.status === 200 && !/^(Get|List)/.test(call.operation)) {
        const target = targetOf(call.input);
        if (target !== undefined && foreignNames.has(target) && !this.isManagedName(target)) problems.push(`${call.operation} wrote to the foreign resource ${target}`);
      }
    }
    return problems;
  }

  /** A take-back brings the resource to its declared tags: someone else's go, but for `aws:` ones. */
  private takenBack(key: string): void {
    const edits = this.edits.get(key);
    if (!edits) return;
    this.limits.add(LIMITS.takeBackTags);
    this.edits.set(key, onlyAws(edits));
  }

  private keptByRetainedSet(pool: string, world: World): boolean {
    return Object.entries(world.ConfigurationSet).some(([name, set]) => set.options.pool === pool && this.leftovers.has(`ConfigurationSet/${name}`));
  }

  private isManagedName(name: string): boolean {
    return [...this.managed.keys()].some((k) => split(k)[1] === name);
  }

  private checkDeclared(kind: Kind, d: Decl, key: string, world: World, lookup: (id: string) => { props: any } | undefined): string[] {
    const problems: string[] = [];
    const got = world[kind.name][key];
    const label = `${kind.name} ${d.id} (${key})`;
    if (!got) return [`${label} is declared but does not exist`];
    const expected = kind.expected(d.props, lookup);
    if (kind.keyedBy === 'singleton') {
      const domains = got.options.domains as string[];
      const missing = (expected.domains as string[]).filter((x) => !domains.includes(x));
      if (!got.options.enabled || missing.length > 0) problems.push(`${label}: expected enabled with ${show(expected.domains)}, got ${show(got.options)}`);
      if (this.history.foreignDashboard && !domains.includes(FOREIGN_DOMAIN)) problems.push(`${label}: the foreign subscription ${FOREIGN_DOMAIN} was removed`);
      return problems;
    }
    if (!isDeepStrictEqual(got.options, expected)) problems.push(`${label}: options expected ${show(expected)}, got ${show(got.options)}`);
    const wantedTags = { ...kind.tags(d.props), ...this.edits.get(`${kind.name}/${key}`) };
    if (!sameTags(got.tags, wantedTags)) problems.push(`${label}: tags expected ${show(wantedTags)}, got ${show(got.tags)}`);
    if (!got.owner) problems.push(`${label} has no ownership tag`);
    return problems;
  }

  private checkGone(next: Map<string, Decl>, world: World): string[] {
    const problems: string[] = [];
    for (const kind of Object.keys(world)) {
      if (kind === TEST || this.oracles.has(kind)) continue;
      for (const [key, got] of Object.entries(world[kind])) {
        const k = `${kind}/${key}`;
        const foreign = this.history.foreign.some((f) => f.kind === kind && f.name === key);
        if (next.has(k) || foreign || this.leftovers.has(k) || this.mayRemain.has(k)) continue;
        if (kind === DASHBOARD) {
          if (got.options.enabled && !this.history.foreignDashboard) problems.push('the dashboard is still enabled, though no stack declares it');
          continue;
        }
        if (kind === 'DedicatedIpPool' && this.keptByRetainedSet(key, world)) {
          // A RETAIN set that left the stack still uses the pool: the API refuses to delete it, as it would in AWS.
          this.leftovers.add(k);
          continue;
        }
        if (got.owner) problems.push(`${kind} ${key} left the stack but remains: ${show(got)}`);
      }
    }
    for (const k of this.leftovers) {
      const [kind, key] = split(k);
      const got = world[kind][key];
      if (!got || (kind === DASHBOARD && !got.options.enabled)) problems.push(`RETAIN ${kind} ${key} was deleted`);
    }
    // Edits of what no longer exists are gone with it.
    for (const k of [...this.edits.keys()]) if (!world[split(k)[0]][split(k)[1]]) this.edits.delete(k);
    return problems;
  }
}

/** The domain someone else subscribed to a dashboard enabled before the history. */
export const FOREIGN_DOMAIN = 'theirs.example.net';

function targetOf(input: Record<string, unknown>): string | undefined {
  for (const member of ['ConfigurationSetName', 'PoolName', 'EmailIdentity']) if (typeof input[member] === 'string') return input[member] as string;
  const arn = input.ResourceArn;
  return typeof arn === 'string' ? arn.slice(arn.indexOf('/') + 1) : undefined;
}
