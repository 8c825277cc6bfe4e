/**
 * The two APIs in the model (docs/decisions.md, "Two APIs, one handler" and "Options of the SES API v2"): which API
 * each version of a history is on, what a switch may do (nothing by itself), which API each call must go through, and
 * what a deploy or a rollback does to the options that only SES v2 has.
 *
 * Back on Pinpoint Email, the handler counts the SES v2 options of the previous properties as unset: it makes no call
 * for them, and they stay on the resource ("Back on Pinpoint Email"). The model follows that rule exactly, Put by
 * Put: an option stays until a Put of its group runs. A Put that Pinpoint Email has too (the delivery options, the
 * tracking options) cannot carry the SES v2 member, so when it runs there (another option of its group changed, or a
 * take-back) the local service resets that member; a Put that only SES v2 has never runs there.
 */
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import type { Decl, Step } from './history';
import { Kind, kindNamed } from './kinds';
import type { Lookup } from './kinds/kind';
import type { SesV2Group } from './kinds/ses-v2-options';
import { EmailApiVersion } from '../../src';
import type { DriverResult } from '../support/lifecycle-driver';
import type { RecordedCall } from '../support/local-service';

export const PINPOINT_EMAIL = EmailApiVersion.PINPOINT_EMAIL;
export const SES_V2 = EmailApiVersion.SES_V2;

/** The API of a step: the context key of its version (unset: Pinpoint Email, the library's default). */
export const apiOf = (step: { readonly api?: EmailApiVersion }): EmailApiVersion => step.api ?? PINPOINT_EMAIL;
/** The API a call goes through, as the local service records it (`RecordedCall.api`). */
export const wireOf = (api: EmailApiVersion): 'v1' | 'v2' => (api === SES_V2 ? 'v2' : 'v1');

// ---- the generator ----

/**
 * How a history uses the APIs: every version on Pinpoint Email, every one on SES v2, or each on either. In a switching
 * history, a version may repeat the one before on the other API: a switch alone, or, from SES v2 with options set,
 * "remove them and switch back in one deploy".
 */
export interface ApiPlan {
  readonly mode: 'pinpoint-email' | 'sesv2' | 'switching';
  readonly versions: ReadonlyArray<{ readonly sesV2: boolean; readonly again: boolean }>;
}

export const apiPlanArb: fc.Arbitrary<ApiPlan> = fc.record({
  mode: fc.oneof(
    { arbitrary: fc.constant('switching' as const), weight: 2 },
    fc.constant('pinpoint-email' as const),
    fc.constant('sesv2' as const),
  ),
  versions: fc.array(fc.record({
    sesV2: fc.boolean(),
    again: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)),
  }), { minLength: 10, maxLength: 10 }),
});

/** The steps with their APIs: a version on Pinpoint Email loses the SES v2 options it drew (synth would refuse them). */
export function withApis(steps: readonly Step[], plan: ApiPlan): Step[] {
  const out: Step[] = [];
  steps.forEach((step, i) => {
    const p = plan.versions[i % plan.versions.length];
    const previous = out[i - 1];
    let api = plan.mode === 'switching' ? (p.sesV2 ? SES_V2 : PINPOINT_EMAIL) : plan.mode === 'sesv2' ? SES_V2 : PINPOINT_EMAIL;
    let version = step.version;
    if (p.again && previous && plan.mode === 'switching') {
      version = previous.version;
      api = apiOf(previous) === SES_V2 ? PINPOINT_EMAIL : SES_V2;
    }
    out.push({ ...step, version: api === SES_V2 ? version : onPinpointEmail(version), api });
  });
  return out;
}

/** The version without the props that only SES v2 has (or with them made into Pinpoint Email's: `SesV2Options.onPinpointEmail`). */
export function onPinpointEmail(version: readonly Decl[]): Decl[] {
  return version.map((d) => {
    const kind = kindNamed(d.kind);
    return kind.sesV2 ? { ...d, props: withoutSesV2(kind, d.props) } : d;
  });
}

