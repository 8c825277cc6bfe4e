import { Annotations, Aws, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { asSub, asSubList, joinAsSub } from './cfn-sub';
import { cfnText, longestText, nagText } from './cfn-text';
import { OWNER_MARKER_STACK_SEPARATOR, OWNER_TAG_KEY } from './contract';
import { acknowledgeNagFinding, wildcardResourceFinding } from './nag';
import { hasWildcard } from './policy-arn';

/** IAM's limit on the inline policies of one role: characters, white space not counted. */
export const IAM_INLINE_POLICY_LIMIT = 10_240;

/** The resource types of Pinpoint Email ARNs (`arn:<partition>:ses:<region>:<account>:<type>/<name>`). */
const ARN_TYPES = ['configuration-set', 'dedicated-ip-pool', 'identity', 'deliverability-test-report'] as const;
export type ArnType = typeof ARN_TYPES[number];

/**
 * The grant groups: each is one `AWS::IAM::Policy` on the handler's role, created with the first construct that needs
 * it, which the custom resources of that construct type depend on. CloudFormation then deletes a removed (or
 * rolled-back) resource before the policy it needs, and the policy only exists while the stack has such a resource.
 * `handler` holds what the handler itself needs (its logs, its stack's status): the role's own inline policy, in force
 * before the function, which refers to the role, is created.
 *
 * `dedicated-ip` is its own group rather than part of `dedicated-ip-pool`: its grants are the same for any number of
 * IPs (account-level actions on `*`), so only a policy that is deleted after the last IP's resource keeps them in force
 * for that IP's Delete; inside the pool group, removing the last IP of a stack that keeps its pools would remove them
 * first (the update phase) and deny the Delete (the cleanup phase).
 */
export const POLICY_GROUPS = [
  'handler', 'configuration-set', 'dedicated-ip-pool', 'dedicated-ip', 'email-identity', 'deliverability-test', 'deliverability-dashboard',
  'account-settings', 'configuration-set-event-destination',
] as const;
/**
 * The group of the event destinations of one configuration set (`event-destinations-of:<set name>`): one policy per
 * set, which that set's destinations depend on. A destination removed from the stack, or moved to another set, is then
 * deleted before the grant on its set goes: CloudFormation deletes it before the policy it depends on, and the policy
 * of a set that still has destinations in the stack does not change. See eventDestinationsGroup.
 */
export type EventDestinationsGroup = `event-destinations-of:${string}`;
export type PolicyGroup = typeof POLICY_GROUPS[number] | EventDestinationsGroup;

const EVENT_DESTINATIONS_PREFIX = 'event-destinations-of:';
/** Configuration set names: the only characters that a group key (and so a policy name) may take from a set name. */
const SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The group of the event destinations of the configuration set named `setName` (a literal, valid name). */
export function eventDestinationsGroup(setName: string): EventDestinationsGroup {
  if (!SET_NAME.test(setName)) throw new Error(`"${setName}" is not a configuration set name that a policy can be named after`);
  return `${EVENT_DESTINATIONS_PREFIX}${setName}`;
}

/**
 * The name of the handler's own policy, inline in its role. Not `PinpointEmailHandler`, the name of the
 * `AWS::IAM::Policy` that held it before: IAM names a role's inline policies, so when CloudFormation deleted that
 * resource after an upgrade it would delete the role's policy of that name.
 */
const HANDLER_POLICY_NAME = 'PinpointEmailHandlerOwn';

/** The construct id and IAM policy name of the `AWS::IAM::Policy` of a group other than `handler`. */
function policyIdentity(group: Exclude<PolicyGroup, 'handler'>): { id: string; policyName: string } {
  if (group.startsWith(EVENT_DESTINATIONS_PREFIX)) {
    const setName = group.slice(EVENT_DESTINATIONS_PREFIX.length);
    return { id: `EventDestinationsOf-${setName}`, policyName: `PinpointEmailEventDestinationsOf-${setName}` };
  }
  const name = group.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
  return { id: name, policyName: `PinpointEmail${name}` };
}

const TAG_ACTIONS = ['ses:TagResource', 'ses:UntagResource'];
/**
 * On every statement that grants TagResource or UntagResource: no tag key may start with `aws:`. The handler never
 * sends one (lambda/tags.ts leaves `aws:` keys alone and synth rejects them), so this only narrows the grant. It also
 * holds for a Create call with Tags, which IAM authorizes as ses:TagResource too, with the same tag keys. A request
 * without tag keys (the statement's other actions) passes: `ForAllValues` is true when the key is absent.
 */
const NO_AWS_TAG_KEYS = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'aws:*' } };

