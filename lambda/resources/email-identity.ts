import type { BehaviorOnMxFailure, DkimSigningKeyLength } from '@aws-sdk/client-sesv2';
import { EmailIdentityAttributes } from '../../src/private/contract';
import { ApiError } from '../api';
import {
  asObject, checkSchemaVersion, isLenient, optionalBoolean, optionalEnum, optionalString, RawProperties, requiredString, tagMap, UNREADABLE,
} from '../decode';
import { PrivateKeySource, readPrivateKey, withoutKeyInErrors } from '../dkim-private-key';
import { EmailApi, InputOf, OutputOf } from '../email-api';
import { ResourceFailure, unlessNotFound } from '../errors';
import { log } from '../log';
import { keptByRelease, leftoverMessage, ownerState, ownerValue, releaseIfTakenFrom, replaceTags, takenFlag, withOwner } from '../ownership';
import { reconcileTags, Tags, toTagList } from '../tags';
import { arnOf, HandlerContext, Outcome, ResourceHandler } from './resource-handler';
import { optionsSet, previousOn, requireSesV2For } from './ses-v2-options';

/** Decoded `Custom::PinpointEmailIdentity` properties; undefined options take the API's defaults. */
export interface EmailIdentity {
  /** The email address or domain, which is also the physical id. */
  readonly identity: string;
  readonly dkimSigningEnabled?: boolean;
  readonly feedbackForwardingEnabled?: boolean;
  readonly mailFromDomain?: string;
  readonly mailFromBehaviorOnMxFailure?: BehaviorOnMxFailure;
  /** SES v2 only: the default configuration set. */
  readonly configurationSetName?: string;
  /** SES v2 only: Easy DKIM's next key length; meaningless with BYODKIM. */
  readonly dkimSigningKeyLength?: DkimSigningKeyLength;
  /** SES v2 only: Bring Your Own DKIM instead of Easy DKIM. */
  readonly byoDkim?: ByoDkim;
  readonly tags: Tags;
}

/** BYODKIM: the selector, and where the private key is read at deploy time (never the key). */
export interface ByoDkim {
  readonly selector: string;
  readonly privateKey: PrivateKeySource;
}

const BEHAVIORS: readonly BehaviorOnMxFailure[] = ['USE_DEFAULT_VALUE', 'REJECT_MESSAGE'];
const KEY_LENGTHS: readonly DkimSigningKeyLength[] = ['RSA_1024_BIT', 'RSA_2048_BIT'];

// The API's defaults for a new identity: DKIM signing and feedback forwarding on, no custom MAIL FROM domain.
const DEFAULT_DKIM_SIGNING = true;
const DEFAULT_FEEDBACK_FORWARDING = true;
const DEFAULT_BEHAVIOR_ON_MX_FAILURE: BehaviorOnMxFailure = 'USE_DEFAULT_VALUE';
// SES v2: Easy DKIM with 2048-bit keys [unverified: the SES developer guide's default; the model names none], no
// default configuration set.
const DEFAULT_SIGNING_KEY_LENGTH: DkimSigningKeyLength = 'RSA_2048_BIT';

/** BYODKIM whose source cannot be known (unreadable old properties, a live identity): it differs from any declared one. */
const UNKNOWN_BYO_DKIM: ByoDkim = { selector: UNREADABLE, privateKey: { secretArn: UNREADABLE } };

/** One Put operation: whether its inputs differ between two versions, and the call that applies the new one. */
interface AttributeGroup {
  differs(a: EmailIdentity, b: EmailIdentity): boolean;
  put(ctx: HandlerContext, identity: string, props: EmailIdentity): Promise<unknown>;
}

