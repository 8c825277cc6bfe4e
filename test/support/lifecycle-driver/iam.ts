/**
 * The IAM side of a stack: the identity policies that CloudFormation has applied to each role at this moment of a
 * deployment (`AWS::IAM::Policy` resources and the inline `Policies` of `AWS::IAM::Role`), pushed to an `IamBinding`
 * (the local service) on every change, and the credentials each handler invocation runs with.
 */
import type { StackReadAuthorizer } from './stack-status';

/** One identity policy as IAM stores it. */
export interface AppliedPolicy {
  readonly name: string;
  readonly document: unknown;
}

/** Where the driver applies policies, and where the role sessions of the handlers come from. */
export interface IamBinding {
  /** The role behind a session's access key id; with `authorize`, the driver's own DescribeStacks is authorized too. */
  readonly principalOf?: StackReadAuthorizer['principalOf'];
  /** Throws AWS's AccessDenied unless the role's policies in force allow each request. */
  readonly authorize?: StackReadAuthorizer['authorize'];
  /** Credentials of a session of the role (the Lambda's execution role). */
  credentialsFor(roleArn: string): { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The role's identity policies from now on (replacing the previous set). */
  setRolePolicies(roleArn: string, policies: readonly AppliedPolicy[]): void;
}

/** The resource types whose properties put identity policies on roles. */
export function isIamPolicyType(type: string): boolean {
  return type === 'AWS::IAM::Policy' || type === 'AWS::IAM::Role';
}

/** The inline policies (by name) that one resource put on each of its roles. */
interface Attachment {
  readonly roleArns: readonly string[];
  readonly policies: readonly AppliedPolicy[];
}

/**
 * As IAM holds them: a role's inline policies by name, whichever resource put them. An `AWS::IAM::Policy` is the
 * inline policy of its name on each of its roles (PutRolePolicy), and so is each entry of a role's `Policies`; the
 * deletion of either, or an update that drops a name, deletes that name from the role (DeleteRolePolicy), even when
 * another resource put a policy of the same name since.
 */
export class AppliedPolicies {
  private readonly attachments = new Map<string, Attachment>();
  private readonly inline = new Map<string, Map<string, AppliedPolicy>>();

  /** `roleArn(name)`: the ARN of the role that `Ref` names (the driver's `Ref` of a role is its logical id). */
  constructor(private readonly binding: IamBinding, private readonly roleArn: (name: string) => string) {}

  /** The resource `logicalId` of `type` now has these (resolved) properties: CloudFormation created or updated it. */
  public put(logicalId: string, type: string, properties: Readonly<Record<string, unknown>>): void {
    const attachment = type === 'AWS::IAM::Role'
      ? { roleArns: [this.roleArn(logicalId)], policies: inlinePolicies(properties.Policies) }
      : { roleArns: list(properties.Roles).map((role) => this.roleArn(String(role))), policies: [policyOf(properties)] };
    const kept = (roleArn: string, name: string) => attachment.roleArns.includes(roleArn) && attachment.policies.some((p) => p.name === name);
    const before = this.detach(logicalId, kept);
    for (const roleArn of attachment.roleArns) {
      for (const policy of attachment.policies) this.policiesOf(roleArn).set(policy.name, policy);
    }
    this.attachments.set(logicalId, attachment);
    this.push([...before, ...attachment.roleArns]);
  }

  /** CloudFormation deleted the resource `logicalId`. */
  public remove(logicalId: string): void {
    this.push(this.detach(logicalId, () => false));
    this.attachments.delete(logicalId);
  }

  /** Deletes from its roles each policy name that `logicalId` put, unless `kept`; returns those roles. */
  private detach(logicalId: string, kept: (roleArn: string, name: string) => boolean): readonly string[] {
    const before = this.attachments.get(logicalId);
    for (const roleArn of before?.roleArns ?? []) {
      for (const policy of before!.policies) {
        if (!kept(roleArn, policy.name)) this.policiesOf(roleArn).delete(policy.name);
      }
    }
    return before?.roleArns ?? [];
  }

  private policiesOf(roleArn: string): Map<string, AppliedPolicy> {
    let policies = this.inline.get(roleArn);
    if (!policies) {
      policies = new Map();
      this.inline.set(roleArn, policies);
    }
    return policies;
  }

  private push(roleArns: readonly string[]): void {
    for (const roleArn of new Set(roleArns)) this.binding.setRolePolicies(roleArn, [...this.policiesOf(roleArn).values()]);
  }
}

function policyOf(properties: Readonly<Record<string, unknown>>): AppliedPolicy {
  return { name: String(properties.PolicyName), document: properties.PolicyDocument };
}

function inlinePolicies(value: unknown): AppliedPolicy[] {
  return list(value).map((p) => policyOf(p as Record<string, unknown>));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