/** In a statement's condition: this stack's ownership pattern, `<stack uuid>:*`. */
export const OWNER = '${OWNER}';

/** The statement that grants on the resources this stack created, by their ownership tag. */
export const OWNED_SID = 'ManageResourcesOwnedByThisStack';
const OWNED_REASON = `Limited by the condition aws:ResourceTag/${OWNER_TAG_KEY} to resources that this stack created ` +
  '(the handler tags each one it creates with the stack\'s uuid, lambda/ownership.ts), in the stack\'s account and ' +
  'region. Exact ARNs cannot be used: CloudFormation updates this policy before it deletes removed resources (and ' +
  'before a rollback deletes added ones), so the removed resource\'s ARN would already be gone from it; report ids ' +
  'are only known once created.';
const ESCAPED_REASON = 'Not a wildcard: this * is a literal character of a declared name, written as IAM\'s escape ${*} ' +
  '(or inside an intrinsic function, which CloudFormation resolves to the name), so the ARN names exactly one resource.';

interface Statement {
  readonly group: PolicyGroup;
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
  /** Conditions beyond the one on tag keys (NO_AWS_TAG_KEYS), which statements with tag actions always have. */
  readonly condition?: Record<string, Record<string, unknown>>;
  readonly onlyIf?: () => boolean;
}

/** Actions granted by ownership tag on one type, while `onlyIf` (if any) holds. */
interface OwnedGrant {
  readonly actions: string[];
  readonly onlyIf?: () => boolean;
}

/** A resource of the policy as text. */
interface ResourceText {
  /** As cdk-nag names it (`arn:<AWS::Partition>:ses:...`): tells the ARN's type and environment apart. */
  readonly nag: string;
  /** At its longest once deployed: what the size estimate counts. */
  readonly longest: string;
  /** Whether it has a `*` or `?` that IAM reads as a wildcard (not IAM's escapes `${*}`, `${?}`). */
  readonly wildcard: boolean;
}

export interface HandlerPolicyProps {
  /** The handler's role, which the policies are attached to, and which holds the handler's own one. */
  readonly role: iam.Role;
}

/** A statement of one group, as `HandlerPolicy.allow` takes it. */
export interface StatementOptions {
  /** Needed for a resource with a wildcard: the reason that acknowledges cdk-nag's finding about it. */
  readonly wildcardReason?: string;
  /** More conditions; `${OWNER}` in a value stands for this stack's ownership pattern (`<stack uuid>:*`). */
  readonly condition?: Record<string, Record<string, string>>;
  /**
   * The statement is in the policy only while this holds, asked each time the policy is rendered: for grants that
   * depend on a choice that may come after the construct, such as the stack's API (EmailApi.use).
   */
  readonly onlyIf?: () => boolean;
}

/**
 * The handler role's policies (one `AWS::IAM::Policy` per grant group, see POLICY_GROUPS), rendered at synth from the
 * grants of every construct of the stack: each statement names the exact ARNs (or the generated-name pattern) it was
 * granted, and statements with tag actions carry the condition above.
 *
 * A last statement in each group (OWNED_SID) grants what the handler does to resources that already exist (no create),
 * on every resource of each type the group names, in the stack's account and region, whose ownership tag says this
 * stack created it (`<stack uuid>:*`). CloudFormation updates a policy before it deletes a removed resource of a type
 * that the stack still has, and before a rollback deletes an added one: the exact ARN is gone by then, and this
 * statement still lets the delete through. When the last resource of a type goes, its group's policy goes after it.
 *
 * IAM refuses a role whose inline policies exceed 10,240 characters in all. When the exact ARNs would not fit, the ARN
 * type whose ARNs take the most room (the explicitly named configuration sets or pools, the email identities) is
 * granted with one `<type>/*` pattern in the stack's account and region instead, with a synth warning that says so,
 * until the policies fit. If they still do not fit, synth fails with an error that names the limit.
 */
