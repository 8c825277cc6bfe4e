import { Annotations, Arn, ArnFormat, Aws, IResource, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';
import type { IConfigurationSet } from './configuration-set';
import { sesV2OnlyProblems } from './private/api-requirement';
import { ConfigurationSetEventDestinationAttributes, ConfigurationSetEventDestinationProperties, ResourceTypes } from './private/contract';
import { declaredArnOf, declaredNameOf } from './private/declared-arns';
import { eventDestinationsGroup } from './private/handler-policy';
import { generateName } from './private/physical-name';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { exactArnInPolicy } from './private/policy-arn';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks, patternProblems } from './private/validation';

/** An email sending event that a configuration set can publish. */
export enum EmailSendingEvent {
  /** The send request was successful and Amazon Pinpoint will attempt to deliver the message. */
  SEND = 'SEND',
  /** The message contained a virus and was not delivered. */
  REJECT = 'REJECT',
  /** The recipient's mail server permanently rejected the message (a hard bounce). */
  BOUNCE = 'BOUNCE',
  /** The recipient marked the message as spam. */
  COMPLAINT = 'COMPLAINT',
  /** The message reached the recipient's mail server. */
  DELIVERY = 'DELIVERY',
  /** The recipient opened the message (open tracking). */
  OPEN = 'OPEN',
  /** The recipient clicked a link in the message (click tracking). */
  CLICK = 'CLICK',
  /** The message was not sent because of a template rendering problem. */
  RENDERING_FAILURE = 'RENDERING_FAILURE',
  /** A temporary problem delayed the delivery (a full inbox, a receiving server's transient failure). Needs the SES API v2. */
  DELIVERY_DELAY = 'DELIVERY_DELAY',
  /** The recipient changed their subscription preferences with the message's unsubscribe link. Needs the SES API v2. */
  SUBSCRIPTION = 'SUBSCRIPTION',
}

/**
 * The event types of the Pinpoint Email API: the default of `events` on either API, so that switching a stack's API
 * changes no event destination.
 */
const PINPOINT_EMAIL_EVENTS: readonly EmailSendingEvent[] = [
  EmailSendingEvent.SEND, EmailSendingEvent.REJECT, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY, EmailSendingEvent.OPEN, EmailSendingEvent.CLICK, EmailSendingEvent.RENDERING_FAILURE,
];

/** Where the value of a CloudWatch dimension is taken from. */
export enum CloudWatchDimensionSource {
  /** A message tag (the `X-SES-MESSAGE-TAGS` header, or the `EmailTags` of the send call). */
  MESSAGE_TAG = 'MESSAGE_TAG',
  /** An email header of your own. */
  EMAIL_HEADER = 'EMAIL_HEADER',
  /** A link tag. */
  LINK_TAG = 'LINK_TAG',
}

/** A CloudWatch dimension that email sending metrics are published with. */
export interface CloudWatchDimension {
  /** The dimension's name: ASCII letters, digits, `_` and `-`, at most 256 characters. */
  readonly name: string;
  /** Where the dimension's value is taken from. */
  readonly source: CloudWatchDimensionSource;
  /** The value when the message does not give one: ASCII letters, digits, `_` and `-`, at most 256 characters. */
  readonly defaultValue: string;
}

/** Options of a Firehose destination. */
export interface FirehoseDeliveryStreamDestinationOptions {
  /**
   * The role that Amazon Pinpoint assumes to put records on the stream. A role you pass is used as it is: it must trust
   * `ses.amazonaws.com` and allow `firehose:PutRecordBatch` on the stream.
   * @default - a role that trusts `ses.amazonaws.com` for this account and configuration set only
   * (`aws:SourceAccount`, `aws:SourceArn`), allowed `firehose:PutRecordBatch` on this stream only
   */
  readonly role?: iam.IRole;
}

