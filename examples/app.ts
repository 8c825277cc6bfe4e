/**
 * The example app that the README shows: a dedicated IP pool, two configuration sets (one sending through the pool,
 * its bounces and complaints published to an encrypted SNS topic) and a domain identity whose DKIM and MAIL FROM
 * records go into a Route 53 hosted zone.
 * `version: 2` is the same app after a change of tags and options (and deliveries published too), used by
 * `npm run demo` to show an update.
 */
import { App, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ConfigurationSet, DedicatedIpPool, EmailIdentity, EmailSendingEvent, EventDestination, Identity, MailFromBehaviorOnMxFailure, TlsPolicy,
} from '../src';

export interface ExampleOptions {
  /** 1: the first deployment; 2: changed tags and options. */
  readonly version?: 1 | 2;
}

export function buildExampleStack(app: App, options: ExampleOptions = {}): Stack {
  const v2 = options.version === 2;
  const stack = new Stack(app, 'PinpointEmailExample');

  const pool = new DedicatedIpPool(stack, 'TransactionalPool', {
    dedicatedIpPoolName: 'transactional',
    tags: { purpose: 'transactional' },
  });

  const transactional = new ConfigurationSet(stack, 'Transactional', {
    configurationSetName: 'transactional',
    dedicatedIpPool: pool,
    tlsPolicy: TlsPolicy.REQUIRE,
    reputationMetrics: true,
    tags: v2 ? { team: 'payments', tier: 'critical' } : { 'team': 'payments', 'cost-center': '1234' },
  });

  // Bounces and complaints (and, in version 2, deliveries) go to a topic that the sender's suppression logic subscribes to.
  const feedback = new sns.Topic(stack, 'Feedback', {
    masterKey: new kms.Key(stack, 'FeedbackKey', { enableKeyRotation: true }),
    enforceSSL: true,
  });
  transactional.addEventDestination('Feedback', {
    destination: EventDestination.snsTopic(feedback),
    configurationSetEventDestinationName: 'feedback',
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, ...(v2 ? [EmailSendingEvent.DELIVERY] : [])],
  });

  new ConfigurationSet(stack, 'Marketing', {
    customTrackingRedirectDomain: 'links.example.com',
    sendingEnabled: !v2,
    tags: { team: 'growth' },
  });

  const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLE',
    zoneName: 'example.com',
  });
  const domain = new EmailIdentity(stack, 'Domain', {
    identity: Identity.publicHostedZone(zone),
    mailFromDomain: 'mail.example.com',
    mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    feedbackForwarding: v2,
    tags: { team: 'platform' },
  });

  // An application role that may send from the domain, through the transactional configuration set.
  const sender = new iam.Role(stack, 'SenderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  domain.grantSendEmail(sender, transactional);

  Tags.of(stack).add('app', 'pinpoint-email-example');
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildExampleStack(app);
  app.synth();
}