// Compared with the API's defaults filled in, so that removing an option restores its default, and so that a new
// identity (compared with createdWith) gets only the Put calls whose values differ from what CreateEmailIdentity set.
const ATTRIBUTE_GROUPS: AttributeGroup[] = [
  {
    differs: (a, b) => (a.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING) !== (b.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING),
    put: (ctx, identity, p) => ctx.api.call('PutEmailIdentityDkimAttributes', {
      EmailIdentity: identity, SigningEnabled: p.dkimSigningEnabled ?? DEFAULT_DKIM_SIGNING,
    }),
  },
  {
    // How DKIM signs: BYODKIM (a changed selector or key source reads the key again), or Easy DKIM with its key length;
    // removing BYODKIM returns to Easy DKIM. Only domains have signing attributes.
    differs: (a, b) => !isAddress(b.identity) && signingOf(a) !== signingOf(b),
    put: (ctx, identity, p) => putSigningAttributes(ctx, identity, p),
  },
  {
    differs: (a, b) => (a.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING) !== (b.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING),
    put: (ctx, identity, p) => ctx.api.call('PutEmailIdentityFeedbackAttributes', {
      EmailIdentity: identity, EmailForwardingEnabled: p.feedbackForwardingEnabled ?? DEFAULT_FEEDBACK_FORWARDING,
    }),
  },
  {
    // The behavior only means something with a MAIL FROM domain; without one, the Put removes the custom domain.
    differs: (a, b) => a.mailFromDomain !== b.mailFromDomain || mailFromBehavior(a) !== mailFromBehavior(b),
    put: (ctx, identity, p) => ctx.api.call('PutEmailIdentityMailFromAttributes', {
      EmailIdentity: identity,
      MailFromDomain: p.mailFromDomain,
      BehaviorOnMxFailure: p.mailFromDomain !== undefined ? mailFromBehavior(p) : undefined,
    }),
  },
  {
    // Without a name, the Put removes the default configuration set.
    differs: (a, b) => a.configurationSetName !== b.configurationSetName,
    put: (ctx, identity, p) => ctx.api.call('PutEmailIdentityConfigurationSetAttributes', {
      EmailIdentity: identity, ConfigurationSetName: p.configurationSetName,
    }),
  },
];

/** What CreateEmailIdentity leaves: every attribute at its default, but those the create call carries (createOptions). */
function createdWith(props: EmailIdentity): EmailIdentity {
  return {
    identity: props.identity,
    configurationSetName: props.configurationSetName,
    dkimSigningKeyLength: props.dkimSigningKeyLength,
    byoDkim: props.byoDkim,
    tags: {},
  };
}

/** The DKIM signing attributes as one comparable value, with the API's default filled in. */
function signingOf(props: EmailIdentity): string {
  const byo = props.byoDkim;
  if (byo === undefined) return JSON.stringify(['AWS_SES', props.dkimSigningKeyLength ?? DEFAULT_SIGNING_KEY_LENGTH]);
  const key = byo.privateKey;
  return JSON.stringify(['EXTERNAL', byo.selector, key.secretArn, key.jsonField ?? null, key.versionId ?? null, key.versionStage ?? null]);
}

/** BYODKIM with the key read from its secret now, or Easy DKIM with its key length. */
async function putSigningAttributes(ctx: HandlerContext, identity: string, props: EmailIdentity): Promise<unknown> {
  const byo = props.byoDkim;
  if (byo === undefined) {
    return ctx.api.call('PutEmailIdentityDkimSigningAttributes', {
      EmailIdentity: identity,
      SigningAttributesOrigin: 'AWS_SES',
      SigningAttributes: { NextSigningKeyLength: props.dkimSigningKeyLength ?? DEFAULT_SIGNING_KEY_LENGTH },
    });
  }
  const key = await readPrivateKey(ctx.secrets, byo.privateKey);
  return withoutKeyInErrors(ctx.api.call('PutEmailIdentityDkimSigningAttributes', {
    EmailIdentity: identity,
    SigningAttributesOrigin: 'EXTERNAL',
    SigningAttributes: { DomainSigningSelector: byo.selector, DomainSigningPrivateKey: key },
  }), key);
}

/**
 * The members CreateEmailIdentity carries beyond the name and tags: the default configuration set, and the DKIM signing
 * attributes (BYODKIM with the key read now, or Easy DKIM's key length). None when unset, as before SES v2.
 */