/** Where a configuration set sends its email sending events: exactly one of the five kinds. */
export abstract class EventDestination {
  /**
   * An SNS topic. A topic of this app gets a resource policy statement that lets `ses.amazonaws.com` publish for this
   * account and configuration set only; for an imported topic, add that statement yourself (see the README).
   */
  public static snsTopic(topic: sns.ITopic): EventDestination {
    return { topic };
  }

  /** A Kinesis Data Firehose delivery stream, written through a role that Amazon Pinpoint assumes. */
  public static firehoseDeliveryStream(stream: firehose.IDeliveryStream, options: FirehoseDeliveryStreamDestinationOptions = {}): EventDestination {
    return { stream, role: options.role };
  }

  /** Amazon CloudWatch metrics, with these dimensions (at least one). */
  public static cloudWatchDimensions(dimensions: CloudWatchDimension[]): EventDestination {
    return { dimensions };
  }

  /** An Amazon Pinpoint project (application), by its ARN. */
  public static pinpointApplication(applicationArn: string): EventDestination {
    return { applicationArn };
  }

  /**
   * An Amazon EventBridge event bus, which must be the default bus of the stack's account and region: SES sends to no
   * other (`events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')`). Needs the SES API v2:
   * `EmailApi.use(stack, EmailApiVersion.SES_V2)` or the context key `cdk-pinpoint-email:api` set to `sesv2` (synth
   * fails otherwise).
   */
  public static eventBus(bus: events.IEventBus): EventDestination {
    return { bus };
  }

  /**
   * The SNS topic, for an SNS destination.
   * @default - not an SNS destination
   */
  public abstract readonly topic?: sns.ITopic;
  /**
   * The delivery stream, for a Firehose destination.
   * @default - not a Firehose destination
   */
  public abstract readonly stream?: firehose.IDeliveryStream;
  /**
   * The role given for a Firehose destination.
   * @default - none given: a role is created for a Firehose destination
   */
  public abstract readonly role?: iam.IRole;
  /**
   * The dimensions, for a CloudWatch destination.
   * @default - not a CloudWatch destination
   */
  public abstract readonly dimensions?: CloudWatchDimension[];
  /**
   * The Pinpoint application's ARN, for a Pinpoint destination.
   * @default - not a Pinpoint destination
   */
  public abstract readonly applicationArn?: string;
  /**
   * The event bus, for an EventBridge destination.
   * @default - not an EventBridge destination
   */
  public abstract readonly bus?: events.IEventBus;
}

/** Options of an event destination added with `addEventDestination`. */
export interface ConfigurationSetEventDestinationOptions {
  /** Where the events go. */
  readonly destination: EventDestination;

  /**
   * The events that are sent to the destination. `DELIVERY_DELAY` and `SUBSCRIPTION` need the SES API v2.
   * @default - every event type but `DELIVERY_DELAY` and `SUBSCRIPTION`, on either API (so that switching a stack's API
   * changes no destination)
   */
  readonly events?: EmailSendingEvent[];

  /**
   * Whether events are sent to the destination.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The name of the event destination within its configuration set: 1 to 64 characters from `A-Z`, `a-z`, `0-9`, `_`
   * and `-`. Changing it replaces the event destination.
   * @default - a unique name generated from the construct path
   */
  readonly configurationSetEventDestinationName?: string;