export class HandlerPolicy extends Construct {
  private readonly role: iam.Role;
  /** The resource that holds each group's document: the role for `handler`, an `AWS::IAM::Policy` for the others. */
  private readonly policies = new Map<PolicyGroup, CfnResource>();
  private readonly statements: Statement[] = [];
  /** Types whose ARNs in the stack's account and region are granted as one `<type>/*` pattern. */
  private readonly collapsed = new Set<ArnType>();
  private readonly texts = new Map<string, ResourceText>();
  /** The actions granted by ownership tag, per group and type whose `<type>/*` pattern the group's owned statement names. */
  private readonly owned = new Map<PolicyGroup, Map<ArnType, OwnedGrant[]>>();
  /** `<stack uuid>:*`, built from `AWS::StackId` as lambda/ownership.ts builds the marker's stack part. */
  private readonly ownerPattern = Fn.join('', [Fn.select(2, Fn.split('/', Aws.STACK_ID)), `${OWNER_MARKER_STACK_SEPARATOR}*`]);

  constructor(scope: Construct, id: string, props: HandlerPolicyProps) {
    super(scope, id);
    this.role = props.role;
    this.node.addValidation({ validate: () => this.sizeProblems() });
  }

  /** The policy of `group`, created on first use. */
  public policyOf(group: Exclude<PolicyGroup, 'handler'>): iam.CfnPolicy {
    return this.holderOf(group) as iam.CfnPolicy;
  }

  /** The resource that holds the document of `group`, created on first use (see `policies`). */
  private holderOf(group: PolicyGroup): CfnResource {
    let holder = this.policies.get(group);
    if (!holder) {
      const policyDocument = Lazy.any({ produce: () => this.document(group, asSub, asSubList) });
      if (group === 'handler') {
        const role = this.role.node.defaultChild as iam.CfnRole;
        role.policies = [{ policyName: HANDLER_POLICY_NAME, policyDocument }];
        holder = role;
      } else {
        const { id, policyName } = policyIdentity(group);
        holder = new iam.CfnPolicy(this, id, { policyName, roles: [this.role.roleName], policyDocument });
      }
      this.policies.set(group, holder);
    }
    return holder;
  }

  /**
   * Allows `actions` on `resource` in the statement `sid` of `group`'s policy (created on first use; its actions and
   * resources grow). A resource with a wildcard (`*` or `?`, not IAM's escapes `${*}` and `${?}`) needs
   * `wildcardReason`, which acknowledges cdk-nag's finding about it.
   */
  public allow(group: PolicyGroup, sid: string, actions: string[], resource: string, options: StatementOptions = {}): void {
    if (!/^[A-Za-z0-9]+$/.test(sid)) throw new Error(`statement id "${sid}" must be alphanumeric`);
    if (sid === OWNED_SID) throw new Error(`statement id ${OWNED_SID} is reserved for allowOwned`);
    const policy = this.holderOf(group);
    const text = this.textOf(resource);
    if (text.wildcard) {
      if (options.wildcardReason === undefined) throw new Error(`statement ${sid}: the wildcard resource ${text.nag} needs a reason`);
      acknowledgeNagFinding(policy, wildcardResourceFinding(text.nag), options.wildcardReason);
    } else if (text.nag.includes('*')) {
      // cdk-nag takes the escape `${*}` (which it writes `<*>`) for a wildcard, and any `*` inside an intrinsic.
      acknowledgeNagFinding(policy, wildcardResourceFinding(text.nag), ESCAPED_REASON);
    }
    let statement = this.statements.find((s) => s.group === group && s.sid === sid);
    if (!statement) {
      statement = { group, sid, actions: [], resources: [], condition: options.condition, onlyIf: options.onlyIf };
      this.statements.push(statement);
    }
    addUnique(statement.actions, actions);
    addUnique(statement.resources, [resource]);
    this.fitLimit();
    this.acknowledgeCollapsed();
  }

