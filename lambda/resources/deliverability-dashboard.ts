import {
  DomainDeliverabilityTrackingOption,
  GetDeliverabilityDashboardOptionsCommand,
  GetDeliverabilityDashboardOptionsCommandOutput,
  PutDeliverabilityDashboardOptionCommand,
} from '@aws-sdk/client-pinpoint-email';
import { checkSchemaVersion, InvalidProperties, isLenient, RawProperties } from '../decode';
import { log } from '../log';
import { HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailDeliverabilityDashboard` properties. */
export interface DeliverabilityDashboard {
  /** Domains whose subscription this resource manages. */
  readonly subscribedDomains: string[];
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
    return { subscribedDomains: stringList(raw, 'SubscribedDomains') };
  },

  describe: () => 'Deliverability dashboard',

  create: (ctx, props) => reconcile(ctx, undefined, [], props.subscribedDomains),

  update: (ctx, physicalId, props, oldProps) => reconcile(ctx, physicalId, oldProps.subscribedDomains, props.subscribedDomains),

  owns: (physicalId) => physicalId === DASHBOARD_ENABLED_HERE || physicalId === DASHBOARD_FOUND_ENABLED,

  async delete(ctx, physicalId) {
    if (physicalId !== DASHBOARD_ENABLED_HERE) {
      log('deliverability dashboard left enabled: it was enabled before this stack', { physicalId });
      return;
    }
    await ctx.client.send(new PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: false }));
  },
};

/**
 * Makes the dashboard enabled with `wanted` among its subscribed domains, with one read and at most one write.
 * A dashboard found enabled keeps the domains that someone else subscribed: only `previous` domains that are no longer
 * wanted are removed. A disabled one is enabled with `wanted`, and from then on belongs to this resource.
 */
async function reconcile(ctx: HandlerContext, physicalId: string | undefined, previous: string[], wanted: string[]): Promise<Outcome> {
  const live = await ctx.client.send(new GetDeliverabilityDashboardOptionsCommand({}));
  if (!staysEnabled(live)) {
    await put(ctx, wanted.map((domain) => ({ Domain: domain })));
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
export function staysEnabled(live: GetDeliverabilityDashboardOptionsCommandOutput): boolean {
  return live.DashboardEnabled === true && (live.AccountStatus === undefined || live.AccountStatus === 'ACTIVE');
}

/** The live subscriptions without the dropped domains, plus the new ones; undefined when nothing changes. */
function mergeDomains(
  live: GetDeliverabilityDashboardOptionsCommandOutput, previous: string[], wanted: string[],
): DomainDeliverabilityTrackingOption[] | undefined {
  const active = live.ActiveSubscribedDomains ?? [];
  const dropped = new Set(previous.filter((domain) => !wanted.includes(domain)));
  const kept = active.filter((option) => !dropped.has(option.Domain ?? ''));
  const liveNames = new Set(active.map((option) => option.Domain));
  const added = wanted.filter((domain) => !liveNames.has(domain));
  if (kept.length === active.length && added.length === 0) return undefined;
  // The read-only start date is not sent back; the inbox placement settings are kept as they are.
  return [
    ...kept.map((option) => ({ Domain: option.Domain, InboxPlacementTrackingOption: option.InboxPlacementTrackingOption })),
    ...added.map((domain) => ({ Domain: domain })),
  ];
}

async function put(ctx: HandlerContext, domains: DomainDeliverabilityTrackingOption[]): Promise<void> {
  await ctx.client.send(new PutDeliverabilityDashboardOptionCommand({
    DashboardEnabled: true,
    SubscribedDomains: domains.length > 0 ? domains : undefined,
  }));
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