  /**
   * What happens to the event destination when it is removed from the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of a `ConfigurationSetEventDestination`. */
export interface ConfigurationSetEventDestinationProps extends ConfigurationSetEventDestinationOptions {
  /** The configuration set whose events are sent; one of this stack, or imported. Changing it replaces the destination. */
  readonly configurationSet: IConfigurationSet;
}

/** An event destination of a configuration set. */
export interface IConfigurationSetEventDestination extends IResource {
  /**
   * The name of the event destination within its configuration set.
   * @attribute
   */
  readonly configurationSetEventDestinationName: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_RULE = '1 to 64 characters from A-Z, a-z, 0-9, _ and -';
const DIMENSION_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
const DIMENSION_RULE = 'ASCII letters, digits, _ and -, 1 to 256 characters';
const SES_PRINCIPAL = 'ses.amazonaws.com';
/** Event destinations per configuration set (SES quota). */
const MAX_PER_SET = 10;
/** The destinations of each configuration set of each stack, by the set's name (literal names only), in creation order. */
const destinationsBySet = new WeakMap<Stack, Map<string, Construct[]>>();

/** Registers `destination` with the other destinations of its set in its stack, and returns them all (itself included). */
function destinationsOf(destination: Construct, set: IConfigurationSet): Construct[] {
  const name = declaredNameOf(set, set.configurationSetName);
  if (Token.isUnresolved(name)) return [destination];
  const stack = Stack.of(destination);
  const bySet = destinationsBySet.get(stack) ?? new Map<string, Construct[]>();
  destinationsBySet.set(stack, bySet);
  const list = bySet.get(name) ?? [];
  bySet.set(name, list);
  list.push(destination);
  return list;
}

/**
 * Sends the email sending events of a configuration set (bounces, complaints, deliveries...) to an SNS topic, a
 * Firehose delivery stream, CloudWatch or a Pinpoint application. Created with one call, updated in place, and only
 * ever deleted by the stack that created it.
 *
 * @resource Custom::PinpointEmailConfigurationSetEventDestination
 */
export class ConfigurationSetEventDestination extends Resource implements IConfigurationSetEventDestination {
  /** The name of the event destination within its configuration set. */
  public readonly configurationSetEventDestinationName: string;

  constructor(scope: Construct, id: string, props: ConfigurationSetEventDestinationProps) {
    super(scope, id);
    const set = props.configurationSet;
    const destination = props.destination;
    const eventTypes = props.events ?? [...PINPOINT_EMAIL_EVENTS];
    const name = props.configurationSetEventDestinationName ?? generateName(this, { maxLength: 64 });
    const onSameSet = destinationsOf(this, set);
    addPropChecks(this,
      () => patternProblems('configurationSetEventDestinationName', props.configurationSetEventDestinationName, NAME_PATTERN, NAME_RULE),
      () => eventProblems(eventTypes),
      () => destinationProblems(this, destination),
      () => sesV2OnlyProblems(this, {
        ...Object.fromEntries(eventTypes.filter((e) => !PINPOINT_EMAIL_EVENTS.includes(e)).map((e) => [`events: EmailSendingEvent.${e}`, e])),
        'destination: EventDestination.eventBus': destination.bus,
      }),
      () => onSameSet.length > MAX_PER_SET && onSameSet[MAX_PER_SET] === this
        ? [`configurationSet has ${onSameSet.length} event destinations in this stack; the API allows ${MAX_PER_SET} per configuration set`] : []);

    const roleArn = destination.stream ? (destination.role ?? this.firehoseRole(destination.stream, set)).roleArn : undefined;
    const resource = createPinpointEmailResource<ConfigurationSetEventDestinationProperties>(this, {
      resourceType: ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION,
      // Event destinations are not taggable: this manager stays empty and out of reach of Tags.of.
      tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION),
      removalPolicy: props.removalPolicy,
      properties: {
        ConfigurationSetName: set.configurationSetName,
        EventDestinationName: name,
        Enabled: props.enabled ?? true,
        MatchingEventTypes: eventTypes,
        SnsTopicArn: destination.topic?.topicArn,
        FirehoseDeliveryStreamArn: destination.stream?.deliveryStreamArn,
        FirehoseRoleArn: roleArn,
        CloudWatchDimensions: destination.dimensions?.map((d) => ({
          DimensionName: d.name, DimensionValueSource: d.source, DefaultDimensionValue: d.defaultValue,
        })),
        PinpointApplicationArn: destination.applicationArn,
        EventBusArn: destination.bus?.eventBusArn,
      },
    });
    this.configurationSetEventDestinationName = resource.getAttString(ConfigurationSetEventDestinationAttributes.NAME);
    this.grantHandler(resource.node, set);
    if (destination.topic) this.allowPublishing(destination.topic, set, resource.node);
  }