  /**
   * Allows `actions` on every resource of `type` in the stack's account and region that carries this stack's
   * ownership tag, in the statement OWNED_SID of `group`'s policy. Only for actions on resources that already exist:
   * a create is authorized before the resource (and its tag) exists. With `options.onlyIf`, only while it holds.
   */
  public allowOwned(group: PolicyGroup, type: ArnType, actions: string[], options: Pick<StatementOptions, 'onlyIf'> = {}): void {
    const creates = actions.filter((action) => /^ses:Create/.test(action));
    if (creates.length > 0) throw new Error(`${creates.join(', ')} cannot be granted by ownership tag: the resource does not exist yet`);
    const owned = this.owned.get(group) ?? new Map<ArnType, OwnedGrant[]>();
    this.owned.set(group, owned);
    if (!owned.has(type)) {
      owned.set(type, []);
      acknowledgeNagFinding(this.holderOf(group), wildcardResourceFinding(this.textOf(this.typePattern(type)).nag), OWNED_REASON);
    }
    owned.get(type)!.push({ actions, onlyIf: options.onlyIf });
    this.fitLimit();
  }

  /** The size of the role's inline policies once deployed, at their longest (longest partition and region): what IAM counts. */
  public estimatedSize(): number {
    let size = 0;
    for (const group of this.policies.keys()) {
      size += JSON.stringify(this.document(group, (value) => this.textOf(value).longest)).replace(/\s/g, '').length;
    }
    return size;
  }

  /**
   * The document of `group`, with `render` applied to each resource and to the owner pattern, and `renderList` (by
   * default `render` on each) to the resources of each statement.
   */
  private document(group: PolicyGroup, render: (value: string) => unknown,
    renderList: (values: string[]) => unknown = (values) => oneOrMany(values.map(render))): unknown {
    const statements = this.statements.filter((statement) => statement.group === group && inForce(statement)).map((statement) => {
      const resources = uniqueBy(statement.resources.map((resource) => this.granted(resource)), (r) => this.textOf(r).nag);
      const condition = {
        ...renderOwner(statement.condition, render(this.ownerPattern)),
        ...(hasTagActions(statement.actions) ? NO_AWS_TAG_KEYS : {}),
      };
      return {
        Sid: statement.sid,
        Effect: 'Allow',
        Action: oneOrMany(statement.actions),
        Resource: renderList(resources),
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
    });
    return { Version: '2012-10-17', Statement: [...statements, ...this.ownedStatement(group, render)] };
  }

  /** The OWNED_SID statement of `group` (none while it grants nothing by ownership tag): types and actions in a fixed order. */
  private ownedStatement(group: PolicyGroup, render: (value: string) => unknown): unknown[] {
    const owned = this.owned.get(group);
    const actionsOn = (type: ArnType): string[] => (owned?.get(type) ?? []).filter(inForce).flatMap((grant) => grant.actions);
    const types = ARN_TYPES.filter((type) => actionsOn(type).length > 0);
    if (types.length === 0) return [];
    const actions: string[] = [];
    for (const type of types) addUnique(actions, actionsOn(type));
    return [{
      Sid: OWNED_SID,
      Effect: 'Allow',
      Action: oneOrMany(actions),
      Resource: oneOrMany(types.map((type) => render(this.typePattern(type)))),
      Condition: {
        StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: render(this.ownerPattern) },
        ...(hasTagActions(actions) ? NO_AWS_TAG_KEYS : {}),
      },
    }];
  }

  /** The resource as granted: itself, or the pattern of its type when that type is collapsed. */
  private granted(resource: string): string {
    const type = [...this.collapsed].find((t) => this.covers(t, resource));
    return type ? this.typePattern(type) : resource;
  }

