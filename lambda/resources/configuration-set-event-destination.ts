import type { EventDestinationDefinition, EventType } from '@aws-sdk/client-sesv2';
import { ConfigurationSetEventDestinationAttributes, EmailApiBackends, ResourceTypes } from '../../src/private/contract';
import {
  checkSchemaVersion, InvalidProperties, optionalBoolean, optionalEnum, optionalObjectList, optionalString, RawProperties, requiredString, stringList,
} from '../decode';
import { hasErrorName, ResourceFailure, unlessNotFound } from '../errors';
import { log } from '../log';
import { isOwnedByStackOf } from '../ownership';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { requireSesV2For } from './ses-v2-options';

/** Decoded `Custom::PinpointEmailConfigurationSetEventDestination` properties. */
export interface EventDestination {
  readonly configurationSetName: string;
  readonly name: string;
  /** The definition as the API takes it, exactly one destination kind in it. */
  readonly definition: EventDestinationDefinition;
}

/** The event types that only the SES API v2 has (synth refuses them on Pinpoint Email). */
const SES_V2_EVENT_TYPES: readonly EventType[] = ['DELIVERY_DELAY', 'SUBSCRIPTION'];
const EVENT_TYPES: readonly EventType[] = ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK', 'RENDERING_FAILURE', ...SES_V2_EVENT_TYPES];
const DIMENSION_SOURCES = ['MESSAGE_TAG', 'EMAIL_HEADER', 'LINK_TAG'] as const;

/**
 * The physical id: `<set>/<name>`, and after a replacement `<set>/<name>|replaced:<physical id of the one replaced>`.
 * Neither name can contain `/` or `|` (letters, digits, `_` and `-`). The replaced part tells the rollback of this
 * resource's own replacement from a destination someone else made (docs/decisions.md), and is what the rollback
 * returns, exactly as CloudFormation knew it. It grows with each rename; past MAX_ID_LENGTH it is left out (the
 * rollback of that one replacement then fails instead of recognizing the old destination).
 */
const REPLACED = '|replaced:';
const MAX_ID_LENGTH = 1000;

interface DestinationId {
  /** `<set>/<name>` of the destination this physical id stands for. */
  readonly current: string;
  /** The physical id of the destination that this one replaced, if recorded. */
  readonly replaced?: string;
}

export const configurationSetEventDestinationHandler: ResourceHandler<EventDestination> = {
  label: 'Event destination',

  decode(raw: RawProperties): EventDestination {
    checkSchemaVersion(raw);
    return {
      configurationSetName: requiredString(raw, 'ConfigurationSetName'),
      name: requiredString(raw, 'EventDestinationName'),
      definition: decodeDefinition(raw),
    };
  },

  describe: (props) => `Event destination "${props.name}" of configuration set "${props.configurationSetName}"`,

  /**
   * One CreateConfigurationSetEventDestination. A destination of that name that already exists is this Create's own
   * only as createDestination says (a retry of this request, on a set of this stack).
   */
  async create(ctx, props) {
    await createDestination(ctx, props, undefined);
    return outcome(idOf(props));
  },

  /**
   * A new name or set is a replacement: the new destination is created (CloudFormation then deletes the old one), and
   * the physical id records the one it replaced. Otherwise one UpdateConfigurationSetEventDestination when the
   * definition changed, and no call when it did not.
   */
  async update(ctx, physicalId, props, oldProps) {
    const id = parseId(physicalId);
    if (id.current !== idOf(props)) {
      const reused = await createDestination(ctx, props, id.replaced);
      return outcome(reused ?? replacementId(props, physicalId));
    }
    if (!sameDefinition(oldProps.definition, props.definition)) {
      requireSesV2For(ctx.api, sesV2MembersOf(props.definition));
      await ctx.api.call('UpdateConfigurationSetEventDestination', {
        ConfigurationSetName: props.configurationSetName, EventDestinationName: props.name, EventDestination: props.definition,
      });
    }
    return outcome(physicalId);
  },

  owns: (physicalId, props) => parseId(physicalId).current === idOf(props),

  /**
   * One DeleteConfigurationSetEventDestination, unless another resource of the stack now holds the destination (see
   * heldByAnotherResource). NotFound, of the destination or of its configuration set (which took its destinations
   * with it), means it is gone.
   */
  async delete(ctx, _physicalId, props) {
    const holder = await heldByAnotherResource(ctx, props);
    if (holder !== undefined) {
      log('not deleting the destination: another resource of the stack holds it', { physicalId: idOf(props), logicalId: holder });
      return;
    }
    await unlessNotFound(ctx.api.call('DeleteConfigurationSetEventDestination', {
      ConfigurationSetName: props.configurationSetName, EventDestinationName: props.name,
    }));
  },
};

