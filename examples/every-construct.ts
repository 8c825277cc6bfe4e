/**
 * A stack with every construct of the library: generated and explicit names, a pool a set sends through, dedicated
 * IPs, a Route 53 zone with MAIL FROM records, the wait for its verification, both kinds of sender, event
 * destinations, the account's settings and the dashboard. cdk-nag's test and the template lint use it;
 * scripts/consumer-check/app.js builds the same in plain JavaScript.
 */
import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  ConfigurationSetEventDestination,
  DedicatedIpPool,
  DeliverabilityDashboard,
  DeliverabilityTest,
  EmailAccountSettings,
  EmailIdentity,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  TestContent,
  TlsPolicy,
} from '../src';

export function addEveryConstruct(stack: Stack): void {
  const content = TestContent.simple({ subject: 'Hello', text: 'Hi there' });
  const generatedPool = new DedicatedIpPool(stack, 'GeneratedPool', { tags: { team: 'mail' } });
  const namedPool = new DedicatedIpPool(stack, 'NamedPool', { dedicatedIpPoolName: 'marketing', dedicatedIps: ['192.0.2.10'] });
  namedPool.addDedicatedIp('192.0.2.11', { warmupPercentage: 50 });
  new ConfigurationSet(stack, 'GeneratedSet', { dedicatedIpPool: generatedPool, tlsPolicy: TlsPolicy.REQUIRE });
  const namedSet = new ConfigurationSet(stack, 'NamedSet', { configurationSetName: 'transactional', reputationMetrics: true });
  new ConfigurationSetEventDestination(stack, 'Metrics', {
    configurationSet: namedSet,
    destination: EventDestination.cloudWatchDimensions([{ name: 'campaign', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' }]),
  });
  namedSet.addEventDestination('Segments', { destination: EventDestination.pinpointApplication('arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd') });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  const domain = new EmailIdentity(stack, 'Domain', {
    identity: Identity.publicHostedZone(zone),
    mailFromDomain: 'bounce.example.com',
    mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
  });
  domain.waitForVerification();
  new EmailIdentity(stack, 'Address', { identity: Identity.email('sender@example.org') });
  new DeliverabilityTest(stack, 'FromIdentity', { fromIdentity: domain, fromLocalPart: 'test', content, tags: { team: 'mail' } });
  new DeliverabilityTest(stack, 'FromAddress', { fromEmailAddress: 'test@example.net', content });
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
  new EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: true });
}
