import {
  BehaviorOnMxFailure,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  GetEmailIdentityCommandOutput,
  PinpointEmailClient,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityFeedbackAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
} from '@aws-sdk/client-pinpoint-email';
import { EmailIdentityAttributes } from '../../src/private/contract';
import { ApiError } from '../api';
import { checkSchemaVersion, optionalBoolean, optionalEnum, optionalString, RawProperties, requiredString, tagMap } from '../decode';
import { ResourceFailure, unlessNotFound } from '../errors';
import { log } from '../log';
import { isOwnedBy, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';

/** Decoded `Custom::PinpointEmailIdentity` properties; undefined options take the API's defaults. */
export interface EmailIdentity {
  /** The email address or domain, which is also the physical id. */
  readonly identity: string;
  readonly dkimSigningEnabled?: boolean;
  readonly feedbackForwardingEnabled?: boolean;
  readonly mailFromDomain?: string;
  readonly mailFromBehaviorOnMxFailure?: BehaviorOnMxFailure;
  readonly tags: Tags;
}

const BEHAVIORS: readonly BehaviorOnMxFailure[] = ['USE_DEFAULT_VALUE', 'REJECT_MESSAGE'];

// The API's defaults for a new identity: DKIM signing and feedback forwarding on, no custom MAIL FROM domain.
const DEFAULT_DKIM_SIGNING = true;
const DEFAULT_FEEDBACK_FORWARDING = true;
const DEFAULT_BEHAVIOR_ON_MX_FAILURE: BehaviorOnMxFailure = 'USE_DEFAULT_VALUE';

/** One Put operation: whether its inputs differ between two versions, and the call that applies the new one. */
interface AttributeGroup {
  differs(a: EmailIdentity, b: EmailIdentity): boolean;
  put(client: PinpointEmailClient, identity: string, props: EmailIdentity): Promise<unknown>;
}

// Compared with the API's defaults filled in, so that removing an option restores its default, and so that a new
// identity (compared with NEW_IDENTITY) gets only the Put calls whose values differ from what CreateEmailIdentity set.
const ATTRIBUTE_GROUPS: AttributeGroup[] = [
  {
    differs: (a, b) => (a.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING) !== (b.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING),
    put: (client, identity, p) => client.send(new PutEmailIdentityDkimAttributesCommand({
      EmailIdentity: identity, SigningEnabled: p.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING,
    })),
  },
  {
    differs: (a, b) => (a.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING) !== (b.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING),
    put: (client, identity, p) => client.send(new PutEmailIdentityFeedbackAttributesCommand({
      EmailIdentity: identity, EmailForwardingEnabled: p.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING,
    })),
  },
  {
    // The behavior only means something with a MAIL FROM domain; without one, the Put removes the custom domain.
    differs: (a, b) => a.mailFromDomain !== b.mailFromDomain || mailFromBehavior(a) !== mailFromBehavior(b),
    put: (client, identity, p) => client.send(new PutEmailIdentityMailFromAttributesCommand({
      EmailIdentity: identity,
      MailFromDomain: p.mailFromDomain,
      BehaviorOnMxFailure: p.mailFromDomain !== undefined ? mailFromBehavior(p) : undefined,
    })),
  },
];

/** What CreateEmailIdentity leaves: every attribute at its default. */
const NEW_IDENTITY: EmailIdentity = { identity: '', tags: {} };

function mailFromBehavior(props: EmailIdentity): BehaviorOnMxFailure | undefined {
  return props.mailFromDomain === undefined ? undefined : props.mailFromBehaviorOnMxFailure ?? DEFAULT_BEHAVIOR_ON_MX_FAILURE;
}

export const emailIdentityHandler: ResourceHandler<EmailIdentity> = {
  label: 'Email identity',

  decode(raw: RawProperties): EmailIdentity {
    checkSchemaVersion(raw);
    return {
      identity: requiredString(raw, 'EmailIdentity'),
      dkimSigningEnabled: optionalBoolean(raw, 'DkimSigningEnabled'),
      feedbackForwardingEnabled: optionalBoolean(raw, 'FeedbackForwardingEnabled'),
      mailFromDomain: optionalString(raw, 'MailFromDomain'),
      mailFromBehaviorOnMxFailure: optionalEnum(raw, 'MailFromBehaviorOnMxFailure', BEHAVIORS),
      tags: tagMap(raw),
    };
  },

  describe: (props) => `Email identity "${props.identity}"`,

  /**
   * GetEmailIdentity first: CreateEmailIdentity succeeds on an existing identity, so only the read can tell.
   * - Absent: CreateEmailIdentity with the tags and the ownership marker, then only the Put calls whose values differ
   *   from the new identity's defaults. A failed Put deletes the new identity before the create fails.
   * - Present with this resource's ownership marker (a retried create, or the rollback of a rename): the Put calls whose
   *   live values differ from the wanted ones (a first attempt may have stopped between the create and its Puts).
   * - Present without it: the create fails, and the identity is neither adopted nor changed.
   */
  async create(ctx, props) {
    const existing = await findIdentity(ctx.client, props.identity);
    if (existing) return reuseOwnIdentity(ctx, props, existing);
    const created = await ctx.client.send(new CreateEmailIdentityCommand({
      EmailIdentity: props.identity,
      Tags: toTagList(withOwner(props.tags, ctx.owner)),
    }));
    try {
      await putDifferences(ctx.client, props.identity, NEW_IDENTITY, props);
    } catch (error) {
      await deleteAfterFailure(ctx.client, props.identity, error);
      throw error;
    }
    return outcome(ctx, props.identity, created.IdentityType, created.DkimAttributes?.Tokens);
  },

  /**
   * A new identity is a replacement. Otherwise one GetEmailIdentity (it fails clearly if the identity vanished, and
   * gives the DKIM tokens that the response must carry again and the live tags), the Put calls whose values changed,
   * and at most one UntagResource and one TagResource.
   */
  async update(ctx, physicalId, props, oldProps) {
    if (props.identity !== physicalId) return this.create(ctx, props);
    const live = await ctx.client.send(new GetEmailIdentityCommand({ EmailIdentity: physicalId }));
    // The rollback of a replacement that failed before it created anything: the old properties describe the identity
    // that was never created, not this one, so the live attributes are what the wanted ones are compared with.
    const from = oldProps.identity === physicalId ? oldProps : liveAttributes(live, props);
    await putDifferences(ctx.client, physicalId, from, props);
    await reconcileTags(ctx.client, arn(ctx, physicalId), oldProps.tags, props.tags, liveTags(live));
    return outcome(ctx, physicalId, live.IdentityType, live.DkimAttributes?.Tokens);
  },

  owns: (physicalId, props) => physicalId === props.identity,

  async delete(ctx, physicalId) {
    await unlessNotFound(ctx.client.send(new DeleteEmailIdentityCommand({ EmailIdentity: physicalId })));
  },
};

/** The identity as GetEmailIdentity reads it, or undefined when it does not exist. */
function findIdentity(client: PinpointEmailClient, identity: string): Promise<GetEmailIdentityCommandOutput | undefined> {
  return unlessNotFound(client.send(new GetEmailIdentityCommand({ EmailIdentity: identity })));
}

/** An existing identity: this resource's own (its marker) is brought to the wanted attributes; any other one fails the create. */
async function reuseOwnIdentity(ctx: HandlerContext, props: EmailIdentity, live: GetEmailIdentityCommandOutput): Promise<Outcome> {
  if (!isOwnedBy(live.Tags, ctx.owner)) {
    throw new ResourceFailure(
      'already exists and is not managed by this stack, so it was neither adopted nor changed. Remove it from the stack ' +
      `and use the existing one with EmailIdentity.fromEmailIdentityName(this, 'Imported', '${props.identity}').`);
  }
  log('reusing the email identity this resource created before (ownership tag matches)', { physicalId: props.identity });
  await putDifferences(ctx.client, props.identity, liveAttributes(live, props), props);
  return outcome(ctx, props.identity, live.IdentityType, live.DkimAttributes?.Tokens);
}

/**
 * The live attributes in the decoded shape, to compare with `props`. An attribute the properties leave unset keeps
 * whatever the API gave the identity (as after a fresh create), so it is copied from `props` and never differs.
 */
function liveAttributes(live: GetEmailIdentityCommandOutput, props: EmailIdentity): EmailIdentity {
  return {
    identity: props.identity,
    dkimSigningEnabled: props.dkimSigningEnabled === undefined ? undefined : live.DkimAttributes?.SigningEnabled,
    feedbackForwardingEnabled: props.feedbackForwardingEnabled === undefined ? undefined : live.FeedbackForwardingStatus,
    mailFromDomain: live.MailFromAttributes?.MailFromDomain,
    mailFromBehaviorOnMxFailure: live.MailFromAttributes?.BehaviorOnMxFailure,
    tags: {},
  };
}

async function putDifferences(client: PinpointEmailClient, identity: string, from: EmailIdentity, to: EmailIdentity): Promise<void> {
  for (const group of ATTRIBUTE_GROUPS) {
    if (group.differs(from, to)) await group.put(client, identity, to);
  }
}

/** Deletes an identity this event has just created; if that fails too, the failure says so, since the identity now leaks. */
async function deleteAfterFailure(client: PinpointEmailClient, identity: string, cause: unknown): Promise<void> {
  try {
    await client.send(new DeleteEmailIdentityCommand({ EmailIdentity: identity }));
  } catch (cleanupError) {
    throw new ResourceFailure(
      `${summary(cause)}; deleting the identity just created also failed (${summary(cleanupError)}): delete it by hand before retrying`);
  }
}

function summary(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const operation = (error as ApiError).operation;
  return `${operation ? `${operation} failed: ` : ''}${error.name}: ${error.message}`;
}

/** The live tags that GetEmailIdentity returns, which spare the tag reconciliation a read. */
function liveTags(live: GetEmailIdentityCommandOutput): Tags {
  return Object.fromEntries((live.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

function arn(ctx: HandlerContext, identity: string): string {
  return arnOf(ctx.environment, 'identity', identity);
}

/** Name, ARN, type and the three DKIM tokens; the tokens are empty strings when there are none (email addresses), so GetAtt never fails. */
function outcome(ctx: HandlerContext, identity: string, identityType: string | undefined, tokens: string[] | undefined): Outcome {
  const token = (i: number): string => tokens?.[i] ?? '';
  return {
    physicalResourceId: identity,
    data: {
      [EmailIdentityAttributes.NAME]: identity,
      [EmailIdentityAttributes.ARN]: arn(ctx, identity),
      [EmailIdentityAttributes.IDENTITY_TYPE]: identityType ?? (identity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN'),
      [EmailIdentityAttributes.DKIM_TOKEN_1]: token(0),
      [EmailIdentityAttributes.DKIM_TOKEN_2]: token(1),
      [EmailIdentityAttributes.DKIM_TOKEN_3]: token(2),
    },
  };
}
