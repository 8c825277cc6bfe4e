/**
 * The ownership marker: one tag that every create call carries, so that a later create that meets an existing
 * resource can tell "created by this same stack resource" (a retried create, or the rollback of a rename) from "owned
 * by someone else" (never adopted). Its stack part also lets the handler's IAM policy grant on every resource the
 * stack created, removed ones included. The key is defined in the shared contract, because synthesis must reserve it.
 */
import { createHash } from 'crypto';
import { ListTagsForResourceCommand, PinpointEmailClient } from '@aws-sdk/client-pinpoint-email';
import { hasErrorName, ResourceFailure } from './errors';
import { log } from './log';
import { HandlerContext } from './resources/resource-handler';
import { Tags } from './tags';
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

/** The tags a create call sends: the wanted tags and the marker (which wins over any user key of the same name). */
export function withOwner(tags: Tags, owner: string): Tags {
  return { ...tags, [OWNER_TAG_KEY]: owner };
}

/** Whether a resource's live tags (as the API lists them) carry this owner's marker. */
export function isOwnedBy(liveTags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined, owner: string): boolean {
  return (liveTags ?? []).some((tag) => tag.Key === OWNER_TAG_KEY && tag.Value === owner);
}

/**
 * Whether the resource at `arn`, which a create call has just found already existing, was created by this same stack
 * resource: one ListTagsForResource.
 */
export async function createdByThisResource(client: PinpointEmailClient, arn: string, owner: string): Promise<boolean> {
  const listed = await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  return isOwnedBy(listed.Tags, owner);
}

/** A named resource whose create call answers AlreadyExistsException when the name is taken. */
export interface NamedCreate {
  /** The name, which is also the physical id. */
  readonly name: string;
  readonly arn: string;
  /** The failure when the existing resource is someone else's: it says how to import it. */
  readonly conflict: string;
}

/**
 * Sends `create`. When the name is taken, the existing resource is this stack resource's own if it carries the
 * marker (a retried create, or the rollback of a rename) and is kept as it is; otherwise the create fails with
 * `conflict` and the resource is left alone.
 */
export async function createUnlessOwned(ctx: HandlerContext, resource: NamedCreate, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!hasErrorName(error, 'AlreadyExistsException')) throw error;
    if (!(await createdByThisResource(ctx.client, resource.arn, ctx.owner))) throw new ResourceFailure(resource.conflict);
    log('reusing what this resource created before (ownership tag matches)', { physicalId: resource.name });
  }
}
