import { RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { DeliverabilityDashboardProperties, InboxPlacementTrackingProperty, ResourceTypes } from './private/contract';
import { isDomainName } from './private/domain-name';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks } from './private/validation';

/** Properties of a `DeliverabilityDashboard`. */
export interface DeliverabilityDashboardProps {
  /**
   * Verified domains that you send from, whose reputation and deliverability metrics the dashboard tracks.
   * Domains that someone else subscribed to a dashboard that was already enabled are kept.
   * @default - no domains
   */
  readonly subscribedDomains?: string[];

  /**
   * The inbox placement tracking option of subscribed domains, by domain (each a domain of `subscribedDomains`). It is
   * applied in place. A domain left out keeps the option it has, unless this prop set one before: that is cleared.
   * @default - no domain's option is changed
   */
  readonly inboxPlacementTracking?: { [domain: string]: InboxPlacementTracking };

  /**
   * What happens when the dashboard is removed from the stack. With `DESTROY`, a dashboard that this construct enabled
   * is disabled again (a dashboard that was already enabled is always left enabled, without the domains that this
   * construct subscribed); with `RETAIN` it stays enabled, and so does its monthly charge.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The inbox placement tracking option of one subscribed domain (`InboxPlacementTrackingOption` in the API). */
export interface InboxPlacementTracking {
  /**
   * Whether inbox placement data is tracked for the domain.
   * @default false
   */
  readonly global?: boolean;

  /**
   * The major email providers that the inbox placement data applies to, by the names the dashboard uses (for example
   * `Gmail`, `Hotmail`, `Yahoo`, `AOL`).
   * @default - none
   */
  readonly trackedIsps?: string[];
}

/** Marks the dashboard so that `DeliverabilityTest`s in the same stack can find it and wait for it (same symbol there). */
const DASHBOARD_MARKER = Symbol.for('cdk-pinpoint-email.DeliverabilityDashboard');
/** The marker that `DeliverabilityTest` sets on itself (see src/deliverability-test.ts). */
const TEST_MARKER = Symbol.for('cdk-pinpoint-email.DeliverabilityTest');


/**
 * Enables the account's Deliverability dashboard, which predictive inbox placement tests (`DeliverabilityTest`) need,
 * and subscribes domains to it. It is an opt-in, paid subscription; the API documentation says: "When you use the
 * Deliverability dashboard, you pay a monthly subscription charge, in addition to any other fees that you accrue by
 * using Amazon Pinpoint" (see https://aws.amazon.com/pinpoint/pricing/).
 *
 * The dashboard is a setting of the account and region, so declare at most one per account and region. On removal it
 * restores what it found: it disables the dashboard only if it was the one that enabled it, and never disables a
 * dashboard that was already enabled. `DeliverabilityTest`s in the same stack are created after it.
 *
 * @resource Custom::PinpointEmailDeliverabilityDashboard
 */
export class DeliverabilityDashboard extends Resource {
  constructor(scope: Construct, id: string, props: DeliverabilityDashboardProps = {}) {
    super(scope, id);
    const others = inThisStack(this, DASHBOARD_MARKER);
    Object.defineProperty(this, DASHBOARD_MARKER, { value: true });
    const domains = props.subscribedDomains ?? [];
    const tracking = props.inboxPlacementTracking ?? {};
    addPropChecks(this,
      () => others.length > 0 ? [`a stack can have only one DeliverabilityDashboard, and ${others[0].node.path} is one already`] : [],
      () => domainProblems(domains),
      () => trackingProblems(domains, tracking));

    createPinpointEmailResource<DeliverabilityDashboardProperties>(this, {
      resourceType: ResourceTypes.DELIVERABILITY_DASHBOARD,
      // The dashboard is not a taggable resource: this manager stays empty and out of reach of Tags.of.
      tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.DELIVERABILITY_DASHBOARD),
      removalPolicy: props.removalPolicy,
      properties: { SubscribedDomains: domains.length > 0 ? domains : undefined, InboxPlacementTracking: renderTracking(tracking) },
    });

    // Neither operation supports resource-level permissions: IAM accepts only Resource "*". Only a stack with a
    // dashboard has them, in a policy that lives as long as the dashboard's custom resource.
    PinpointEmailProvider.of(this).grantWithoutResource('deliverability-dashboard',
      ['ses:GetDeliverabilityDashboardOptions', 'ses:PutDeliverabilityDashboardOption']);

    for (const test of inThisStack(this, TEST_MARKER)) {
      test.node.addDependency(this);
    }
  }
}

/** The constructs of `scope`'s own stack (not of its nested stacks) that carry `marker`. */
function inThisStack(scope: IConstruct, marker: symbol): IConstruct[] {
  const stack = Stack.of(scope);
  return stack.node.findAll().filter((construct) => marker in construct && Stack.of(construct) === stack);
}

function domainProblems(domains: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const domain of domains) {
    if (Token.isUnresolved(domain)) continue;
    if (!isDomainName(domain)) {
      problems.push(`subscribedDomains: "${domain}" is not a domain name (letters, digits and hyphens in dot-separated labels; Punycode for an international domain)`);
    }
    if (seen.has(domain.toLowerCase())) problems.push(`subscribedDomains: "${domain}" is listed more than once`);
    seen.add(domain.toLowerCase());
  }
  return problems;
}

function renderTracking(tracking: { [domain: string]: InboxPlacementTracking }): InboxPlacementTrackingProperty[] | undefined {
  const entries = Object.entries(tracking);
  if (entries.length === 0) return undefined;
  return entries.map(([domain, option]) => ({ Domain: domain, Global: option.global, TrackedIsps: option.trackedIsps }));
}

function trackingProblems(domains: string[], tracking: { [domain: string]: InboxPlacementTracking }): string[] {
  const problems: string[] = [];
  const subscribed = new Set(domains.map((domain) => domain.toLowerCase()));
  const anyToken = domains.some((domain) => Token.isUnresolved(domain));
  for (const [domain, option] of Object.entries(tracking)) {
    if (!anyToken && !Token.isUnresolved(domain) && !subscribed.has(domain.toLowerCase())) {
      problems.push(`inboxPlacementTracking: "${domain}" is not one of subscribedDomains`);
    }
    const isps = option.trackedIsps ?? [];
    if (Token.isUnresolved(isps)) continue;
    const seen = new Set<string>();
    for (const isp of isps) {
      if (Token.isUnresolved(isp)) continue;
      if (isp.trim() === '') problems.push(`inboxPlacementTracking: "${domain}" has an empty trackedIsps entry`);
      if (seen.has(isp)) problems.push(`inboxPlacementTracking: "${domain}" lists trackedIsps "${isp}" more than once`);
      seen.add(isp);
    }
  }
  return problems;
}