  /** Collapses types, the one that saves the most first, until the policy fits. */
  private fitLimit(): void {
    let size = this.estimatedSize();
    while (size > IAM_INLINE_POLICY_LIMIT) {
      const candidates = ARN_TYPES.filter((type) => !this.collapsed.has(type)).map((type) => {
        this.collapsed.add(type);
        const collapsedSize = this.estimatedSize();
        this.collapsed.delete(type);
        return { type, collapsedSize };
      }).filter((candidate) => candidate.collapsedSize < size).sort((a, b) => a.collapsedSize - b.collapsedSize);
      if (candidates.length === 0) return; // sizeProblems() reports it
      this.collapse(candidates[0].type);
      size = candidates[0].collapsedSize;
    }
  }

  private collapse(type: ArnType): void {
    this.collapsed.add(type);
    this.acknowledgeCollapsed();
    const pattern = this.textOf(this.typePattern(type)).nag;
    Annotations.of(this).addWarningV2(`cdk-pinpoint-email:handlerPolicy:${type}`,
      `${collapsedReason(type)} The handler may now act on every ${type} of the account and region (${pattern}), not only on those of ` +
      'this stack. To keep exact grants, use generated names where the construct offers them (one pattern covers all ' +
      'of them), or split the resources over more stacks.');
  }

  /** On each policy that grants on a collapsed type's ARNs: the finding about the type's pattern, with the limit as reason. */
  private acknowledgeCollapsed(): void {
    for (const type of this.collapsed) {
      const pattern = this.textOf(this.typePattern(type)).nag;
      for (const statement of this.statements.filter((s) => s.resources.some((resource) => this.covers(type, resource)))) {
        acknowledgeNagFinding(this.holderOf(statement.group), wildcardResourceFinding(pattern), collapsedReason(type));
      }
    }
  }

  private sizeProblems(): string[] {
    this.fitLimit(); // with the statements in force now that the app is complete
    const size = this.estimatedSize();
    if (size <= IAM_INLINE_POLICY_LIMIT) return [];
    return [`the handler's IAM policies would be about ${size} characters, over IAM's limit of ${IAM_INLINE_POLICY_LIMIT} ` +
      'characters for a role\'s inline policies, even with every ARN type of the stack granted as one pattern: split the ' +
      'resources over more stacks'];
  }

  /** Whether `resource` is an ARN of `type` in the stack's account and region (not its pattern, nor an ARN elsewhere). */
  private covers(type: ArnType, resource: string): boolean {
    const pattern = this.textOf(this.typePattern(type)).nag;
    const text = this.textOf(resource).nag;
    return text !== pattern && text.startsWith(pattern.slice(0, -1));
  }

  private typePattern(type: ArnType): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: type, resourceName: '*' });
  }

  private textOf(resource: string): ResourceText {
    let text = this.texts.get(resource);
    if (!text) {
      // As the template writes it (see document): an ARN's Fn::Join as one Fn::Sub.
      const resolved = joinAsSub(Stack.of(this).resolve(resource));
      text = { nag: nagText(resolved), longest: longestText(resolved), wildcard: hasWildcard(cfnText(resolved, () => '')) };
      this.texts.set(resource, text);
    }
    return text;
  }
}

function collapsedReason(type: ArnType): string {
  return `The exact ${type} ARNs of this stack would take the handler's policies past IAM's limit of ` +
    `${IAM_INLINE_POLICY_LIMIT} characters for a role's inline policies, so they are granted as one pattern in the ` +
    'stack\'s account and region.';
}

/** The condition with `${OWNER}` in its values replaced by the owner pattern. */
function renderOwner(condition: Statement['condition'], owner: unknown): Record<string, Record<string, unknown>> {
  const rendered: Record<string, Record<string, unknown>> = {};
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    rendered[operator] = Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, value === OWNER ? owner : value]));
  }
  return rendered;
}

function inForce(grant: { readonly onlyIf?: () => boolean }): boolean {
  return grant.onlyIf?.() ?? true;
}

function hasTagActions(actions: string[]): boolean {
  return actions.some((action) => TAG_ACTIONS.includes(action));
}

function addUnique(list: string[], items: string[]): void {
  for (const item of items) {
    if (!list.includes(item)) list.push(item);
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function oneOrMany<T>(items: T[]): T | T[] {
  return items.length === 1 ? items[0] : items;
}
