/**
 * The ownership marker: one tag that every create call carries, so that a later create that meets an existing
 * resource can tell "created by this same stack resource" (a retried create, or the rollback of a rename) from "owned
 * by someone else" (never adopted). Its stack part also lets the handler's IAM policy grant on every resource the
 * stack created, removed ones included. The key is defined in the shared contract, because synthesis must reserve it.
 */
import { createHash } from 'crypto';
import { EmailApi } from './email-api';
import { hasErrorName, ResourceFailure, unlessNotFound } from './errors';
import { log } from './log';
import { HandlerContext } from './resources/resource-handler';
import { diffTags, Tags, toTagList } from './tags';
import { OWNER_MARKER_STACK_SEPARATOR, OWNER_TAG_KEY } from '../src/private/contract';

export { OWNER_TAG_KEY };

const MARKER_HEX_LENGTH = 32;

/**
 * The marker of one custom resource of one stack: `<stack uuid>:<hash>`, where the stack uuid is the last part of the
 * `StackId` (`arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`) and the hash is the first 32
 * hex characters of sha256(`<StackId>/<LogicalResourceId>`). Ownership checks compare the whole value; the handler's
 * IAM policy matches the prefix `<stack uuid>:*` (src/private/handler-policy.ts builds it from `AWS::StackId` as
 * `Fn::Select [2, Fn::Split ["/", StackId]]`, the same part taken here), so it can act on every resource the stack
 * created. 69 characters of hex digits, `-` and `:`, all allowed in a tag value.
 */
export function ownerMarker(stackId: string, logicalResourceId: string): string {
  const hash = createHash('sha256').update(`${stackId}/${logicalResourceId}`).digest('hex').slice(0, MARKER_HEX_LENGTH);
  return `${stackUuid(stackId)}${OWNER_MARKER_STACK_SEPARATOR}${hash}`;
}

/** The part of a `StackId` that the policy's condition takes: the third `/`-separated part (empty if there is none). */
export function stackUuid(stackId: string): string {
  return stackId.split('/')[2] ?? '';
}

/**
 * The value of the ownership tag a create call sends: the marker, and the CloudFormation RequestId of the create, so
 * that a later create meeting the resource can tell "created by this very request" (a retry) from "mine from before"
 * (a leftover, or the old name of a rename). The policy's condition matches the marker's prefix, so it still holds.
 */
export function ownerValue(ctx: { readonly owner: string; readonly requestId: string }, flags: string = ''): string {
  return `${ctx.owner} request=${ctx.requestId}${flags}`;
}

/**
 * The flag of a take-back from `name` (see ownerValue): a digest of the name, since a name of up to 253 characters
 * after the marker and the RequestId would not fit in the 256 characters of a tag value.
 */
export function takenFlag(name: string): string {
  return ` taken=${nameDigest(name)}`;
}

function nameDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, MARKER_HEX_LENGTH);
}

/** The tags a create call sends: the wanted tags and the ownership tag (which wins over any user key of the same name). */
export function withOwner(tags: Tags, owner: string): Tags {
  return { ...tags, [OWNER_TAG_KEY]: owner };
}

/** What an ownership tag says (see ownerValue and markOwn). */
export interface OwnerState {
  readonly owner: string;
  /** The RequestId of the create that made the resource (absent in the tags of older versions). */
  readonly request?: string;
  /** The digest of the name this resource was taken back from by a rename (the physical id the update moved away from). */
  readonly takenFrom?: string;
  /** The resource existed before the update that took it back, which was rolled back: its Delete must keep it. */
  readonly released: boolean;
}

export function ownerState(liveTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): OwnerState | undefined {
  const value = (liveTags ?? []).find((tag) => tag.Key === OWNER_TAG_KEY)?.Value;
  if (!value) return undefined;
  const [owner, ...fields] = value.split(' ');
  const field = (name: string) => fields.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
  return { owner, request: field('request'), takenFrom: field('taken'), released: fields.includes('released') };
}