function createOptions(props: EmailIdentity, key: string | undefined): Pick<InputOf<'CreateEmailIdentity'>, 'ConfigurationSetName' | 'DkimSigningAttributes'> {
  const signing = props.byoDkim
    ? { DomainSigningSelector: props.byoDkim.selector, DomainSigningPrivateKey: key }
    : props.dkimSigningKeyLength && { NextSigningKeyLength: props.dkimSigningKeyLength };
  return {
    ...(props.configurationSetName !== undefined ? { ConfigurationSetName: props.configurationSetName } : {}),
    ...(signing ? { DkimSigningAttributes: signing } : {}),
  };
}

/** The options that only the SES API v2 has (see previousOn). */
const SES_V2_OPTIONS = ['configurationSetName', 'dkimSigningKeyLength', 'byoDkim'] as const;

function isAddress(identity: string): boolean {
  return identity.includes('@');
}

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
      configurationSetName: optionalString(raw, 'ConfigurationSetName'),
      dkimSigningKeyLength: optionalEnum(raw, 'DkimSigningKeyLength', KEY_LENGTHS),
      byoDkim: optionalByoDkim(raw),
      tags: tagMap(raw),
    };
  },

  describe: (props) => `Email identity "${props.identity}"`,

  /**
   * GetEmailIdentity first: CreateEmailIdentity succeeds on an existing identity, so only the read can tell.
   * - Absent: CreateEmailIdentity with the tags and the ownership tag, then only the Put calls whose values differ
   *   from the new identity's defaults. A failed Put deletes the new identity before the create fails.
   * - Present with this resource's ownership tag: see reuseOwnIdentity.
   * - Present without it: the create fails, and the identity is neither adopted nor changed.
   */
  create: (ctx, props) => createIdentity(ctx, props, undefined),
  /**
   * A new identity is a replacement. Otherwise one GetEmailIdentity (it fails clearly if the identity vanished, and
   * gives the DKIM tokens that the response must carry again and the live tags), the Put calls whose values changed,
   * and at most one UntagResource and one TagResource.
   */
  async update(ctx, physicalId, props, oldProps) {
    // SES names domains case-insensitively: a change of case only is the same identity, updated in place under the
    // name it was created with (a replacement would make the cleanup delete the identity still in use).
    if (!sameIdentity(props.identity, physicalId)) return createIdentity(ctx, props, physicalId);
    requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
    const live = await ctx.api.call('GetEmailIdentity', { EmailIdentity: physicalId });
    // The rollback of a replacement that failed before it created anything: the old properties describe the identity
    // that was never created, not this one, so the live attributes are what the wanted ones are compared with.
    const from = sameIdentity(oldProps.identity, physicalId) ? oldProps : liveAttributes(live, props);
    await putDifferences(ctx, physicalId, previousOn(ctx.api, from, SES_V2_OPTIONS), props);
    await reconcileTags(ctx.api, arn(ctx, physicalId), oldProps.tags, props.tags, liveTags(live));
    return outcome(ctx, physicalId, live);
  },

  owns: (physicalId, props) => sameIdentity(physicalId, props.identity),

  /** Reads the identity first: one released by the rollback of its take-back existed before, and is kept. */
  async delete(ctx, physicalId) {
    const live = await findIdentity(ctx.api, physicalId);
    if (!live || await keptByRelease(ctx, arn(ctx, physicalId), live.Tags)) return;
    await unlessNotFound(ctx.api.call('DeleteEmailIdentity', { EmailIdentity: physicalId }));
  },
};

function optionalByoDkim(raw: RawProperties): ByoDkim | undefined {
  const value = raw.ByoDkim;
  if (value === undefined || value === null) return undefined;
  if (isLenient() && (typeof value !== 'object' || Array.isArray(value))) return UNKNOWN_BYO_DKIM;
  const byo = asObject(value, 'property ByoDkim');
  return {
    selector: requiredString(byo, 'Selector'),
    privateKey: {
      secretArn: requiredString(byo, 'PrivateKeySecretArn'),
      jsonField: optionalString(byo, 'PrivateKeyJsonField'),
      versionId: optionalString(byo, 'PrivateKeyVersionId'),
      versionStage: optionalString(byo, 'PrivateKeyVersionStage'),
    },
  };
}

