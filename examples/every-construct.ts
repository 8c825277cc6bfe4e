/**
 * A stack with every construct of the library: generated and explicit names, a pool a set sends through, a Route 53
 * zone with MAIL FROM records, both kinds of sender, and the dashboard. cdk-nag's test and the template lint use it.
 */
import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  ConfigurationSet,
  DedicatedIpPool,
  DeliverabilityDashboard,
  DeliverabilityTest,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
  TestContent,
  TlsPolicy,
} from '../src';

export function addEveryConstruct(stack: Stack): void {
  const content = TestContent.simple({ subject: 'Hello', text: 'Hi there' });
  const generatedPool = new DedicatedIpPool(stack, 'GeneratedPool', { tags: { team: 'mail' } });
  new DedicatedIpPool(stack, 'NamedPool', { dedicatedIpPoolName: 'marketing' });
  new ConfigurationSet(stack, 'GeneratedSet', { dedicatedIpPool: generatedPool, tlsPolicy: TlsPolicy.REQUIRE });
  new ConfigurationSet(stack, 'NamedSet', { configurationSetName: 'transactional', reputationMetrics: true });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  const domain = new EmailIdentity(stack, 'Domain', {
    identity: Identity.publicHostedZone(zone),
    mailFromDomain: 'bounce.example.com',
    mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
  });
  new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.org') });
  new DeliverabilityTest(stack, 'FromIdentity', { fromIdentity: domain, fromLocalPart: 'test', content, tags: { team: 'mail' } });
  new DeliverabilityTest(stack, 'FromAddress', { fromEmailAddress: 'test@example.net', content });
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
}