  /**
   * The handler may manage the destinations of this set: Create, Update, Delete and (when a create meets an existing
   * destination) GetConfigurationSetEventDestinations and the set's ListTagsForResource, on the set's ARN, in the
   * policy of that set's destinations, which this destination depends on. Sets that this stack created are also
   * granted by their ownership tag (all but the create), for the rollback of a destination moved between them. Its
   * Delete reads the stack's resources (ListStackResources of the stack alone), to leave a destination that another
   * resource of the stack took over.
   */
  private grantHandler(resourceNode: Construct['node'], set: IConfigurationSet): void {
    const provider = PinpointEmailProvider.of(this);
    const setName = declaredNameOf(set, set.configurationSetName);
    const group = Token.isUnresolved(setName) ? 'configuration-set-event-destination' : eventDestinationsGroup(setName);
    provider.grant(group, 'ManageEventDestinations', [...MANAGE_ACTIONS],
      exactArnInPolicy(declaredArnOf(set, set.configurationSetArn)));
    provider.grantOwned('configuration-set-event-destination', 'configuration-set', MANAGE_ACTIONS.filter((a) => !a.startsWith('ses:Create')));
    provider.grant('configuration-set-event-destination', 'ReadOwnStackResources', ['cloudformation:ListStackResources'], Aws.STACK_ID);
    resourceNode.addDependency(provider.policyOf(group));
  }

  /** The role that Amazon Pinpoint assumes for this set only, allowed to put records on this stream only. */
  private firehoseRole(stream: firehose.IDeliveryStream, set: IConfigurationSet): iam.IRole {
    const role = new iam.Role(this, 'FirehoseRole', {
      description: 'Lets Amazon Pinpoint Email put the events of one configuration set on one Firehose stream (cdk-pinpoint-email)',
      assumedBy: new iam.ServicePrincipal(SES_PRINCIPAL, { conditions: sourceConditions(this, set) }),
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [stream.deliveryStreamArn] }));
    return role;
  }

  /**
   * The topic's policy lets `ses.amazonaws.com` publish for this account and set only; a customer-managed key of the
   * app that encrypts the topic lets it encrypt for them too. What cannot be changed from here (an imported topic or
   * key) gets a synth warning that says what to add.
   */
  private allowPublishing(topic: sns.ITopic, set: IConfigurationSet, resourceNode: Construct['node']): void {
    const conditions = sourceConditions(this, set);
    const principals = [new iam.ServicePrincipal(SES_PRINCIPAL)];
    const published = topic.addToResourcePolicy(new iam.PolicyStatement({ principals, actions: ['sns:Publish'], resources: [topic.topicArn], conditions }));
    dependOrWarn(this, resourceNode, published.policyDependable, 'importedTopic', 'the topic is not part of this app, so its policy was not changed: ' +
      `add a statement that allows ${SES_PRINCIPAL} sns:Publish on it, with the conditions aws:SourceAccount and aws:SourceArn of this configuration set (see the README)`);
    const key = topic.masterKey;
    if (!key) return;
    const granted = key.addToResourcePolicy(new iam.PolicyStatement({
      principals, actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'], conditions,
    }), true);
    // A key's policy is part of the key resource.
    dependOrWarn(this, resourceNode, granted.statementAdded ? key : undefined, 'importedKey', 'the topic\'s KMS key is not part of this app, so its ' +
      `policy was not changed: allow ${SES_PRINCIPAL} kms:GenerateDataKey* and kms:Decrypt on it, with the same conditions (see the README)`);
  }
}

/** The destination waits for what holds a resource policy statement that was added; one that could not be added is a synth warning. */
function dependOrWarn(scope: Construct, resourceNode: Construct['node'], added: IDependable | undefined, id: string, message: string): void {
  if (added) {
    resourceNode.addDependency(added);
  } else {
    Annotations.of(scope).addWarningV2(`cdk-pinpoint-email:eventDestination:${id}`, message);
  }
}