/** Whether two names are the same identity: domains (alone or after an address's `@`) compare without regard to case. */
export function sameIdentity(a: string, b: string): boolean {
  return canonicalIdentity(a) === canonicalIdentity(b);
}

function canonicalIdentity(name: string): string {
  const at = name.lastIndexOf('@');
  return at < 0 ? name.toLowerCase() : `${name.slice(0, at)}@${name.slice(at + 1).toLowerCase()}`;
}

/** The identity as GetEmailIdentity reads it, or undefined when it does not exist. */
function findIdentity(api: EmailApi, identity: string): Promise<OutputOf<'GetEmailIdentity'> | undefined> {
  return unlessNotFound(api.call('GetEmailIdentity', { EmailIdentity: identity }));
}

async function createIdentity(ctx: HandlerContext, props: EmailIdentity, replacing: string | undefined): Promise<Outcome> {
  requireSesV2For(ctx.api, optionsSet(props, SES_V2_OPTIONS));
  const existing = await findIdentity(ctx.api, props.identity);
  if (existing) return reuseOwnIdentity(ctx, props, existing, replacing);
  // Read before the create: a key that cannot be read leaves nothing behind.
  const key = props.byoDkim && await readPrivateKey(ctx.secrets, props.byoDkim.privateKey);
  const created = await withoutKeyInErrors(ctx.api.call('CreateEmailIdentity', {
    EmailIdentity: props.identity,
    Tags: toTagList(withOwner(props.tags, ownerValue(ctx))),
    ...createOptions(props, key),
  }), key);
  try {
    await putDifferences(ctx, props.identity, createdWith(props), props);
  } catch (error) {
    await deleteAfterFailure(ctx.api, props.identity, error);
    throw error;
  }
  return outcome(ctx, props.identity, created);
}

/**
 * An existing identity with this resource's ownership tag:
 * - created by this very request (a retry; a first attempt may have stopped between the create and its Puts): the
 *   Puts whose live values differ from the wanted ones;
 * - created before, in a rename (`replacing`): taken back, with every attribute and tag compared with the live ones,
 *   and the identity it replaces released if this is the rollback of its own take-back (see createUnlessOwned);
 * - created before, met by a Create: a leftover, refused without any change.
 * Any other identity fails the create.
 */
async function reuseOwnIdentity(
  ctx: HandlerContext, props: EmailIdentity, live: OutputOf<'GetEmailIdentity'>, replacing: string | undefined,
): Promise<Outcome> {
  const state = ownerState(live.Tags);
  if (state?.owner !== ctx.owner) {
    throw new ResourceFailure(
      'already exists and is not managed by this stack, so it was neither adopted nor changed. Remove it from the stack ' +
      `and use the existing one with EmailIdentity.fromEmailIdentityName(this, 'Imported', '${props.identity}').`);
  }
  if (state.request === ctx.requestId) {
    log('reusing the email identity this very request created (ownership tag matches)', { physicalId: props.identity });
    await putDifferences(ctx, props.identity, liveAttributes(live, props), props);
  } else if (replacing === undefined) {
    throw new ResourceFailure(leftoverMessage(`EmailIdentity.fromEmailIdentityName(this, 'Imported', '${props.identity}')`));
  } else {
    log('taking back the email identity this resource created before, with the declared attributes and tags', { physicalId: props.identity });
    await putDifferences(ctx, props.identity, declaredShapeOf(live, props), props);
    await replaceTags(ctx.api, arn(ctx, props.identity), liveTags(live), props.tags, ownerValue(ctx, takenFlag(replacing)));
    await releaseIfTakenFrom(ctx, arn(ctx, replacing), props.identity, (await findIdentity(ctx.api, replacing))?.Tags);
  }
  return outcome(ctx, props.identity, live);
}

/**
 * Every live attribute in the decoded shape, to compare with the declared ones (defaults filled in by the comparison).
 * An address's DKIM signing left unset stays as the API keeps it (it follows its domain's), as after a create. A live
 * BYODKIM key cannot be read back, so it always counts as changed: the declared signing attributes are put.
 */
