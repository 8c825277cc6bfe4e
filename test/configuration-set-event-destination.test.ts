/**
 * The ConfigurationSetEventDestination construct and addEventDestination: the custom resource's properties, the SNS
 * topic policy (and its KMS key), the Firehose role, the handler's grants and policy dependencies, and synth-time
 * validation.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetEventDestination, EmailSendingEvent, EventDestination,
} from '../src';
import { synthErrors } from './support/synth';

type Json = any;

const ENV = { account: '123456789012', region: 'us-east-1' };
const TYPE = 'Custom::PinpointEmailConfigurationSetEventDestination';
const STREAM_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/events';
const APP_ARN = 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef';
const ALL_EVENTS = ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK', 'RENDERING_FAILURE'];
const ACTIONS = [
  'ses:CreateConfigurationSetEventDestination',
  'ses:UpdateConfigurationSetEventDestination',
  'ses:DeleteConfigurationSetEventDestination',
  'ses:GetConfigurationSetEventDestinations',
  'ses:ListTagsForResource',
];

function newStack(): Stack {
  return new Stack(new App(), 'Mail', { env: ENV });
}

function ordersSet(stack: Stack): ConfigurationSet {
  return new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders' });
}

function only(stack: Stack, type: string): Json {
  const found = Object.values(Template.fromStack(stack).findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

function policyNamed(stack: Stack, name: string): Json {
  const found = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter(([, p]) => p.Properties.PolicyName === name);
  expect(found).toHaveLength(1);
  return { logicalId: found[0][0], ...found[0][1] };
}

describe('the custom resource', () => {
  test('addEventDestination renders the set, the name, every event and enabled by default', () => {
    const stack = newStack();
    const set = ordersSet(stack);
    const destination = set.addEventDestination('Bounces', { destination: EventDestination.pinpointApplication(APP_ARN) });

    const resource = only(stack, TYPE);
    expect(resource.Properties).toEqual({
      ServiceToken: expect.anything(),
      ServiceTimeout: '660',
      SchemaVersion: '2',
      ConfigurationSetName: { Ref: expect.stringMatching(/^Set/) },
      EventDestinationName: expect.stringMatching(/^Mail-[0-9a-f]{6}-SetBounces[0-9A-F]{8}$/),
      Enabled: true,
      MatchingEventTypes: ALL_EVENTS,
      PinpointApplicationArn: APP_ARN,
    });
    expect(resource.Properties.EventDestinationName.length).toBeLessThanOrEqual(64);
    expect(destination.node.path).toBe('Mail/Set/Bounces');
    expect(stack.resolve(destination.configurationSetEventDestinationName)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'EventDestinationName'] });
  });

  test('the options and each destination kind', () => {
    const stack = newStack();
    const set = ordersSet(stack);
    const topic = new sns.Topic(stack, 'Topic');
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/given');
    set.addEventDestination('Sns', {
      destination: EventDestination.snsTopic(topic), events: [EmailSendingEvent.BOUNCE], enabled: false, configurationSetEventDestinationName: 'sns',
    });
    set.addEventDestination('Firehose', {
      destination: EventDestination.firehoseDeliveryStream(firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream', STREAM_ARN), { role }),
      configurationSetEventDestinationName: 'firehose',
    });
    set.addEventDestination('Cw', {
      destination: EventDestination.cloudWatchDimensions([{ name: 'campaign', source: CloudWatchDimensionSource.EMAIL_HEADER, defaultValue: 'none' }]),
      configurationSetEventDestinationName: 'cw',
    });

    const byName = Object.fromEntries(Object.values(Template.fromStack(stack).findResources(TYPE))
      .map((r) => [r.Properties.EventDestinationName, r.Properties]));
    expect(byName.sns).toMatchObject({ Enabled: false, MatchingEventTypes: ['BOUNCE'], SnsTopicArn: { Ref: expect.stringMatching(/^Topic/) } });
    expect(byName.firehose).toMatchObject({ FirehoseDeliveryStreamArn: STREAM_ARN, FirehoseRoleArn: 'arn:aws:iam::123456789012:role/given' });
    expect(byName.cw.CloudWatchDimensions).toEqual([{ DimensionName: 'campaign', DimensionValueSource: 'EMAIL_HEADER', DefaultDimensionValue: 'none' }]);
    // A role that is given is used as it is: no role is created, nothing is added to it.
    expect(Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ses.amazonaws.com' } }] } } })).toEqual({});
  });
});

describe('permissions around the destination', () => {
  test('an SNS topic of the app lets ses.amazonaws.com publish for this account and set only; the destination waits for the policy', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    ordersSet(stack).addEventDestination('Sns', { destination: EventDestination.snsTopic(topic) });

    const policy = only(stack, 'AWS::SNS::TopicPolicy');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Sid: '0',
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: expect.stringMatching(/^Topic/) },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:us-east-1:123456789012:configuration-set/', { Ref: expect.stringMatching(/^Set/) }]] },
        },
      },
    }]);
    const [policyId] = Object.keys(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'));
    expect(only(stack, TYPE).DependsOn).toContain(policyId);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a customer-managed key of the app that encrypts the topic lets ses.amazonaws.com use it, with the same conditions', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    ordersSet(stack).addEventDestination('Sns', { destination: EventDestination.snsTopic(new sns.Topic(stack, 'Topic', { masterKey: key })) });

    const statements: Json[] = only(stack, 'AWS::KMS::Key').Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': expect.anything() } },
    });
  });

  test('an imported topic, or an imported key, is not changed: synth warns with what to add', () => {
    const stack = newStack();
    const set = ordersSet(stack);
    set.addEventDestination('Imported', { destination: EventDestination.snsTopic(sns.Topic.fromTopicArn(stack, 'Theirs', 'arn:aws:sns:us-east-1:123456789012:theirs')) });
    const key = kms.Key.fromKeyArn(stack, 'TheirKey', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    set.addEventDestination('Encrypted', { destination: EventDestination.snsTopic(new sns.Topic(stack, 'Topic', { masterKey: key })) });

    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Mail/Set/Imported', Match.stringLikeRegexp('the topic is not part of this app, so its policy was not changed: add a statement'));
    annotations.hasWarning('/Mail/Set/Encrypted', Match.stringLikeRegexp('the topic\'s KMS key is not part of this app'));
  });

  test('Firehose: a role that only ses.amazonaws.com assumes, for this account and set, allowed PutRecordBatch on this stream only', () => {
    const stack = newStack();
    ordersSet(stack).addEventDestination('Firehose', {
      destination: EventDestination.firehoseDeliveryStream(firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream', STREAM_ARN)),
    });

    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const [roleId, firehoseRole] = Object.entries(roles).find(([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'ses.amazonaws.com')!;
    expect(firehoseRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': expect.anything() } },
    }]);
    const rolePolicies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((p) => p.Properties.Roles[0].Ref === roleId);
    expect(rolePolicies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[{ Effect: 'Allow', Action: 'firehose:PutRecordBatch', Resource: STREAM_ARN }]]);
    expect(only(stack, TYPE).Properties.FirehoseRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});

describe('the handler\'s grants', () => {
  test('the event destination actions on the set\'s ARN, in the policy of that set\'s destinations, which the destination depends on', () => {
    const stack = newStack();
    ordersSet(stack).addEventDestination('A', { destination: EventDestination.pinpointApplication(APP_ARN) });

    const policy = policyNamed(stack, 'PinpointEmailEventDestinationsOf-orders');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'ManageEventDestinations',
      Effect: 'Allow',
      Action: ACTIONS,
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:configuration-set/orders' },
    }]);
    const shared = policyNamed(stack, 'PinpointEmailConfigurationSetEventDestination');
    expect(shared.Properties.PolicyDocument.Statement).toEqual([{
      // A Delete leaves a destination that another resource of the stack holds: it lists its own stack's resources.
      Sid: 'ReadOwnStackResources',
      Effect: 'Allow',
      Action: 'cloudformation:ListStackResources',
      Resource: { Ref: 'AWS::StackId' },
    }, {
      Sid: 'ManageResourcesOwnedByThisStack',
      Effect: 'Allow',
      Action: ACTIONS.slice(1),
      Resource: expect.anything(),
      Condition: { StringLike: { 'aws:ResourceTag/cdk-pinpoint-email:owner': expect.anything() } },
    }]);
    expect(only(stack, TYPE).DependsOn).toEqual(expect.arrayContaining([policy.logicalId, shared.logicalId]));
    // No iam:PassRole anywhere: the Service Authorization data names no dependent action for these operations.
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('iam:PassRole');
  });

  test('an imported set is granted on its own ARN; two destinations on one set share its policy', () => {
    const stack = newStack();
    const shared = ConfigurationSet.fromConfigurationSetName(stack, 'Shared', 'shared');
    shared.addEventDestination('A', { destination: EventDestination.pinpointApplication(APP_ARN) });
    new ConfigurationSetEventDestination(stack, 'B', { configurationSet: shared, destination: EventDestination.pinpointApplication(APP_ARN) });

    const policy = policyNamed(stack, 'PinpointEmailEventDestinationsOf-shared');
    expect(stack.resolve(policy.Properties.PolicyDocument.Statement[0].Resource)).toEqual(
      { 'Fn::Sub': 'arn:${AWS::Partition}:ses:us-east-1:123456789012:configuration-set/shared' });
    const destinations = Object.values(Template.fromStack(stack).findResources(TYPE));
    expect(destinations).toHaveLength(2);
    for (const destination of destinations) expect(destination.DependsOn).toContain(policy.logicalId);
  });

  test('a set imported with a name only CloudFormation knows is granted in the shared policy', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'SetName').valueAsString;
    ConfigurationSet.fromConfigurationSetName(stack, 'Shared', name).addEventDestination('A', { destination: EventDestination.pinpointApplication(APP_ARN) });

    const shared = policyNamed(stack, 'PinpointEmailConfigurationSetEventDestination');
    expect(shared.Properties.PolicyDocument.Statement.map((s: Json) => s.Sid)).toEqual(['ManageEventDestinations', 'ReadOwnStackResources', 'ManageResourcesOwnedByThisStack']);
  });
});

describe('validation at synth', () => {
  function synthErrorsOf(build: (stack: Stack) => void): string {
    const stack = newStack();
    build(stack);
    return synthErrors(stack);
  }
  const dimension = (name: string, defaultValue: string) =>
    EventDestination.cloudWatchDimensions([{ name, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue }]);

  test.each([
    ['a dimension name with a space', dimension('has space', 'v'), 'Mail/Set/Cw] destination: cloudWatchDimensions[0].name "has space" is invalid'],
    ['a dimension name of 257 characters', dimension('n'.repeat(257), 'v'), 'destination: cloudWatchDimensions[0].name'],
    ['a non-ASCII default value', dimension('n', 'café'),
      'Mail/Set/Cw] destination: cloudWatchDimensions[0].defaultValue "café" is invalid: ASCII letters, digits, _ and -, 1 to 256 characters'],
    ['an empty default value', dimension('n', ''), 'cloudWatchDimensions[0].defaultValue "" is invalid'],
    ['no dimension', EventDestination.cloudWatchDimensions([]), 'destination: cloudWatchDimensions needs at least one dimension'],
  ])('%s fails, naming the path and the prop', (_case, destination, message) => {
    expect(synthErrorsOf((stack) => ordersSet(stack).addEventDestination('Cw', { destination }))).toContain(message);
  });

  test('dimensions of 256 characters, and tokens, pass', () => {
    const stack = newStack();
    const token = new CfnParameter(stack, 'Dimension').valueAsString;
    ordersSet(stack).addEventDestination('Cw', { destination: dimension('d'.repeat(256), token) });
    ordersSet(newStack()).addEventDestination('Cw', { destination: dimension(token, 'v'.repeat(256)) });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test.each([
    ['no event', { events: [] }, 'Mail/Set/D] events must name at least one event type'],
    ['an event twice', { events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.BOUNCE] }, 'events lists BOUNCE more than once'],
    ['a bad name', { configurationSetEventDestinationName: 'no spaces' }, 'configurationSetEventDestinationName "no spaces" is invalid: 1 to 64 characters'],
  ])('%s fails', (_case, options, message) => {
    expect(synthErrorsOf((stack) => ordersSet(stack).addEventDestination('D', { destination: EventDestination.pinpointApplication(APP_ARN), ...options })))
      .toContain(message);
  });

  test('an 11th destination on one set in the stack fails (the API allows 10); 10 pass, on the set and an import of it alike', () => {
    const build = (count: number) => (stack: Stack) => {
      const set = ordersSet(stack);
      const imported = ConfigurationSet.fromConfigurationSetName(stack, 'Again', 'orders');
      for (let i = 0; i < count; i++) (i % 2 ? imported : set).addEventDestination(`D${i}`, { destination: EventDestination.pinpointApplication(APP_ARN) });
    };
    expect(synthErrorsOf(build(11))).toContain('Mail/Set/D10] configurationSet has 11 event destinations in this stack; the API allows 10 per configuration set');
    const stack = newStack();
    build(10)(stack);
    expect(synthErrors(stack)).toBe('');
  });

  test('a destination of two kinds fails', () => {
    const topic = (stack: Stack) => new sns.Topic(stack, 'Topic');
    expect(synthErrorsOf((stack) => ordersSet(stack).addEventDestination('D', { destination: { topic: topic(stack), applicationArn: APP_ARN } })))
      .toContain('destination must be exactly one of EventDestination.snsTopic, firehoseDeliveryStream, cloudWatchDimensions, pinpointApplication and eventBus');
  });
});
