import * as fs from 'fs';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { IMPORTED_SET_IDS, IMPORTED_SETS, importedName, nameOf } from './imports';
import { Kind, maybe } from './kind';
import type { SesV2Options } from './ses-v2-options';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetEventDestination, EmailSendingEvent, EventDestination,
} from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';
import { generateName } from '../../../src/private/physical-name';

/**
 * A destination's `Ref`s and `GetAtt`s resolve as the lifecycle driver fakes them: in its account and region, a topic's
 * or role's ARN ends with its logical id (fixed here, so that the model knows the ARN).
 */
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** The fuzzer's stack (run-history.ts): generated names start with it. */
const STACK = 'Fuzz';

/** The event types of Pinpoint Email: the default of `events` on either API. */
const EVENTS = ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK', 'RENDERING_FAILURE'] as const;
/** The event types that only SES v2 has (synth refuses them on Pinpoint Email). */
const SES_V2_EVENTS = ['DELIVERY_DELAY', 'SUBSCRIPTION'] as const;
type Event = typeof EVENTS[number] | typeof SES_V2_EVENTS[number];
type Source = 'MESSAGE_TAG' | 'EMAIL_HEADER' | 'LINK_TAG';

/**
 * Where the events go: the kinds the driver can deploy. An SNS topic of the stack (two, to change it), a Firehose
 * stream (imported) with the role the construct makes or one given, CloudWatch dimensions, a Pinpoint application,
 * the default EventBridge bus of the stack's account and region (the only one SES publishes to), imported by its name
 * (`EventBus.fromEventBusName`: an ARN of pseudo parameters) or by its ARN. EventBridge and the event types
 * DELIVERY_DELAY and SUBSCRIPTION need the SES API v2: they are drawn on every version, and a version on Pinpoint
 * Email has SNS topic A instead of the bus and loses those event types (`DESTINATION_SES_V2`).
 */
export type Destination =
  | { readonly kind: 'sns'; readonly topic: 'A' | 'B' }
  | { readonly kind: 'firehose'; readonly stream: string; readonly role?: string }
  | { readonly kind: 'cloudwatch'; readonly dimensions: ReadonlyArray<{ readonly name: string; readonly source: Source; readonly defaultValue: string }> }
  | { readonly kind: 'pinpoint'; readonly app: string }
  | { readonly kind: 'eventbridge'; readonly by: 'name' | 'arn' };

export interface DestinationProps {
  /**
   * The construct id of a set of the same version (a destination without one is not declared), or `Imported0` or
   * `Imported1`: a set someone else made before the history (IMPORTED_SETS), imported by name.
   */
  readonly set: string;
  readonly name?: string;
  readonly events?: readonly Event[];
  readonly enabled?: boolean;
  readonly destination: Destination;
  // Filled by resolve: what the key and the ARNs need.
  readonly id?: string;
  /** The set's name. */
  readonly setName?: string;
  /** The destination's name: `name`, or the one the construct generates from its path. */
  readonly destinationName?: string;
}

const NAMES = ['dest-a', 'Dest_B', `d${'e'.repeat(63)}`];
const STREAMS = ['events.v1', 's'.repeat(64)];
const APPS = ['a1b2c3', 'f'.repeat(32)];
const DIMENSION_NAMES = ['ses-config', 'campaign_id', 'n'.repeat(256)];
const GIVEN_ROLE = 'ses-firehose-writer';
/** The default bus of the driver's account and region, as the driver resolves `fromEventBusName`'s pseudo parameters. */
const DEFAULT_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;

const generated = new Map<string, string>();
/** The name the construct generates for construct id `id` of the fuzzer's stack (64 characters at most). */
function generatedName(id: string): string {
  let name = generated.get(id);
  if (!name) {
    const app = new App();
    try {
      name = generateName(new Construct(new Stack(app, STACK), id), { maxLength: 64 });
    } finally {
      // The App is only for the name: its cloud assembly directory, which it makes at once, goes with it.
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
    generated.set(id, name);
  }
  return name;
}

const topicLogicalId = (id: string, topic: 'A' | 'B') => `${id}Topic${topic}`;
const roleLogicalId = (id: string) => `${id}FirehoseRole`;

const destinationArb: fc.Arbitrary<Destination> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('sns' as const), topic: fc.constantFrom('A' as const, 'B' as const) }), weight: 2 },
  fc.record({ kind: fc.constant('firehose' as const), stream: fc.constantFrom(...STREAMS), role: maybe(fc.constant(GIVEN_ROLE)) }, { requiredKeys: ['kind', 'stream'] }),
  fc.record({
    kind: fc.constant('cloudwatch' as const),
    dimensions: fc.uniqueArray(fc.record({
      name: fc.constantFrom(...DIMENSION_NAMES),
      source: fc.constantFrom<Source>('MESSAGE_TAG', 'EMAIL_HEADER', 'LINK_TAG'),
      defaultValue: fc.constantFrom('none', 'v'.repeat(256), 'x_-1'),
    }), { minLength: 1, maxLength: 3, selector: (d) => d.name }),
  }),
  fc.record({ kind: fc.constant('pinpoint' as const), app: fc.constantFrom(...APPS) }),
  fc.record({ kind: fc.constant('eventbridge' as const), by: fc.constantFrom('name' as const, 'arn' as const) }),
);

