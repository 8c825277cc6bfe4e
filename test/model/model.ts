/**
 * The model: what CloudFormation and the service should hold after each step of a history, and the oracle that
 * compares it with the service. It follows CloudFormation's rules: a renamed resource is replaced (the old one kept
 * only if the new declaration is RETAIN: UpdateReplacePolicy), a removed one deleted unless its last declaration was
 * RETAIN (DeletionPolicy), a failed deploy rolled back to the state before it.
 */
import { isDeepStrictEqual } from 'util';
import { Decl, FOREIGN_EDIT, History, Step } from './history';
import { AccountSettingsModel, DASHBOARD_KEY, IMPORTED_SETS, Kind, KindOracle, KINDS, kindNamed, nameOf, Operation, Tags, verifies } from './kinds';
import type { Lookup } from './kinds/kind';
import { Limit, LIMITS, MAX_TAGS } from './limits';
import {
  callsThroughTheirApi, Reached, TemplateApi, sesV2OptionsAfterDeploy, sesV2OptionsAfterRollback, sesV2Refusal, switchAloneProblems,
} from './ses-v2';
import { diffWorlds, sameTags, show, World } from './world';
import type { EmailApiVersion } from '../../src';
import { ResourceTypes } from '../../src/private/contract';
import type { DriverEvent, DriverResult } from '../support/lifecycle-driver';
import type { RecordedCall } from '../support/local-service';