function withoutSesV2(kind: Kind, props: any): any {
  const copy = { ...props };
  for (const prop of kind.sesV2?.props ?? []) delete copy[prop];
  return kind.sesV2?.onPinpointEmail ? kind.sesV2.onPinpointEmail(copy) : copy;
}

// ---- the API of each call, and the switch alone ----

/** One request of a deploy and the calls it made (model.ts's StepRequest). */
interface Request {
  readonly phase: string;
  readonly event: { readonly logicalId: string };
  readonly calls: readonly RecordedCall[];
}

/** A template's API, and whether it has the handler function (a version with no resources has none). */
export interface TemplateApi {
  readonly api: EmailApiVersion;
  readonly version: readonly Decl[];
  /** The template has the handler function (a version whose declarations all build nothing has none). */
  readonly handler: boolean;
}

/**
 * Every call of a deploy goes through the API of the template being deployed, but for its rollback (and the rollback's
 * cleanup), which runs the old template's function: the old one's API. A deletion runs the deployed template's. A
 * cleanup's Deletes run on the function that exists then: the old template's when the new one has none left (it is
 * deleted after them), the new one's when the old one had none (the update created it).
 */
export function callsThroughTheirApi(requests: readonly Request[], deploying: TemplateApi | undefined, deployed: TemplateApi | undefined): string[] {
  const problems: string[] = [];
  const hasHandler = (t: TemplateApi | undefined) => t?.handler === true;
  for (const r of requests) {
    const template = /^DELETE/.test(r.phase) ? deployed
      : /^UPDATE_ROLLBACK/.test(r.phase) ? (hasHandler(deployed) ? deployed : deploying)
        : /^UPDATE_COMPLETE_CLEANUP/.test(r.phase) && !hasHandler(deploying) ? deployed : deploying;
    const api = template?.api;
    if (api === undefined) continue;
    const wrong = r.calls.filter((c) => c.api !== wireOf(api));
    if (wrong.length > 0) {
      problems.push(`${r.phase} ${r.event.logicalId}: calls not through ${api} (${wireOf(api)}): ${wrong.map((c) => `${c.operation} (${c.api})`).join(', ')}`);
    }
  }
  return problems;
}

/** A switch alone (the deployed version again, on the other API) sends the custom resources nothing, so makes no call. */
export function switchAloneProblems(
  deployed: { readonly version: readonly Decl[]; readonly api: EmailApiVersion } | undefined,
  version: readonly Decl[], api: EmailApiVersion, result: DriverResult, requests: readonly Request[],
): string[] {
  if (!deployed || deployed.api === api || !isDeepStrictEqual(deployed.version, version)) return [];
  const calls = requests.flatMap((r) => r.calls);
  if (result.ok && result.events.length === 0 && calls.length === 0) return [];
  return [`the switch from ${deployed.api} to ${api} alone: ${result.status}, ${result.events.length} custom resource events ` +
    `(${result.events.map((e) => `${e.requestType} ${e.logicalId}`).join(', ')}), ${calls.length} calls`];
}

// ---- the SES-v2-only options after a deploy or a rollback ----

type Options = Readonly<Record<string, unknown>>;

/** How a successful deploy reached a declared resource. */
export type Reached =
  | { readonly how: 'created' }
  /** In place, from the previous declaration (same construct, same name). */
  | { readonly how: 'updated'; readonly from: Decl; readonly fromLookup: Lookup }
  /** A resource of this construct from before, taken back by a rename: every Put of the API runs. */
  | { readonly how: 'takenBack' };

/** Whether the handler, on `api`, runs `group`'s Put for a declaration reached so. */
function putOnDeploy(kind: Kind, group: SesV2Group, d: Decl, lookup: Lookup, api: EmailApiVersion, reached: Reached): boolean {
  if (reached.how === 'created') return true;
  if (api !== SES_V2 && !group.onPinpointEmail) return false;
  if (reached.how === 'takenBack') return true;
  return group.changed(api === SES_V2 ? reached.from.props : withoutSesV2(kind, reached.from.props), d.props, reached.fromLookup, lookup);
}