/** The destination as the API holds it (the member of its one kind). */
function definitionOf(id: string, d: Destination): Record<string, unknown> {
  switch (d.kind) {
    case 'sns': return { SnsDestination: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${topicLogicalId(id, d.topic)}` } };
    case 'firehose': return {
      KinesisFirehoseDestination: {
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/${d.role ?? roleLogicalId(id)}`,
        DeliveryStreamArn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${d.stream}`,
      },
    };
    case 'cloudwatch': return {
      CloudWatchDestination: {
        DimensionConfigurations: d.dimensions.map((x) => ({
          DimensionName: x.name, DimensionValueSource: x.source, DefaultDimensionValue: x.defaultValue,
        })),
      },
    };
    case 'pinpoint': return { PinpointDestination: { ApplicationArn: `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/${d.app}` } };
    case 'eventbridge': return { EventBridgeDestination: { EventBusArn: DEFAULT_BUS_ARN } };
  }
}

function build(stack: Stack, id: string, d: Destination): { destination: EventDestination; after?: (c: Construct) => void } {
  switch (d.kind) {
    case 'sns': {
      const topic = new sns.Topic(stack, topicLogicalId(id, d.topic));
      (topic.node.defaultChild as sns.CfnTopic).overrideLogicalId(topicLogicalId(id, d.topic));
      return { destination: EventDestination.snsTopic(topic) };
    }
    case 'firehose': {
      const stream = firehose.DeliveryStream.fromDeliveryStreamArn(stack, `${id}Stream`, `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${d.stream}`);
      const role = d.role ? iam.Role.fromRoleArn(stack, `${id}GivenRole`, `arn:aws:iam::${ACCOUNT}:role/${d.role}`, { mutable: false }) : undefined;
      return {
        destination: EventDestination.firehoseDeliveryStream(stream, { role }),
        after: role ? undefined : (c) => ((c.node.findChild('FirehoseRole').node.defaultChild) as iam.CfnRole).overrideLogicalId(roleLogicalId(id)),
      };
    }
    case 'cloudwatch': return {
      destination: EventDestination.cloudWatchDimensions(d.dimensions.map((x) => ({
        name: x.name, source: CloudWatchDimensionSource[x.source], defaultValue: x.defaultValue,
      }))),
    };
    case 'pinpoint': return { destination: EventDestination.pinpointApplication(`arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/${d.app}`) };
    case 'eventbridge': return {
      destination: EventDestination.eventBus(d.by === 'name'
        ? events.EventBus.fromEventBusName(stack, `${id}Bus`, 'default')
        : events.EventBus.fromEventBusArn(stack, `${id}Bus`, DEFAULT_BUS_ARN)),
    };
  }
}

const isSesV2Event = (e: Event): boolean => (SES_V2_EVENTS as readonly string[]).includes(e);

/**
 * On Pinpoint Email (synth refuses the rest): SNS topic A instead of the bus, and the events without DELIVERY_DELAY
 * and SUBSCRIPTION (the default, Pinpoint Email's eight, when none is left). The handler compares whole definitions
 * on either API and its Update puts the whole definition, so there is no option that stays back on Pinpoint Email:
 * no group.
 */
export const DESTINATION_SES_V2: SesV2Options<DestinationProps> = {
  props: [],
  onPinpointEmail: (p) => {
    const bus = p.destination.kind === 'eventbridge';
    const kept = p.events?.filter((e) => !isSesV2Event(e));
    if (!bus && kept?.length === p.events?.length) return p; // the same props, so that a switch alone stays one
    return { ...p, events: kept?.length ? kept : undefined, destination: bus ? { kind: 'sns', topic: 'A' } : p.destination };
  },
  groups: [],
};

/** What someone else's destinations hold (on their own sets, some named as the stack's sets and destinations). */
const FOREIGN_DEFINITION = { Enabled: true, MatchingEventTypes: ['SEND' as const], SnsDestination: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:theirs` } };

/** The destination of theirs on the first of someone else's sets (imports.ts), named as one the generator draws. */
const THEIR_DESTINATION_ON_IMPORTED_SET = NAMES[1];

const splitKey = (key: string): [string, string] => [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];

export const configurationSetEventDestination: Kind<DestinationProps> = {
  name: 'ConfigurationSetEventDestination',
  constructIds: ['Dest0', 'Dest1'],
  frequency: 0.4,
  resourceType: ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION,
  keyedBy: 'name',
  untagged: true,
  sesV2: DESTINATION_SES_V2,
  operations: [
    'CreateConfigurationSetEventDestination', 'UpdateConfigurationSetEventDestination', 'GetConfigurationSetEventDestinations',
    'DeleteConfigurationSetEventDestination', 'ListTagsForResource',
  ],
  // `<set>/<destination>`: a foreign set named as one of the stack's (or not), with a destination named as the stack's.
  names: ['set-a/dest-a', `theirs/${NAMES[2]}`],
  props: () => fc.record({
    set: fc.constantFrom('Set0', 'Set1', ...IMPORTED_SET_IDS),
    name: maybe(fc.constantFrom(...NAMES)),
    events: maybe(fc.shuffledSubarray([...EVENTS, ...SES_V2_EVENTS], { minLength: 1 })),
    enabled: maybe(fc.boolean()),
    destination: destinationArb,
  }, { requiredKeys: ['set', 'destination'] }),
  resolve: (p, id, lookup) => {
    const setName = nameOf(p.set, lookup);
    return setName === undefined ? undefined : { ...p, id, setName, destinationName: p.name ?? generatedName(id) };
  },
  key: (p) => `${p.setName}/${p.destinationName}`,
  build: (stack, id, p, retain, lookup) => {
    if (stack.stackName !== STACK || p.id !== id) throw new Error(`a destination's names and ARNs are modelled for construct ${p.id} of stack ${STACK}`);
    const { destination, after } = build(stack, id, p.destination);
    const imported = importedName(p.set);
    const construct = new ConfigurationSetEventDestination(stack, id, {
      configurationSet: imported
        ? ConfigurationSet.fromConfigurationSetName(stack, `${id}ImportedSet`, imported)
        : lookup(p.set)!.construct as ConfigurationSet,
      configurationSetEventDestinationName: p.name,
      events: p.events?.map((e) => EmailSendingEvent[e]),
      enabled: p.enabled,
      destination,
      removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
    });
    after?.(construct);
    return construct;
  },
  // The event types are a set: an update that only reorders them makes no call.
  expected: (p) => ({ enabled: p.enabled ?? true, events: [...p.events ?? EVENTS].sort(), ...definitionOf(p.id!, p.destination) }),
  tags: () => ({}),
  observe: (state) => Object.fromEntries([...state.configurationSets].flatMap(([set, r]) => [...r.eventDestinations].map(([name, d]) => {
    const { Enabled, MatchingEventTypes, ...kind } = d;
    const present = Object.fromEntries(Object.entries(kind).filter(([, v]) => v !== undefined));
    return [`${set}/${name}`, { options: { enabled: Enabled ?? false, events: [...MatchingEventTypes ?? []].sort(), ...present }, tags: {} }];
  }))),
  seedForeign: (state, key, tags) => {
    const [set, name] = splitKey(key);
    const record = state.configurationSets.get(set) ?? state.addConfigurationSet(set, { tags: { ...tags } });
    record.eventDestinations.set(name, structuredClone(FOREIGN_DEFINITION));
  },
  seed: (state, foreignTags) => {
    for (const set of IMPORTED_SETS) state.addConfigurationSet(set, { tags: { ...foreignTags } });
    state.configurationSets.get(IMPORTED_SETS[0])!.eventDestinations.set(THEIR_DESTINATION_ON_IMPORTED_SET, structuredClone(FOREIGN_DEFINITION));
  },
  seededForeign: [
    ...IMPORTED_SETS.map((name) => ({ kind: 'ConfigurationSet', name })),
    { kind: 'ConfigurationSetEventDestination', name: `${IMPORTED_SETS[0]}/${THEIR_DESTINATION_ON_IMPORTED_SET}` },
  ],
  parentOf: (key) => ({ kind: 'ConfigurationSet', key: splitKey(key)[0] }),
  keyOfPhysicalId: (physicalId) => physicalId.split('|')[0],
};