/**
 * Sends the create. When the name is taken, the existing destination is this resource's own, and kept as it is, when
 * one GetConfigurationSetEventDestinations shows it with exactly the wanted definition and either:
 * - it is the one that the current physical id replaced (`replaced`): in the rollback of this resource's rename or
 *   move, before CloudFormation deleted the old one, that physical id is returned, exactly as CloudFormation knew it.
 *   In a forward update (a move back onto one that UpdateReplacePolicy kept), undefined is returned, so that the new
 *   id records the one it leaves, which a rollback of this update must recognize. The stack's status tells the two
 *   apart (DescribeStacks); when it cannot be read, the rollback's answer is given;
 * - its configuration set carries this stack's ownership tag (one ListTagsForResource): the retry of this request
 *   after Lambda killed a first attempt that got as far as the create, or a destination of the stack moved to this
 *   resource (the old one's Delete then leaves it). Undefined is returned, as after a create.
 * Anything else fails, and the existing destination is left alone.
 */
async function createDestination(ctx: HandlerContext, props: EventDestination, replaced: string | undefined): Promise<string | undefined> {
  requireSesV2For(ctx.api, sesV2MembersOf(props.definition));
  try {
    await ctx.api.call('CreateConfigurationSetEventDestination', {
      ConfigurationSetName: props.configurationSetName, EventDestinationName: props.name, EventDestination: props.definition,
    });
    return undefined;
  } catch (error) {
    if (!hasErrorName(error, 'AlreadyExistsException')) throw error;
  }
  if (replaced !== undefined && parseId(replaced).current === idOf(props)) {
    if (!(await hasDefinition(ctx, props))) throw new ResourceFailure(CONFLICT);
    await exactOnPinpointEmail(ctx, props);
    if ((await ctx.stack.isRollingBack()) === false) {
      log('taking back the destination this resource replaced (a forward update)', { physicalId: idOf(props) });
      return undefined;
    }
    log('reusing the destination this resource replaced (rollback of its replacement)', { physicalId: replaced });
    return replaced;
  }
  if (!(await isOnThisStacksSet(ctx, props)) || !(await hasDefinition(ctx, props))) throw new ResourceFailure(CONFLICT);
  log('reusing the existing destination, as a retried create would (its set is this stack\'s, its definition the declared one)', { physicalId: idOf(props) });
  await exactOnPinpointEmail(ctx, props);
  return undefined;
}

/**
 * The logical id of another resource of the stack (not being deleted) whose physical id stands for this destination,
 * read with ListStackResources. A destination moved to another construct id, or declared under a name that a
 * replaced destination leaves, is taken by the new resource's create (createDestination) before CloudFormation
 * deletes the old resource or id, in the cleanup or the rollback's; that Delete must leave it. Undefined when no
 * other resource holds it, and when the stack's resources cannot be read (logged): the Delete then goes ahead.
 */
async function heldByAnotherResource(ctx: HandlerContext, props: EventDestination): Promise<string | undefined> {
  const resources = await ctx.stack.resources();
  return resources?.find((r) => r.logicalId !== ctx.logicalId && r.type === ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION &&
    r.physicalId !== undefined && parseId(r.physicalId).current === idOf(props) && !r.status.startsWith('DELETE_'))?.logicalId;
}

/**
 * Through Pinpoint Email, a Get shows none of what only SES v2 has (DELIVERY_DELAY, SUBSCRIPTION), so a match there
 * does not prove the reused destination exact: one UpdateConfigurationSetEventDestination with the declared
 * definition makes it so (the event types are replaced as a whole).
 */
async function exactOnPinpointEmail(ctx: HandlerContext, props: EventDestination): Promise<void> {
  if (ctx.api.backend === EmailApiBackends.SES_V2) return;
  await ctx.api.call('UpdateConfigurationSetEventDestination', {
    ConfigurationSetName: props.configurationSetName, EventDestinationName: props.name, EventDestination: props.definition,
  });
}

/** Whether the destination's configuration set carries the ownership tag of a resource of this stack: one ListTagsForResource. */
async function isOnThisStacksSet(ctx: HandlerContext, props: EventDestination): Promise<boolean> {
  const listed = await ctx.api.call('ListTagsForResource', { ResourceArn: arnOf(ctx.environment, 'configuration-set', props.configurationSetName) });
  return isOwnedByStackOf(listed.Tags, ctx.owner);
}

/** Whether the live destination of this name has exactly the wanted definition: one GetConfigurationSetEventDestinations. */
async function hasDefinition(ctx: HandlerContext, props: EventDestination): Promise<boolean> {
  const listed = await ctx.api.call('GetConfigurationSetEventDestinations', { ConfigurationSetName: props.configurationSetName });
  const live = (listed.EventDestinations ?? []).find((d) => d.Name === props.name);
  if (!live) return false;
  const { Name: _name, ...definition } = live;
  return sameDefinition(definition, props.definition);
}

const CONFLICT = 'already exists and is not managed by this stack resource, so it was neither adopted, changed nor deleted. ' +
  'Choose another configurationSetEventDestinationName, or remove the existing destination from the set first.';

/** What of the definition only SES v2 has: the EventBridge destination, DELIVERY_DELAY and SUBSCRIPTION. */
function sesV2MembersOf(definition: EventDestinationDefinition): string[] {
  return [
    ...definition.EventBridgeDestination ? ['EventBusArn'] : [],
    ...(definition.MatchingEventTypes ?? []).filter((type) => SES_V2_EVENT_TYPES.includes(type)),
  ];
}