/** Whether a resource's live tags (as the API lists them) carry this owner's marker. */
export function isOwnedBy(liveTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined, owner: string): boolean {
  return ownerState(liveTags)?.owner === owner;
}

/**
 * Whether a resource's live tags carry the marker of any resource of the stack that `owner` (a marker) belongs to:
 * the stack part of both, `<stack uuid>:`, is the same. False when `owner` has no stack part.
 */
export function isOwnedByStackOf(liveTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined, owner: string): boolean {
  const stackPart = owner.slice(0, owner.indexOf(OWNER_MARKER_STACK_SEPARATOR) + 1);
  if (stackPart.length <= OWNER_MARKER_STACK_SEPARATOR.length) return false;
  return ownerState(liveTags)?.owner.startsWith(stackPart) ?? false;
}

/** A named resource whose create call answers AlreadyExistsException when the name is taken. */
export interface NamedCreate {
  /** The name, which is also the physical id. */
  readonly name: string;
  readonly arn: string;
  /** The failure when the existing resource is someone else's: it says how to import it. */
  readonly conflict: string;
  /** How to import it, for the failure when it is a leftover of this resource met by a create. */
  readonly importHint: string;
  /** The ARN of the resource a rename moves from (the `replacing` of createUnlessOwned). */
  readonly replacingArn?: string;
  /** Brings an existing resource, whose live tags are given, to exactly the declared options and tags, marker included. */
  takeBack(liveTags: Tags, marker: string): Promise<void>;
}

/**
 * The NamedCreate of a set or pool named `name` (physical id and name), imported with `importCall` (for example
 * `ConfigurationSet.fromConfigurationSetName`), whose name is the prop `prop`.
 */
export function namedCreate(options: {
  readonly name: string;
  readonly replacing?: string;
  readonly arnOf: (name: string) => string;
  readonly prop: string;
  readonly importCall: string;
  readonly takeBack: NamedCreate['takeBack'];
}): NamedCreate {
  const importHint = `${options.importCall}(this, 'Imported', '${options.name}')`;
  return {
    name: options.name,
    arn: options.arnOf(options.name),
    replacingArn: options.replacing === undefined ? undefined : options.arnOf(options.replacing),
    conflict: 'already exists and is not managed by this stack, so it was neither adopted nor changed. Choose another ' +
      `${options.prop}, or use the existing one with ${importHint}.`,
    importHint,
    takeBack: options.takeBack,
  };
}

/**
 * Sends `create`. When the name is taken by a resource with this stack resource's marker:
 * - made by this very request (a retry after the create had succeeded): kept as it is, since that create carried
 *   every option and tag;
 * - made before, and this is a rename (`replacing`, the physical id the update moves from: a rename back to a
 *   retained name, or the rollback of a rename): taken back, brought to exactly the declared state against the live
 *   resource and marked as taken from `replacing`. If `replacing` was itself taken from this name, this is the
 *   rollback of that take-back: `replacing` existed before it, so it is released and its Delete keeps it;
 * - made before, and met by a Create (a resource retained and removed from the app, or whose Delete failed): the
 *   create fails, saying so, and nothing is changed; a rollback then has nothing to delete.
 * Anything else fails with `conflict` and is left alone.
 */
export async function createUnlessOwned(
  ctx: HandlerContext, resource: NamedCreate, create: () => Promise<unknown>, replacing?: string,
): Promise<void> {
  try {
    await create();
    return;
  } catch (error) {
    if (!hasErrorName(error, 'AlreadyExistsException')) throw error;
  }
  const listed = await ctx.api.call('ListTagsForResource', { ResourceArn: resource.arn });
  const state = ownerState(listed.Tags);
  if (state?.owner !== ctx.owner) throw new ResourceFailure(resource.conflict);
  if (state.request === ctx.requestId) {
    log('reusing what this very request created before (ownership tag matches)', { physicalId: resource.name });
    return;
  }
  if (replacing === undefined) throw new ResourceFailure(leftoverMessage(resource.importHint));
  log('taking back what this resource created before, with the declared options and tags', { physicalId: resource.name });
  await resource.takeBack(tagRecord(listed.Tags), ownerValue(ctx, takenFlag(replacing)));
  await releaseIfTakenFrom(ctx, resource.replacingArn!, resource.name, await listTags(ctx, resource.replacingArn!));
}