const TEST = 'DeliverabilityTest';
const DASHBOARD = 'DeliverabilityDashboard';
/** Account settings: modelled apart (AccountSettingsModel). */
const ACCOUNT = 'EmailAccountSettings';
const DESTINATION = 'ConfigurationSetEventDestination';
const DESTINATION_TYPE = kindNamed(DESTINATION).resourceType;
/** A destination's key, `<set>/<name>`, from its physical id (which may record the one it replaced). */
const destinationKey = (physicalId: string | undefined): string | undefined => physicalId && kindNamed(DESTINATION).keyOfPhysicalId!(physicalId);
const keyOf = (d: Decl): string => `${d.kind}/${kindNamed(d.kind).key(d.props)}`;
const split = (k: string): [string, string] => [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
/** Whether the rollback (or its cleanup) sent a Delete of the event destination `key`. */
function rollbackDeletes(calls: readonly StepRequest[], key: string): boolean {
  return calls.some(({ event }) => /ROLLBACK/.test(event.phase) && event.requestType === 'Delete' && destinationKey(event.physicalId) === key);
}
/** The resources of a version, by construct id, as `Kind.expected` looks them up. */
const lookupIn = (version: readonly Decl[]) => (id: string): { props: any } | undefined => {
  const d = version.find((x) => x.id === id);
  return d && { props: d.props };
};
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
  /** The stack is in ROLLBACK_FAILED or UPDATE_ROLLBACK_FAILED by a modelled limit: no further deploy is possible. */
  public stuck = false;
  /** The stack's template: its version and API (undefined: no stack). */
  private deployed?: TemplateApi;
  /** The deploy under way (beginDeploy): its version, its API, and the service before it. */
  private pending?: TemplateApi & { readonly before: World };
  private readonly account: AccountSettingsModel;
  /** The oracles of the kinds that have their own (kind.ts): the checks below leave their declarations and slices to them. */
  private readonly oracles = new Map<string, KindOracle>(KINDS.flatMap((k) => (k.oracle ? [[k.name, k.oracle()] as [string, KindOracle]] : [])));

  constructor(private readonly history: History, initial: World) {
    this.foreignWorld = initial;
    this.account = new AccountSettingsModel(initial, (limit) => this.limits.add(LIMITS[limit]));
  }

  /** What the kinds with an oracle of their own find after a deploy (with its step) or the deletion. */
  afterOperation(op: Omit<Operation, 'met'>): string[] {
    return [...this.oracles.values()].flatMap((o) => o.after({ ...op, met: (limit) => this.limits.add(limit) }));
  }

  /** The resources the stack manages, in a stable order (the foreign tagger picks one). */
  managedKeys(): string[] {
    return [...this.managed.keys()].filter((k) => kindNamed(split(k)[0]).keyedBy === 'name' && !kindNamed(split(k)[0]).untagged).sort();
  }

  /** Someone else tags a resource of the stack. */
  recordEdit(key: string): void {
    this.edits.set(key, { ...this.edits.get(key), ...FOREIGN_EDIT });
  }

  /** The next deploy is of `version` on `api`; `before` is the service before it. */
  beginDeploy(version: readonly Decl[], api: EmailApiVersion, before: World, handler: boolean): void {
    this.pending = { version, api, handler, before };
  }

  /** Whether declaring `version` may fail for a reason of the history itself (a name taken, a missing dashboard). */
  mayFail(version: readonly Decl[], world: World, step: Step): string | undefined {
    for (const d of version) {
      const kind = kindNamed(d.kind);
      if (kind.keyedBy !== 'name') continue;
      const key = keyOf(d);
      const holder = this.managed.get(key);
      if (holder && holder.id !== d.id) return `${key} is still held by ${holder.id}`;
      const refusal = holder && this.pending && sesV2Refusal(kind, d, lookupIn(version), this.pending.api,
        { how: 'updated', from: holder, fromLookup: lookupIn(this.deployed?.version ?? []) }, world[d.kind][kind.key(d.props)]?.options);
      if (refusal) return `${key}: ${refusal}`;
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
    if (version.some((d) => d.kind === TEST) && this.account.maySendingBePaused(version)) return 'a deliverability test while the account\'s sending is paused';
    // A test from an identity of the stack waits for its verification (the wait times out when DNS never answers).
    const fromIdentity = version.find((d) => d.kind === TEST && d.props.identity)?.props.identity;
    const identity = nameOf(fromIdentity, lookupIn(version));
    if (identity && !verifies(world, step, identity)) return `a deliverability test from the identity ${identity}, which is never verified`;
    for (const o of this.oracles.values()) {
      const reason = o.mayFail(version, world, step);
      if (reason) return reason;
    }
    return undefined;
  }

  /** Divergences after a deploy that succeeded; then the model moves to `version`. */
  afterSuccess(
    version: readonly Decl[], world: World, result: DriverResult, logicalIdOf: (id: string) => string | undefined, calls: readonly StepRequest[] = [],
  ): string[] {
    const problems: string[] = this.account.afterSuccess(version, world, calls);
    const lookup = lookupIn(version);
    for (const d of version) if (this.leftovers.has(keyOf(d))) this.takenBack(keyOf(d));
    const next = new Map<string, Decl>();
    for (const d of version) {
      if (this.oracles.has(d.kind)) continue;
      const kind = kindNamed(d.kind);
      if (kind.name === ACCOUNT) continue;
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
    this.keepPoolsOfRefusedIpDeletes(world, calls, (pool) => next.has(`DedicatedIpPool/${pool}`));
    problems.push(...this.checkGone(next, world));
    this.managed = next;
    if (this.pending) this.deployed = { version, api: this.pending.api, handler: this.pending.handler };
    this.pending = undefined;
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

  /**
   * Records the destinations that a create on an imported set left when its request ran the create again after it
   * had succeeded (Lambda's retry of a killed invocation): the retry meets the destination and fails, since the set
   * carries no marker of this stack, and the destination stays. Returns whether one failed the deploy.
   */
  createdTwiceOnImportedSet(calls: readonly StepRequest[], world: World): boolean {
    let failed = false;
    for (const { event, calls: made } of calls) {
      if (event.resourceType !== DESTINATION_TYPE || event.status !== 'FAILED' || /ROLLBACK|CLEANUP/.test(event.phase)) continue;
      const creates = made.filter((c) => c.operation === 'CreateConfigurationSetEventDestination' && IMPORTED_SETS.includes(c.input.ConfigurationSetName as string));
      const created = creates.findIndex((c) => c.status === 200);
      const key = created < 0 ? undefined : targetOf(creates[created].input)!;
      if (!creates.slice(created + 1).some((c) => c.errorName === 'AlreadyExistsException' && targetOf(c.input) === key)) continue;
      failed = true;
      this.limits.add(LIMITS.killedDestinationOnImportedSet);
      if (world[DESTINATION][key!]) this.leftovers.add(`${DESTINATION}/${key}`);
    }
    return failed;
  }

  /** Whether a destination of the last successful deploy other than the resource `logicalId` holds `key`. */
  private heldByAnotherDestination(key: string, logicalId: string): boolean {
    const holder = this.managed.get(`${DESTINATION}/${key}`);
    return holder !== undefined && !isLogicalIdOf(logicalId, holder.id);
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
      if (kind?.untagged) continue; // (no take-back without a marker)
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
      if (!kind || kind.keyedBy !== 'name' || kind.untagged || !event.physicalId || event.physicalId === event.oldPhysicalId) continue;
      const key = `${kind.name}/${event.physicalId}`;
      const old = expected[kind.name][event.physicalId];
      if (!old) continue;
      this.takenBack(key);
      expected[kind.name][event.physicalId] = { ...old, tags: { ...onlyAws(old.tags), ...kind.tags(this.managed.get(key)?.props ?? { tags: {} }) } };
    }
    // A leftover destination that a create of the failed deploy took as its own (its set is this stack's, its definition
    // the declared one, as the retry of a killed create meets it): the rollback deletes it, as it would its own; kept
    // (RETAIN), it holds exactly the declared definition, as the take made it (on Pinpoint Email, by an update). One
    // that another destination of the stack holds (moved to the taker in this deploy) is left by that Delete.
    for (const { event, calls: made } of calls) {
      if (event.resourceType !== DESTINATION_TYPE || event.status !== 'SUCCESS' || /ROLLBACK|CLEANUP/.test(event.phase)) continue;
      if (!made.some((c) => c.operation === 'CreateConfigurationSetEventDestination' && c.errorName === 'AlreadyExistsException')) continue;
      const key = destinationKey(event.physicalId);
      if (!key || !before[DESTINATION][key]) continue;
      if (rollbackDeletes(calls, key) && !this.heldByAnotherDestination(key, event.logicalId)) {
        this.limits.add(LIMITS.retakenDestinationRolledBack);
        delete expected[DESTINATION][key];
        this.leftovers.delete(`${DESTINATION}/${key}`);
        continue;
      }
      const taker = this.pending?.version.find((d) => d.kind === DESTINATION && isLogicalIdOf(event.logicalId, d.id));
      const declared = taker && { options: kindNamed(DESTINATION).expected(taker.props, lookupIn(this.pending!.version)), tags: {} };
      if (!declared || isDeepStrictEqual(declared, expected[DESTINATION][key])) continue;
      this.limits.add(LIMITS.retakenDestinationKept);
      expected[DESTINATION][key] = declared;
    }
    // The options only SES v2 has, as the rollback on the old template's API leaves them; a rollback that the API
    // refuses (a pool put back to STANDARD from MANAGED) fails, and the stack is stuck.
    const refused = this.sesV2Rollback(expected, before, calls);
    if (refused.length > 0) {
      this.limits.add(LIMITS.managedPoolRollback);
      const on = result.rollbackFailure?.logicalId;
      if (result.status === 'UPDATE_ROLLBACK_FAILED' && refused.some((r) => r.logicalId === on)) this.stuck = true;
      else problems.push(`the rollback must fail (${refused.map((r) => r.reason).join('; ')}): got ${result.status} ${on ?? ''}`);
      return problems; // (what a rollback that stopped half-way leaves is not modelled)
    }
    // The rollback must move a dedicated IP back into a pool that is MANAGED by now: the API refuses it, the stack is stuck.
    const failure = result.rollbackFailure;
    const failedIp = failure && calls.some((c) => c.event.logicalId === failure.logicalId && c.event.resourceType === ResourceTypes.DEDICATED_IP);
    if (result.status === 'UPDATE_ROLLBACK_FAILED' && failedIp && /is MANAGED/.test(failure.reason)) {
      this.limits.add(LIMITS.ipBackIntoManagedPool);
      this.stuck = true;
      return problems; // (what a rollback that stopped half-way leaves is not modelled)
    }
    // What a request whose response was lost created stays: CloudFormation never learned its physical id.
    if (lostResponse) {
      for (const [kind, resources] of Object.entries(world)) {
        for (const [key, got] of Object.entries(resources)) {
          // (a dashboard: enabled by it, or with the domains it subscribed)
          const made = kind === DASHBOARD ? !isDeepStrictEqual(got.options, before[kind][key].options)
            : !before[kind][key] && (got.owner || kindNamed(kind).untagged);
          if (kind === TEST || kind === ACCOUNT || this.oracles.has(kind) || !made) continue;
          this.limits.add(LIMITS.lostResponse);
          this.leftovers.add(`${kind}/${key}`);
        }
      }
    }
    if (!['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'].includes(result.status)) {
      if (lostResponse && this.poolHeldByLostSet(before, world, result)) {
        // The set that the lost Create left sends from a pool the rollback deletes: the API refuses, the rollback fails,
        // and CloudFormation allows nothing but the stack's deletion: the history ends here.
        this.limits.add(LIMITS.lostSetHoldsPool);
        this.stuck = true;
        for (const pool of Object.keys(world.DedicatedIpPool)) if (!before.DedicatedIpPool[pool]) this.leftovers.add(`DedicatedIpPool/${pool}`);
      } else {
        problems.push(`the rollback did not complete: ${result.status} (${result.rollbackFailure?.logicalId}: ${result.rollbackFailure?.reason})`);
      }
    }
    // What the rollback kept by policy (a RETAIN resource that the failed deploy created) is a leftover now.
    const retainedDecl = (r: { logicalId: string }) => this.history.steps.flatMap((s) => s.version).find((x) => r.logicalId.startsWith(x.id) && /^[0-9A-F]{8}$/.test(r.logicalId.slice(x.id.length)));
    for (const r of result.retained) {
      const d = retainedDecl(r);
      const kind = d && kindNamed(d.kind);
      const key = kind && (kind.keyedBy === 'singleton' ? DASHBOARD_KEY : kind.keyOfPhysicalId?.(r.physicalId) ?? r.physicalId);
      // (the dashboard is always there: kept only if enabled, its Create may have failed before it enabled it)
      const kept = key && world[d.kind]?.[key] && (d.kind !== DASHBOARD || world[d.kind][key].options.enabled);
      if (d && kept && d.kind !== TEST && d.kind !== ACCOUNT) this.leftovers.add(`${d.kind}/${key}`);
    }
    problems.push(...this.account.afterFailure(world, calls, lostResponse, result.retained.some((r) => retainedDecl(r)?.kind === ACCOUNT)));
    // A pool the failed deploy created that such a retained set still uses: the API refuses its delete, as in AWS.
    for (const pool of Object.keys(world.DedicatedIpPool)) {
      if (!before.DedicatedIpPool[pool] && this.keptByRetainedSet(pool, world)) this.leftovers.add(`DedicatedIpPool/${pool}`);
    }
    this.keepPoolsOfRefusedIpDeletes(world, calls, (pool) => Boolean(before.DedicatedIpPool[pool]));
    // No API deletes a report: one that a failed create made stays. Any other difference is a divergence.
    const ignored = (kind: string, key: string) => kind === ACCOUNT || this.oracles.has(kind) || (kind === TEST && !before[TEST][key]) || changedLeftovers.has(`${kind}/${key}`)
      || ((!before[kind][key] || kind === DASHBOARD) && this.leftovers.has(`${kind}/${key}`))
      || (kind === DASHBOARD && this.mayRemain.has(`${kind}/${key}`)); // killedWhileEnabling: a rollback too leaves it
    problems.push(...diffWorlds(expected, world, ignored).map((l) => `not rolled back: ${l}`));
    for (const c of calls) {
      if (/ROLLBACK/.test(c.phase) && c.calls.some((x) => x.operation === 'CreateDeliverabilityTestReport' && x.status === 200)) {
        problems.push('the rollback created a deliverability test report');
      }
    }
    if (result.operation === 'CREATE') this.deployed = undefined; // ROLLBACK_COMPLETE: the next deploy creates the stack
    this.pending = undefined;
    return problems;
  }

  /** Divergences of the API the calls went through, and of a switch alone (ses-v2.ts); before afterSuccess or afterFailure. */
  throughTheirApi(requests: readonly StepRequest[], result: DriverResult): string[] {
    const problems = callsThroughTheirApi(requests, this.pending, this.deployed);
    if (this.pending) problems.push(...switchAloneProblems(this.deployed, this.pending.version, this.pending.api, result, requests));
    return problems;
  }

  /**
   * Sets in `expected` the options only SES v2 has of each resource that the rollback sent an update, as the rollback
   * leaves them; returns the rollback updates that the API refuses.
   */
  private sesV2Rollback(expected: Record<string, Record<string, any>>, before: World, calls: readonly StepRequest[]): Refused[] {
    const refused: Refused[] = [];
    const { deployed, pending } = this;
    if (!deployed || !pending) return refused;
    const forward = calls.filter((c) => /_IN_PROGRESS$/.test(c.phase) && !/ROLLBACK|CLEANUP/.test(c.phase)).flatMap((c) => c.calls);
    for (const { event } of calls) {
      if (event.phase !== 'UPDATE_ROLLBACK_IN_PROGRESS' || event.requestType !== 'Update') continue;
      const kind = KINDS.find((k) => k.resourceType === event.resourceType);
      if (!kind?.sesV2 || kind.keyedBy !== 'name') continue;
      const declOf = (version: readonly Decl[]) => version.find((x) => x.kind === kind.name && isLogicalIdOf(event.logicalId, x.id));
      const previous = declOf(deployed.version);
      const attempted = declOf(pending.version);
      const name = previous && kind.key(previous.props);
      if (!previous || !attempted || !name || !before[kind.name][name] || !expected[kind.name][name]) continue;
      const { options, refused: refusal } = sesV2OptionsAfterRollback(kind, {
        api: deployed.api,
        previous,
        previousLookup: lookupIn(deployed.version),
        attempted,
        attemptedLookup: lookupIn(pending.version),
        renamedBack: event.oldPhysicalId !== name,
        forwardInPlace: kind.key(attempted.props) === name,
        appliedForward: (operation) => forward.some((c) => c.operation === operation && c.status === 200 && targetOf(c.input) === name),
        before: before[kind.name][name].options,
      });
      if (refusal) refused.push({ logicalId: event.logicalId, reason: `${kind.name} ${name}: ${refusal}` });
      const wanted = kind.expected(previous.props, lookupIn(deployed.version));
      if (Object.entries(options).some(([o, v]) => !isDeepStrictEqual(v, wanted[o]))) this.limits.add(LIMITS.sesV2OptionsKept);
      expected[kind.name][name] = { ...expected[kind.name][name], options: { ...expected[kind.name][name].options, ...options } };
    }
    return refused;
  }

  /** Divergences after the stack's deletion: only RETAIN resources (and reports, which no API deletes) remain. */
  afterDestroy(world: World, result: DriverResult, calls: readonly StepRequest[]): string[] {
    const inUse = result.failure?.reason.includes('is used by configuration set') && this.leftovers.size > 0;
    // An IP that cannot go back into a pool that became MANAGED fails its Delete, and the stack's deletion with it.
    const ipRefused = result.status === 'DELETE_FAILED' && this.keepPoolsOfRefusedIpDeletes(world, calls, () => false);
    const problems = result.status === 'DELETE_COMPLETE' || inUse || ipRefused ? [] : [`the delete failed: ${result.status} ${result.failure?.reason ?? ''}`];
    for (const [key, d] of this.managed) if (d.retain && d.kind !== TEST) this.leftovers.add(key);
    this.managed = new Map();
    problems.push(...this.account.afterDestroy(world));
    problems.push(...this.checkGone(new Map(), world));
    return problems;
  }

  /** Checks that hold after every step: foreign resources untouched, no call carries an `aws:` key or writes to a foreign resource. */
  always(world: World, calls: readonly RecordedCall[]): string[] {
    const problems: string[] = [];
    const foreign = this.foreignResources();
    for (const f of foreign) {
      const seeded = this.foreignWorld[f.kind][f.name];
      if (!isDeepStrictEqual(world[f.kind][f.name], seeded)) {
        problems.push(`foreign ${f.kind} ${f.name} changed: expected ${show(seeded)}, got ${show(world[f.kind][f.name])}`);
      }
    }
    const foreignNames = new Set(foreign.map((f) => f.name));
    for (const call of calls) {
      const keys = [...((call.input.Tags as Array<{ Key?: string }> | undefined) ?? []).map((t) => t.Key ?? ''), ...((call.input.TagKeys as string[] | undefined) ?? [])];
      if (keys.some((k) => k.toLowerCase().startsWith('aws:'))) problems.push(`${call.operation} carried an aws: key: ${JSON.stringify(call.input)}`);
      if (call.status === 200 && !/^(Get|List)/.test(call.operation)) {
        const target = targetOf(call.input);
        // (a destination's target is `<set>/<name>`: a write to it writes to its set too, but for the sets the stack imports)
        const set = target?.split('/')[0];
        const written = target === undefined ? [] : [target, ...IMPORTED_SETS.includes(set!) ? [] : [set!]];
        if (written.some((t) => foreignNames.has(t) && !this.isManagedName(t))) problems.push(`${call.operation} wrote to the foreign resource ${target}`);
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

  /** The rollback failed on deleting a pool that a set left by a lost Create (new in this deploy) sends from. */
  private poolHeldByLostSet(before: World, world: World, result: DriverResult): boolean {
    if (!result.rollbackFailure?.reason.includes('is used by configuration set')) return false;
    return Object.entries(world.ConfigurationSet).some(([name, set]) =>
      !before.ConfigurationSet[name] && set.options.pool && this.leftovers.has(`ConfigurationSet/${name}`));
  }

  /** The foreign resources, with what they live in (a foreign destination's set), and what the kinds seed of someone else's. */
  private foreignResources(): Array<{ kind: string; name: string }> {
    return [...this.history.foreign, ...KINDS.flatMap((k) => k.seededForeign ?? [])].flatMap((f) => {
      const parent = kindNamed(f.kind).parentOf?.(f.name);
      return [{ kind: f.kind, name: f.name }, ...parent ? [{ kind: parent.kind, name: parent.key }] : []];
    });
  }

  /**
   * A pool of the stack that a cleanup or the stack's deletion never deleted, because the Delete of an IP in it failed
   * (the IP could not go back into a pool that is MANAGED now): CloudFormation does not delete what a failed Delete
   * depends on. It stays, a leftover. Returns whether such a Delete failed.
   */
  private keepPoolsOfRefusedIpDeletes(world: World, calls: readonly StepRequest[], skip: (pool: string) => boolean): boolean {
    const refused = calls.some((c) => /CLEANUP|DELETE_IN_PROGRESS/.test(c.phase) && c.event.resourceType === ResourceTypes.DEDICATED_IP
      && c.event.status === 'FAILED' && /is MANAGED/.test(c.event.reason ?? ''));
    if (!refused) return false;
    this.limits.add(LIMITS.ipBackIntoManagedPool);
    for (const [pool, got] of Object.entries(world.DedicatedIpPool)) {
      const deleted = calls.some((c) => c.event.requestType === 'Delete' && c.event.resourceType === ResourceTypes.DEDICATED_IP_POOL && c.event.physicalId === pool);
      if (skip(pool) || deleted || !got.owner) continue;
      this.leftovers.add(`DedicatedIpPool/${pool}`);
    }
    return true;
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
    const expected = { ...kind.expected(d.props, lookup), ...this.sesV2Options(kind, d, key, lookup) };
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
    if (!got.owner && !kind.untagged) problems.push(`${label} has no ownership tag`);
    return problems;
  }

  /** The options only SES v2 has that a declared resource holds after this deploy: some may stay from before (ses-v2.ts). */
  private sesV2Options(kind: Kind, d: Decl, key: string, lookup: Lookup): Record<string, unknown> {
    if (!kind.sesV2 || !this.pending || kind.keyedBy !== 'name') return {};
    const holder = this.managed.get(`${kind.name}/${key}`);
    const reached: Reached = holder?.id === d.id ? { how: 'updated', from: holder, fromLookup: lookupIn(this.deployed?.version ?? []) }
      : this.leftovers.has(`${kind.name}/${key}`) ? { how: 'takenBack' } : { how: 'created' };
    const options = sesV2OptionsAfterDeploy(kind, d, lookup, this.pending.api, reached, this.pending.before[kind.name][key]?.options);
    const wanted = kind.expected(d.props, lookup);
    if (Object.entries(options).some(([o, v]) => !isDeepStrictEqual(v, wanted[o]))) this.limits.add(LIMITS.sesV2OptionsKept);
    return options;
  }

  private checkGone(next: Map<string, Decl>, world: World): string[] {
    const problems: string[] = [];
    for (const kind of Object.keys(world)) {
      if (kind === TEST || kind === ACCOUNT || this.oracles.has(kind)) continue;
      for (const [key, got] of Object.entries(world[kind])) {
        const k = `${kind}/${key}`;
        const foreign = this.foreignResources().some((f) => f.kind === kind && f.name === key);
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
        // Whether it carries the ownership tag or not (a Delete that released it took the tag away): what was there
        // before the history is not the stack's, but for kinds without tags.
        if (!this.foreignWorld[kind][key] || kindNamed(kind).untagged) problems.push(`${kind} ${key} left the stack but remains: ${show(got)}`);
      }
    }
    for (const k of this.leftovers) {
      const [kind, key] = split(k);
      const got = world[kind][key];
      // A destination goes with its set: a RETAIN one whose set was deleted is gone with it (the set is checked itself).
      const parent = kindNamed(kind).parentOf?.(key);
      if (!got && parent && !world[parent.kind][parent.key]) {
        this.leftovers.delete(k);
        continue;
      }
      if (!got || (kind === DASHBOARD && !got.options.enabled)) problems.push(`RETAIN ${kind} ${key} was deleted`);
    }
    // Edits of what no longer exists are gone with it.
    for (const k of [...this.edits.keys()]) if (!world[split(k)[0]][split(k)[1]]) this.edits.delete(k);
    return problems;
  }
}

/** The domain someone else subscribed to a dashboard enabled before the history. */
export const FOREIGN_DOMAIN = 'theirs.example.net';

/** A rollback update that the API refuses. */
interface Refused {
  readonly logicalId: string;
  readonly reason: string;
}

/** Whether `logicalId` is that of the custom resource of construct `id` (its path plus an 8-character hash). */
function isLogicalIdOf(logicalId: string, id: string): boolean {
  return logicalId.startsWith(id) && /^[0-9A-F]{8}$/.test(logicalId.slice(id.length));
}

function targetOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.EventDestinationName === 'string') return `${input.ConfigurationSetName}/${input.EventDestinationName}`;
  // (an identity's call may also name its default configuration set)
  for (const member of ['EmailIdentity', 'PoolName', 'ConfigurationSetName']) if (typeof input[member] === 'string') return input[member] as string;
  const arn = input.ResourceArn;
  return typeof arn === 'string' ? arn.slice(arn.indexOf('/') + 1) : undefined;
}