function declaredShapeOf(live: OutputOf<'GetEmailIdentity'>, props: EmailIdentity): EmailIdentity {
  const addressDefault = live.IdentityType === 'EMAIL_ADDRESS' && props.dkimSigningEnabled === undefined;
  const origin = live.DkimAttributes?.SigningAttributesOrigin;
  const easyDkim = origin === undefined || origin === 'AWS_SES';
  return {
    identity: props.identity,
    dkimSigningEnabled: addressDefault ? undefined : live.DkimAttributes?.SigningEnabled,
    feedbackForwardingEnabled: live.FeedbackForwardingStatus,
    mailFromDomain: live.MailFromAttributes?.MailFromDomain,
    mailFromBehaviorOnMxFailure: live.MailFromAttributes?.BehaviorOnMxFailure,
    configurationSetName: live.ConfigurationSetName,
    dkimSigningKeyLength: easyDkim ? live.DkimAttributes?.NextSigningKeyLength : undefined,
    byoDkim: easyDkim ? undefined : UNKNOWN_BYO_DKIM,
    tags: {},
  };
}

/**
 * The live attributes in the decoded shape, to compare with `props`. An attribute the properties leave unset keeps
 * whatever the API gave the identity (as after a fresh create), so it is copied from `props` and never differs; so are
 * those that the create call carried.
 */
function liveAttributes(live: OutputOf<'GetEmailIdentity'>, props: EmailIdentity): EmailIdentity {
  return {
    ...createdWith(props),
    dkimSigningEnabled: props.dkimSigningEnabled === undefined ? undefined : live.DkimAttributes?.SigningEnabled,
    feedbackForwardingEnabled: props.feedbackForwardingEnabled === undefined ? undefined : live.FeedbackForwardingStatus,
    mailFromDomain: live.MailFromAttributes?.MailFromDomain,
    mailFromBehaviorOnMxFailure: live.MailFromAttributes?.BehaviorOnMxFailure,
    tags: {},
  };
}

async function putDifferences(ctx: HandlerContext, identity: string, from: EmailIdentity, to: EmailIdentity): Promise<void> {
  for (const group of ATTRIBUTE_GROUPS) {
    if (group.differs(from, to)) await group.put(ctx, identity, to);
  }
}

/** Deletes an identity this event has just created; if that fails too, the failure says so, since the identity now leaks. */
async function deleteAfterFailure(api: EmailApi, identity: string, cause: unknown): Promise<void> {
  try {
    await api.call('DeleteEmailIdentity', { EmailIdentity: identity });
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
function liveTags(live: OutputOf<'GetEmailIdentity'>): Tags {
  return Object.fromEntries((live.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

function arn(ctx: HandlerContext, identity: string): string {
  return arnOf(ctx.environment, 'identity', identity);
}

/** What CreateEmailIdentity or GetEmailIdentity answered that the response returns. */
interface IdentityAnswer {
  readonly IdentityType?: string;
  readonly VerifiedForSendingStatus?: boolean;
  readonly DkimAttributes?: { readonly Tokens?: string[]; readonly Status?: string };
}

/**
 * Name, ARN, type, the three DKIM tokens (empty strings when there are none, email addresses, so GetAtt never fails),
 * and the verification state as the API answered during this event.
 */
function outcome(ctx: HandlerContext, identity: string, answer: IdentityAnswer): Outcome {
  const token = (i: number): string => answer.DkimAttributes?.Tokens?.[i] ?? '';
  return {
    physicalResourceId: identity,
    data: {
      [EmailIdentityAttributes.NAME]: identity,
      [EmailIdentityAttributes.ARN]: arn(ctx, identity),
      [EmailIdentityAttributes.IDENTITY_TYPE]: answer.IdentityType ?? (identity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN'),
      [EmailIdentityAttributes.DKIM_TOKEN_1]: token(0),
      [EmailIdentityAttributes.DKIM_TOKEN_2]: token(1),
      [EmailIdentityAttributes.DKIM_TOKEN_3]: token(2),
      [EmailIdentityAttributes.VERIFIED_FOR_SENDING]: String(answer.VerifiedForSendingStatus === true),
      [EmailIdentityAttributes.DKIM_STATUS]: answer.DkimAttributes?.Status ?? '',
    },
  };
}