/** The failure of a create that meets a leftover of its own resource. */
export function leftoverMessage(importHint: string): string {
  return 'already exists and carries this stack resource\'s ownership tag from before: it was left in the account by ' +
    'RemovalPolicy.RETAIN, a rename, or a delete that failed. It was neither taken back nor changed, so that no rollback ' +
    `can delete it. Delete it and deploy again, or use it with ${importHint}.`;
}

/**
 * After taking back `name` from `replacing`: when `replacing` (the resource the update moves away from) was itself
 * taken back from `name` and the stack is rolling back, this update is the rollback of that take-back, and `replacing`
 * existed before it. Marks it released, so that the Delete CloudFormation sends next keeps it. `replacingTags` are its
 * live tags. The flag outlives its deploy: in a forward update it is that of an earlier one, and `replacing` is the
 * stack's to delete. A status that cannot be read releases: keeping is the side that destroys nothing.
 */
export async function releaseIfTakenFrom(
  ctx: HandlerContext, replacingArn: string, name: string, replacingTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
): Promise<void> {
  const state = ownerState(replacingTags);
  if (state?.owner !== ctx.owner || state.takenFrom !== nameDigest(name)) return;
  if (await ctx.stack.isRollingBack() === false) {
    log('a forward update: the resource it moves from was taken back by an earlier deploy, and is not released', { physicalId: replacingArn });
    return;
  }
  log('the rollback of a take-back: the resource existed before it, and its Delete will keep it', { physicalId: replacingArn });
  await ctx.api.call('TagResource', {
    ResourceArn: replacingArn, Tags: [{ Key: OWNER_TAG_KEY, Value: `${state.owner} request=${state.request ?? ''} released` }],
  });
}

/**
 * Whether a Delete must keep the resource: it carries this resource's marker, released by the rollback of the update
 * that took it back. Then its marker is removed (it is no longer this stack's) and the resource stays.
 */
export async function keptByRelease(
  ctx: HandlerContext, arn: string, liveTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
): Promise<boolean> {
  const state = ownerState(liveTags);
  if (state?.owner !== ctx.owner || !state.released) return false;
  log('kept: it existed before the update that took it back, which was rolled back', { physicalId: arn });
  await ctx.api.call('UntagResource', { ResourceArn: arn, TagKeys: [OWNER_TAG_KEY] });
  return true;
}

/**
 * The Delete of a set or pool: its tags first (one ListTagsForResource), then `deleteIt` unless it is gone or kept by
 * keptByRelease.
 */
export async function deleteUnlessReleased(ctx: HandlerContext, arn: string, deleteIt: () => Promise<unknown>): Promise<void> {
  const tags = await listTags(ctx, arn);
  if (tags === undefined || await keptByRelease(ctx, arn, tags)) return;
  await unlessNotFound(deleteIt());
}

/** The live tags of `arn`; undefined when it does not exist. */
async function listTags(ctx: HandlerContext, arn: string): Promise<Array<{ Key?: string; Value?: string }> | undefined> {
  const listed = await unlessNotFound(ctx.api.call('ListTagsForResource', { ResourceArn: arn }));
  return listed ? listed.Tags ?? [] : undefined;
}

/**
 * Makes the live tags exactly `wanted` plus the ownership tag `marker`: every other key but reserved ones removed, at
 * most one UntagResource and one TagResource. Used when taking a resource back, whose previous tags are unknown.
 */
export async function replaceTags(api: EmailApi, arn: string, live: Tags, wanted: Tags, marker: string): Promise<void> {
  const diff = diffTags(live, wanted, live);
  if (diff.untag.length > 0) await api.call('UntagResource', { ResourceArn: arn, TagKeys: diff.untag });
  await api.call('TagResource', { ResourceArn: arn, Tags: toTagList({ ...diff.tag, [OWNER_TAG_KEY]: marker }) });
}

export function tagRecord(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Tags {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