/** Equal definitions: the event types as a set, `Enabled` with the API's default (false), the destination exactly. */
export function sameDefinition(a: EventDestinationDefinition, b: EventDestinationDefinition): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

function normalized(d: EventDestinationDefinition): unknown {
  return {
    Enabled: d.Enabled ?? false,
    MatchingEventTypes: [...new Set(d.MatchingEventTypes ?? [])].sort(),
    SnsDestination: d.SnsDestination && { TopicArn: d.SnsDestination.TopicArn },
    KinesisFirehoseDestination: d.KinesisFirehoseDestination && {
      IamRoleArn: d.KinesisFirehoseDestination.IamRoleArn, DeliveryStreamArn: d.KinesisFirehoseDestination.DeliveryStreamArn,
    },
    CloudWatchDestination: d.CloudWatchDestination && {
      DimensionConfigurations: (d.CloudWatchDestination.DimensionConfigurations ?? []).map((c) => ({
        DimensionName: c.DimensionName, DimensionValueSource: c.DimensionValueSource, DefaultDimensionValue: c.DefaultDimensionValue,
      })),
    },
    PinpointDestination: d.PinpointDestination && { ApplicationArn: d.PinpointDestination.ApplicationArn },
    EventBridgeDestination: d.EventBridgeDestination && { EventBusArn: d.EventBridgeDestination.EventBusArn },
  };
}

function decodeDefinition(raw: RawProperties): EventDestinationDefinition {
  const events = stringList(raw, 'MatchingEventTypes');
  const unknown = events.filter((event) => !(EVENT_TYPES as readonly string[]).includes(event));
  if (events.length === 0 || unknown.length > 0) {
    throw new InvalidProperties(`property MatchingEventTypes must list one or more of ${EVENT_TYPES.join(', ')}`);
  }
  const definition: EventDestinationDefinition = {
    Enabled: optionalBoolean(raw, 'Enabled') ?? true,
    MatchingEventTypes: events as EventType[],
    ...decodeKind(raw),
  };
  return definition;
}

/** The one destination kind of the properties. */
function decodeKind(raw: RawProperties): EventDestinationDefinition {
  const topic = optionalString(raw, 'SnsTopicArn');
  const stream = optionalString(raw, 'FirehoseDeliveryStreamArn');
  const role = optionalString(raw, 'FirehoseRoleArn');
  const dimensions = optionalObjectList(raw, 'CloudWatchDimensions', (item) => ({
    DimensionName: requiredString(item, 'DimensionName'),
    DimensionValueSource: requiredEnum(item, 'DimensionValueSource', DIMENSION_SOURCES),
    DefaultDimensionValue: requiredString(item, 'DefaultDimensionValue'),
  }));
  const application = optionalString(raw, 'PinpointApplicationArn');
  const bus = optionalString(raw, 'EventBusArn');
  const kinds: EventDestinationDefinition[] = [
    ...(topic !== undefined ? [{ SnsDestination: { TopicArn: topic } }] : []),
    ...(stream !== undefined || role !== undefined ? [{ KinesisFirehoseDestination: { DeliveryStreamArn: required(stream, 'FirehoseDeliveryStreamArn'), IamRoleArn: required(role, 'FirehoseRoleArn') } }] : []),
    ...(dimensions !== undefined ? [{ CloudWatchDestination: { DimensionConfigurations: dimensions } }] : []),
    ...(application !== undefined ? [{ PinpointDestination: { ApplicationArn: application } }] : []),
    ...(bus !== undefined ? [{ EventBridgeDestination: { EventBusArn: bus } }] : []),
  ];
  if (kinds.length !== 1) {
    throw new InvalidProperties('exactly one of SnsTopicArn, FirehoseDeliveryStreamArn (with FirehoseRoleArn), CloudWatchDimensions, ' +
      'PinpointApplicationArn and EventBusArn is required');
  }
  return kinds[0];
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new InvalidProperties(`property ${name} is required`);
  return value;
}

function requiredEnum<T extends string>(raw: RawProperties, name: string, allowed: readonly T[]): T {
  return required(optionalEnum(raw, name, allowed), name) as T;
}

function idOf(props: EventDestination): string {
  return `${props.configurationSetName}/${props.name}`;
}

function parseId(physicalId: string): DestinationId {
  const at = physicalId.indexOf(REPLACED);
  return at < 0 ? { current: physicalId } : { current: physicalId.slice(0, at), replaced: physicalId.slice(at + REPLACED.length) };
}

/** The physical id of the destination that replaces the one of `physicalId`. */
function replacementId(props: EventDestination, physicalId: string): string {
  const id = `${idOf(props)}${REPLACED}${physicalId}`;
  return id.length <= MAX_ID_LENGTH ? id : idOf(props);
}

function outcome(physicalId: string): Outcome {
  const [configurationSetName, name] = parseId(physicalId).current.split('/');
  return {
    physicalResourceId: physicalId,
    data: {
      [ConfigurationSetEventDestinationAttributes.NAME]: name,
      [ConfigurationSetEventDestinationAttributes.CONFIGURATION_SET_NAME]: configurationSetName,
    },
  };
}
