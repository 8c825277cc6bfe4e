/**
 * Integration test for real accounts (see docs/integ-tests.md): a configuration set whose bounces and complaints go to
 * an SNS topic of the stack, encrypted with a customer-managed key, as a sender would set it up. Free of charge at
 * rest: no email is sent, and an idle topic and key cost nothing but the key's monthly fee.
 *
 * Asserts after deploy: the set's one event destination (GetConfigurationSetEventDestinations), with its event types
 * and topic.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from '../src';

// No stack traces in the metadata: the committed snapshot must not depend on where it was synthesized.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'PinpointEmailIntegEventDestination');

const set = new ConfigurationSet(stack, 'Set');
const topic = new sns.Topic(stack, 'Feedback', {
  masterKey: new kms.Key(stack, 'FeedbackKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }),
  enforceSSL: true,
});
set.addEventDestination('BouncesAndComplaints', {
  destination: EventDestination.snsTopic(topic),
  events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
  configurationSetEventDestinationName: 'bounces-and-complaints',
});

const integ = new IntegTest(app, 'EventDestination', { testCases: [stack] });
integ.assertions.awsApiCall('PinpointEmail', 'GetConfigurationSetEventDestinations', { ConfigurationSetName: set.configurationSetName })
  .expect(ExpectedResult.objectLike({
    EventDestinations: Match.arrayWith([Match.objectLike({
      Name: 'bounces-and-complaints',
      Enabled: true,
      MatchingEventTypes: ['BOUNCE', 'COMPLAINT'],
      SnsDestination: { TopicArn: topic.topicArn },
    })]),
  }));
