import { RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { DeliverabilityDashboardProperties, ResourceTypes } from './private/contract';
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
   * What happens when the dashboard is removed from the stack. With `DESTROY`, a dashboard that this construct enabled
   * is disabled again (a dashboard that was already enabled is always left enabled); with `RETAIN` it stays enabled,
   * and so does its monthly charge.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
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
    addPropChecks(this,
      () => others.length > 0 ? [`a stack can have only one DeliverabilityDashboard, and ${others[0].node.path} is one already`] : [],
      () => domainProblems(domains));

    createPinpointEmailResource<DeliverabilityDashboardProperties>(this, {
      resourceType: ResourceTypes.DELIVERABILITY_DASHBOARD,
      // The dashboard is not a taggable resource: this manager stays empty and out of reach of Tags.of.
      tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.DELIVERABILITY_DASHBOARD),
      removalPolicy: props.removalPolicy,
      properties: { SubscribedDomains: domains.length > 0 ? domains : undefined },
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