/**
 * The event destination actions, all authorized on the configuration set's ARN. ListTagsForResource reads the set's
 * ownership tag, when a create meets an existing destination.
 */
const MANAGE_ACTIONS = [
  'ses:CreateConfigurationSetEventDestination',
  'ses:UpdateConfigurationSetEventDestination',
  'ses:DeleteConfigurationSetEventDestination',
  'ses:GetConfigurationSetEventDestinations',
  'ses:ListTagsForResource',
] as const;

/** What a service principal must meet to act for this configuration set: this account, and this set's ARN. */
function sourceConditions(scope: Construct, set: IConfigurationSet): Record<string, Record<string, string>> {
  return { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account, 'aws:SourceArn': set.configurationSetArn } };
}

function eventProblems(eventTypes: EmailSendingEvent[]): string[] {
  if (eventTypes.length === 0) return ['events must name at least one event type'];
  const repeated = eventTypes.filter((event, i) => eventTypes.indexOf(event) !== i);
  return repeated.length > 0 ? [`events lists ${[...new Set(repeated)].join(', ')} more than once`] : [];
}

function destinationProblems(scope: Construct, destination: EventDestination): string[] {
  const kinds = [destination.topic, destination.stream, destination.dimensions, destination.applicationArn, destination.bus]
    .filter((k) => k !== undefined);
  if (kinds.length !== 1) {
    return ['destination must be exactly one of EventDestination.snsTopic, firehoseDeliveryStream, cloudWatchDimensions, pinpointApplication and eventBus'];
  }
  return [...dimensionProblems(destination.dimensions), ...busProblems(scope, destination.bus)];
}

/**
 * SES publishes to the default event bus of the account and region only. Checked as far as synth can: a bus created
 * in the app is never the default one; a name, account or region known at synth must be `default` and the stack's.
 */
function busProblems(scope: Construct, bus: events.IEventBus | undefined): string[] {
  if (bus === undefined) return [];
  const rule = 'EventDestination.eventBus needs the default event bus of the stack\'s account and region ' +
    '(events.EventBus.fromEventBusName(this, \'DefaultBus\', \'default\')): SES publishes to no other';
  if (bus instanceof events.EventBus) return [`destination: ${bus.node.path} is a bus of this app; ${rule}`];
  const stack = Stack.of(scope);
  const arn = splitArn(bus.eventBusArn);
  const named = Token.isUnresolved(bus.eventBusName) ? arn?.resourceName : bus.eventBusName;
  const problems = [
    ...known(named) && named !== 'default' ? [`is named "${named}"`] : [],
    ...known(arn?.account) && known(stack.account) && arn?.account !== stack.account ? [`is in account ${arn?.account}`] : [],
    ...known(arn?.region) && known(stack.region) && arn?.region !== stack.region ? [`is in region ${arn?.region}`] : [],
  ];
  if (problems.length > 0) return [`destination: the event bus ${problems.join(' and ')}; ${rule}`];
  return [];
}

/** Whether a value is known at synth. */
function known(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** The parts of an ARN known at synth; undefined for a token or a malformed ARN (which the API then refuses). */
function splitArn(arn: string) {
  if (Token.isUnresolved(arn)) return undefined;
  try {
    return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    return undefined;
  }
}

function dimensionProblems(dimensions: CloudWatchDimension[] | undefined): string[] {
  if (dimensions === undefined) return [];
  if (dimensions.length === 0) return ['destination: cloudWatchDimensions needs at least one dimension'];
  return dimensions.flatMap((d, i) => [
    ...patternProblems(`destination: cloudWatchDimensions[${i}].name`, d.name, DIMENSION_PATTERN, DIMENSION_RULE),
    ...patternProblems(`destination: cloudWatchDimensions[${i}].defaultValue`, d.defaultValue, DIMENSION_PATTERN, DIMENSION_RULE),
  ]);
}
