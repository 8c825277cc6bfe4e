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

interface Attachment {
  readonly roleArns: readonly string[];
  readonly policies: readonly AppliedPolicy[];
}

export class AppliedPolicies {
  private readonly attachments = new Map<string, Attachment>();

  /** `roleArn(name)`: the ARN of the role that `Ref` names (the driver's `Ref` of a role is its logical id). */
  constructor(private readonly binding: IamBinding, private readonly roleArn: (name: string) => string) {}

  /** The resource `logicalId` of `type` now has these (resolved) properties: CloudFormation created or updated it. */
  public put(logicalId: string, type: string, properties: Readonly<Record<string, unknown>>): void {
    const before = this.attachments.get(logicalId);
    const attachment = type === 'AWS::IAM::Role'
      ? { roleArns: [this.roleArn(logicalId)], policies: inlinePolicies(properties.Policies) }
      : { roleArns: list(properties.Roles).map((role) => this.roleArn(String(role))), policies: [policyOf(properties)] };
    this.attachments.set(logicalId, attachment);
    this.push([...before?.roleArns ?? [], ...attachment.roleArns]);
  }

  /** CloudFormation deleted the resource `logicalId`. */
  public remove(logicalId: string): void {
    const before = this.attachments.get(logicalId);
    if (!before) return;
    this.attachments.delete(logicalId);
    this.push(before.roleArns);
  }

  private push(roleArns: readonly string[]): void {
    for (const roleArn of new Set(roleArns)) {
      const policies = [...this.attachments.values()].filter((a) => a.roleArns.includes(roleArn)).flatMap((a) => a.policies);
      this.binding.setRolePolicies(roleArn, policies);
    }
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
