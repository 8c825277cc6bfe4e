/**
 * Stacks and account seeds shared by the reliability tests: one resource of each of the four kinds, with names the tests
 * can seed or look up in the service's state.
 */
import { Stack } from 'aws-cdk-lib';
import {
  ConfigurationSet, ConfigurationSetProps, DedicatedIpPool, DeliverabilityTest, EmailIdentity, Identity, TestContent, TlsPolicy,
} from '../../src';
import { AccountState } from '../support/local-service';

/** A verified domain whose addresses may send deliverability tests (see seedSender). */
export const SENDER_DOMAIN = 'verified.example.com';
export const SENDER = `sender@${SENDER_DOMAIN}`;

/** What a deliverability test needs in the account: the dashboard enabled and the sender's domain verified. */
export function seedSender(state: AccountState): void {
  state.enableDashboard();
  if (!state.emailIdentities.has(SENDER_DOMAIN)) state.addEmailIdentity(SENDER_DOMAIN, { verified: true });
}

export interface FourNames {
  readonly set: string;
  readonly pool: string;
  readonly identity: string;
  readonly subject: string;
}

/** The construct ids of the four resources (their logical ids start with these). */
export const IDS = { set: 'Set', pool: 'Pool', identity: 'Identity', test: 'Test' } as const;

/** One resource of each kind, with options, tags and the given names. */
export function fourResources(names: FourNames, tags: Record<string, string> = { team: 'mail' }, setProps: ConfigurationSetProps = {}) {
  return (stack: Stack): void => {
    const pool = new DedicatedIpPool(stack, IDS.pool, { dedicatedIpPoolName: names.pool, tags });
    new ConfigurationSet(stack, IDS.set, {
      configurationSetName: names.set, dedicatedIpPool: pool, tlsPolicy: TlsPolicy.REQUIRE, reputationMetrics: true, tags, ...setProps,
    });
    new EmailIdentity(stack, IDS.identity, {
      identity: Identity.domain(names.identity), feedbackForwarding: false, mailFromDomain: `bounce.${names.identity}`, tags,
    });
    new DeliverabilityTest(stack, IDS.test, {
      fromEmailAddress: SENDER, reportName: 'reliability', content: TestContent.simple({ subject: names.subject, text: 'Hello' }), tags,
    });
  };
}
