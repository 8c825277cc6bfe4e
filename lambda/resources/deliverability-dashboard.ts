import {
  DomainDeliverabilityTrackingOption,
  GetDeliverabilityDashboardOptionsCommand,
  GetDeliverabilityDashboardOptionsCommandOutput,
  PutDeliverabilityDashboardOptionCommand,
} from '@aws-sdk/client-pinpoint-email';
import { checkSchemaVersion, RawProperties, stringList } from '../decode';
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
  if (live.DashboardEnabled !== true) {
    await put(ctx, wanted.map((domain) => ({ Domain: domain })));
    return { physicalResourceId: DASHBOARD_ENABLED_HERE, data: {} };
  }
  const domains = mergeDomains(live, previous, wanted);
  if (domains) await put(ctx, domains);
  return { physicalResourceId: physicalId ?? DASHBOARD_FOUND_ENABLED, data: {} };
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