/** The SES-v2-only options that a resource declared as `d` holds after a successful deploy on `api` (`live`: before it). */
export function sesV2OptionsAfterDeploy(
  kind: Kind, d: Decl, lookup: Lookup, api: EmailApiVersion, reached: Reached, live: Options | undefined,
): Options {
  const wanted = kind.expected(d.props, lookup);
  const options: Record<string, unknown> = {};
  for (const group of kind.sesV2?.groups ?? []) {
    const put = !live || putOnDeploy(kind, group, d, lookup, api, reached);
    for (const o of group.options) options[o] = put ? wanted[o] : live[o];
  }
  return options;
}

/** Why the API refuses the deploy of `d` (a MANAGED pool made STANDARD), if it does. */
export function sesV2Refusal(
  kind: Kind, d: Decl, lookup: Lookup, api: EmailApiVersion, reached: Reached, live: Options | undefined,
): string | undefined {
  if (!live) return undefined;
  const wanted = kind.expected(d.props, lookup);
  for (const group of kind.sesV2?.groups ?? []) {
    if (!group.refuses || !putOnDeploy(kind, group, d, lookup, api, reached)) continue;
    for (const o of group.options) {
      if (group.refuses(live[o], wanted[o])) return `${group.operation}: the API refuses ${o} ${show(live[o])} -> ${show(wanted[o])}`;
    }
  }
  return undefined;
}

export interface RolledBack {
  /** The rollback's API: the old template's. */
  readonly api: EmailApiVersion;
  readonly previous: Decl;
  readonly previousLookup: Lookup;
  readonly attempted: Decl;
  readonly attemptedLookup: Lookup;
  /** The rollback of a rename: the old resource is taken back. */
  readonly renamedBack: boolean;
  /** The failed deploy updated this resource in place (not a replacement). */
  readonly forwardInPlace: boolean;
  /** Whether the deploy's forward phase made this Put on the resource (a fault may have stopped it before). */
  readonly appliedForward: (operation: string) => boolean;
  /** The resource's options before the deploy. */
  readonly before: Options;
}

/**
 * The SES-v2-only options of a resource that the rollback sent an update, and the Put the API refuses there, if any
 * (the rollback then fails: a pool that the deploy made MANAGED, or that was MANAGED, cannot be put back to STANDARD).
 */
export function sesV2OptionsAfterRollback(kind: Kind, r: RolledBack): { options: Options; refused?: string } {
  const wantedBack = kind.expected(r.previous.props, r.previousLookup);
  const wantedForward = kind.expected(r.attempted.props, r.attemptedLookup);
  const options: Record<string, unknown> = {};
  let refused: string | undefined;
  for (const group of kind.sesV2?.groups ?? []) {
    const onApi = r.api === SES_V2 || group.onPinpointEmail;
    let put: boolean;
    let applied = false;
    if (r.renamedBack) {
      put = onApi; // a take-back: every Put of the API
    } else if (!r.forwardInPlace && kind.sesV2?.failedReplacementRollbackReadsLive) {
      put = false;
    } else {
      applied = r.appliedForward(group.operation);
      const from = r.api === SES_V2 ? r.attempted.props : withoutSesV2(kind, r.attempted.props);
      put = onApi && group.changed(from, r.previous.props, r.attemptedLookup, r.previousLookup);
    }
    for (const o of group.options) {
      const mid = applied ? wantedForward[o] : r.before[o];
      if (put && group.refuses?.(mid, wantedBack[o])) refused = `${group.operation}: the API refuses ${o} ${show(mid)} -> ${show(wantedBack[o])}`;
      options[o] = put ? wantedBack[o] : mid;
    }
  }
  return { options, refused };
}

const show = (value: unknown): string => JSON.stringify(value);
