import type { DomainDeliverabilityTrackingOption, InboxPlacementTrackingOption } from '@aws-sdk/client-sesv2';
import { asObject, checkSchemaVersion, InvalidProperties, isLenient, optionalBoolean, RawProperties } from '../decode';
import { OutputOf } from '../email-api';
import { log } from '../log';
import { HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailDeliverabilityDashboard` properties. */
export interface DeliverabilityDashboard {
  /** Domains whose subscription this resource manages. */
  readonly subscribedDomains: string[];
  /** The inbox placement tracking option that this resource sets, by domain (some of `subscribedDomains`). */
  readonly tracking: ReadonlyMap<string, InboxPlacementTrackingOption>;
}

/**
 * The physical ids say what Create found, because Delete must restore it: a dashboard that this resource enabled is
 * disabled again; one that was already enabled is left enabled.
 */
export const DASHBOARD_ENABLED_HERE = 'pinpoint-email-deliverability-dashboard:enabled-here';
export const DASHBOARD_FOUND_ENABLED = 'pinpoint-email-deliverability-dashboard:found-enabled';

export const deliverabilityDashboardHandler: ResourceHandler<DeliverabilityDashboard> = {
  label: 'Deliverability dashboard',

  decode(raw: RawProperties): DeliverabilityDashboard {
    checkSchemaVersion(raw);
    return { subscribedDomains: stringList(raw, 'SubscribedDomains'), tracking: trackingOf(raw) };
  },

  describe: () => 'Deliverability dashboard',

  create: (ctx, props) => reconcile(ctx, undefined, { subscribedDomains: [], tracking: new Map() }, props),

  // Properties that differ only in spelling (an ISP order, a default written out) change nothing: no call.
  update: async (ctx, physicalId, props, oldProps) => sameDeclaration(oldProps, props)
    ? { physicalResourceId: physicalId, data: {} }
    : reconcile(ctx, physicalId, oldProps, props),

  owns: (physicalId) => physicalId === DASHBOARD_ENABLED_HERE || physicalId === DASHBOARD_FOUND_ENABLED,

  async delete(ctx, physicalId, props) {
    if (physicalId !== DASHBOARD_ENABLED_HERE) {
      log('deliverability dashboard left enabled: it was enabled before this stack', { physicalId });
      await unsubscribe(ctx, props);
      return;
    }
    await ctx.api.call('PutDeliverabilityDashboardOption', { DashboardEnabled: false });
  },
};

/** A dashboard found enabled, still enabled: without the domains this resource subscribed (the others' stay). */
async function unsubscribe(ctx: HandlerContext, props: DeliverabilityDashboard): Promise<void> {
  if (props.subscribedDomains.length === 0) return;
  const live = await ctx.api.call('GetDeliverabilityDashboardOptions', {});
  if (!staysEnabled(live)) return;
  const domains = mergeDomains(live, props, { subscribedDomains: [], tracking: new Map() });
  if (domains) await put(ctx, domains);
}

/**
 * Makes the dashboard enabled with `wanted` among its subscribed domains, with one read and at most one write.
 * A dashboard found enabled keeps the domains that someone else subscribed: only `previous` domains that are no longer
 * wanted are removed. A disabled one is enabled with `wanted`, and from then on belongs to this resource. Each wanted
 * domain's inbox placement tracking is the declared one; a domain without one keeps its live option, unless `previous`
 * declared one (then it is cleared).
 */
async function reconcile(
  ctx: HandlerContext, physicalId: string | undefined, previous: DeliverabilityDashboard, wanted: DeliverabilityDashboard,
): Promise<Outcome> {
  const live = await ctx.api.call('GetDeliverabilityDashboardOptions', {});
  if (!staysEnabled(live)) {
    await put(ctx, wanted.subscribedDomains.map((domain) => withTracking(domain, wanted.tracking.get(domain))));
    return { physicalResourceId: DASHBOARD_ENABLED_HERE, data: {} };
  }
  const domains = mergeDomains(live, previous, wanted);
  if (domains) await put(ctx, domains);
  return { physicalResourceId: physicalId ?? DASHBOARD_FOUND_ENABLED, data: {} };
}

/**
 * Whether the dashboard is enabled and stays so: `DashboardEnabled` with `AccountStatus` `ACTIVE` (or no status, as an
 * older answer may have). `PENDING_EXPIRATION` is a subscription someone disabled, which ends with the month even if it
 * still reads as enabled, and `DISABLED` is off: both are enabled again, and then belong to this resource.
 */
export function staysEnabled(live: OutputOf<'GetDeliverabilityDashboardOptions'>): boolean {
  return live.DashboardEnabled === true && (live.AccountStatus === undefined || live.AccountStatus === 'ACTIVE');
}

/** The live subscriptions without the dropped domains, plus the new ones, with their tracking; undefined when nothing changes. */
function mergeDomains(
  live: OutputOf<'GetDeliverabilityDashboardOptions'>, previous: DeliverabilityDashboard, wanted: DeliverabilityDashboard,
): DomainDeliverabilityTrackingOption[] | undefined {
  const active = live.ActiveSubscribedDomains ?? [];
  const dropped = new Set(previous.subscribedDomains.filter((domain) => !wanted.subscribedDomains.includes(domain)));
  const kept = active.filter((option) => !dropped.has(option.Domain ?? ''));
  const liveNames = new Set(active.map((option) => option.Domain));
  const added = wanted.subscribedDomains.filter((domain) => !liveNames.has(domain));
  // The option each kept domain should have: the declared one; cleared if only the previous properties declared one.
  const option = (domain: string, current: InboxPlacementTrackingOption | undefined) => {
    if (!wanted.subscribedDomains.includes(domain)) return current;
    return wanted.tracking.get(domain) ?? (previous.tracking.has(domain) ? undefined : current);
  };
  const retracked = kept.some((o) => !sameTracking(option(o.Domain ?? '', o.InboxPlacementTrackingOption), o.InboxPlacementTrackingOption));
  if (kept.length === active.length && added.length === 0 && !retracked) return undefined;
  // The read-only start date is not sent back (docs/decisions.md, "SubscriptionStartDate").
  return [
    ...kept.map((o) => withTracking(o.Domain!, option(o.Domain ?? '', o.InboxPlacementTrackingOption))),
    ...added.map((domain) => withTracking(domain, wanted.tracking.get(domain))),
  ];
}

function sameDeclaration(a: DeliverabilityDashboard, b: DeliverabilityDashboard): boolean {
  const domains = (d: DeliverabilityDashboard) => [...d.subscribedDomains].sort().join('\n');
  return domains(a) === domains(b) && a.tracking.size === b.tracking.size
    && [...a.tracking].every(([domain, option]) => b.tracking.has(domain) && sameTracking(option, b.tracking.get(domain)));
}

function withTracking(domain: string, option: InboxPlacementTrackingOption | undefined): DomainDeliverabilityTrackingOption {
  return option ? { Domain: domain, InboxPlacementTrackingOption: option } : { Domain: domain };
}

/** Equal with the API's defaults filled in (Global false, no ISPs), ISPs in any order. */
function sameTracking(a: InboxPlacementTrackingOption | undefined, b: InboxPlacementTrackingOption | undefined): boolean {
  const isps = (o: InboxPlacementTrackingOption | undefined) => [...(o?.TrackedIsps ?? [])].sort().join('\n');
  return (a?.Global ?? false) === (b?.Global ?? false) && isps(a) === isps(b);
}

async function put(ctx: HandlerContext, domains: DomainDeliverabilityTrackingOption[]): Promise<void> {
  await ctx.api.call('PutDeliverabilityDashboardOption', {
    DashboardEnabled: true,
    SubscribedDomains: domains.length > 0 ? domains : undefined,
  });
}

function stringList(props: RawProperties, name: string): string[] {
  const value = props[name];
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    if (isLenient()) return []; // unknown previous domains: none is dropped
    throw new InvalidProperties(`property ${name} must be a list of strings`);
  }
  return value as string[];
}

function trackingOf(props: RawProperties): Map<string, InboxPlacementTrackingOption> {
  const value = props.InboxPlacementTracking;
  const tracking = new Map<string, InboxPlacementTrackingOption>();
  if (value === undefined || value === null || value === '') return tracking;
  if (!Array.isArray(value)) {
    if (isLenient()) return tracking; // unknown previous tracking: counts as changed
    throw new InvalidProperties('property InboxPlacementTracking must be a list');
  }
  for (const item of value) {
    const entry = asObject(item, 'each InboxPlacementTracking entry');
    if (typeof entry.Domain !== 'string') throw new InvalidProperties('each InboxPlacementTracking entry needs a Domain');
    const isps = stringList(entry, 'TrackedIsps');
    tracking.set(entry.Domain, { Global: optionalBoolean(entry, 'Global') ?? false, ...(isps.length > 0 ? { TrackedIsps: isps } : {}) });
  }
  return tracking;
}
