/**
 * The handler role's policies of a synthesized stack as IAM holds them once deployed, and IAM's decision on an API
 * request of the handler under them: the same simulator (`@cloud-copilot/iam-simulate`, through the local service's
 * `evaluate`) and the same derivation of the request's action, resources and context keys (`authorizationRequests`)
 * as the local service that the lifecycle tests run against.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Resolver } from './lifecycle-driver/template';
import { AccountState, evaluate, RolePolicy } from './local-service';
import { authorizationRequests } from './local-service/iam-requests';
import { cfnText } from '../../src/private/cfn-text';

/** Where the stack is deployed, and what CloudFormation generates for it. */
export interface Deployment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly stackName: string;
  readonly stackId: string;
  /** What the handler's log group's `Fn::GetAtt` Arn is once deployed. */
  readonly logGroupArn: string;
}

/** Partition aws, us-east-1, account 123456789012, and a log group name as CloudFormation generates it. */
export const US_EAST_1: Deployment = {
  partition: 'aws',
  region: 'us-east-1',
  account: '123456789012',
  stackName: 'Mail',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Mail/1a2b3c4d-5e6f-11ef-8a9b-0c1d2e3f4a5b',
  logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:Mail-PinpointEmailProviderLogsFEB6F21F-AbCdEfGh1234:*',
};

/** One `AWS::IAM::Policy` of the template, or one inline policy of a role, as synthesized and as deployed. */
export interface StackPolicy {
  /** The policy resource, or the role that holds the inline policy. */
  readonly logicalId: string;
  readonly name: string;
  readonly roles: unknown;
  readonly dependsOn: string[];
  /** The document as the template has it (intrinsic functions unresolved). */
  readonly document: any;
  /** The document resolved as CloudFormation resolves it at `Deployment`. */
  readonly deployed: any;
}

/** Every `AWS::IAM::Policy` and role's inline policy of the stack, in template order, resolved with the lifecycle driver's Resolver. */
export function stackPolicies(stack: Stack, at: Deployment = US_EAST_1): StackPolicy[] {
  const template = Template.fromStack(stack).toJSON();
  const resolver = new Resolver({
    template,
    pseudo: {
      accountId: at.account, region: at.region, partition: at.partition, urlSuffix: 'amazonaws.com', stackName: at.stackName, stackId: at.stackId,
    },
    parameterValues: {},
    resource: () => undefined, // a Ref or GetAtt other than the log group's ARN fails the resolution
  });
  const deployed = (document: unknown) => resolver.resolve(withLogGroupArn(document, at.logGroupArn));
  return Object.entries<any>(template.Resources ?? {}).flatMap(([logicalId, r]): StackPolicy[] => {
    if (r.Type === 'AWS::IAM::Role') {
      return (r.Properties.Policies ?? []).map((p: any) => ({
        logicalId, name: p.PolicyName, roles: [{ Ref: logicalId }], dependsOn: [], document: p.PolicyDocument, deployed: deployed(p.PolicyDocument),
      }));
    }
    if (r.Type !== 'AWS::IAM::Policy') return [];
    return [{
      logicalId,
      name: r.Properties.PolicyName,
      roles: r.Properties.Roles,
      dependsOn: [r.DependsOn ?? []].flat(),
      document: r.Properties.PolicyDocument,
      deployed: deployed(r.Properties.PolicyDocument),
    }];
  });
}

/** The deployed documents as the role's identity policies. */
export function rolePolicies(policies: readonly StackPolicy[]): RolePolicy[] {
  return policies.map((p) => ({ name: p.name, document: p.deployed }));
}

/** The size IAM counts for a role's inline policies: the deployed documents as JSON, white space not counted. */
export function deployedSize(policies: readonly StackPolicy[]): number {
  return policies.reduce((sum, p) => sum + JSON.stringify(p.deployed).replace(/\s/g, '').length, 0);
}

/** `Fn::GetAtt [<log group>, Arn]` replaced by the ARN it has once deployed. */
function withLogGroupArn(value: any, arn: string): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withLogGroupArn(item, arn));
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && /^PinpointEmailProviderLogs[0-9A-F]{8}$/.test(getAtt[0]) && getAtt[1] === 'Arn') return arn;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withLogGroupArn(item, arn)]));
}

/** The handler's role as the principal of its requests. */
export function handlerPrincipal(at: Deployment = US_EAST_1) {
  return { roleArn: `arn:${at.partition}:iam::${at.account}:role/PinpointEmailProviderRole2C918C97`, accountId: at.account };
}

/**
 * IAM's decision on the API request `operation` with `input`, made by the handler's role (of US_EAST_1's account)
 * under `policies`, on the resources of the account and region of `state` (which also gives the tags of existing
 * resources, `aws:ResourceTag/<key>`; IAM evaluates them as resources of the role's account): `Allowed`
 * when every authorization the request needs is allowed, else the first one that is not, as
 * `<decision>: <action> on <resource>`. `newId` is the id of a report that a CreateDeliverabilityTestReport makes.
 */
export async function decide(
  policies: readonly RolePolicy[], operation: string, input: Record<string, unknown>, state: AccountState, newId = 'new-report-id',
): Promise<string> {
  const principal = handlerPrincipal();
  for (const request of await authorizationRequests(operation, input, state, newId)) {
    const outcome = await evaluate(policies, principal, request);
    if (outcome !== 'Allowed') return `${outcome}: ${request.action} on ${request.resource}`;
  }
  return 'Allowed';
}

/**
 * `document` with each statement's `Resource` written by listAsSplit (src/private/cfn-sub.ts) read back as the list
 * of its items, each one `Fn::Sub` (or a plain string, when it has no `${`), as they are written without it.
 */
export function withSplitListsRead(document: any): any {
  return { ...document, Statement: document.Statement.map((statement: any) => ({ ...statement, Resource: splitListItems(statement.Resource) })) };
}

function splitListItems(resource: any): any {
  const split = resource?.['Fn::Split'];
  if (!split) return resource;
  const [delimiter, { 'Fn::Sub': [body, variables] }] = split;
  // Each item with the variables substituted, and the pseudo parameters it refers to written back as they were.
  const asWritten = (intrinsic: Record<string, unknown>) => `\${${String(intrinsic.Ref)}}`;
  return body.split(delimiter).map((item: string) => {
    const text = cfnText({ 'Fn::Sub': [item, variables] }, asWritten);
    return text.includes('${') ? { 'Fn::Sub': text } : text;
  });
}
