import * as path from 'path';
import { Aws, CfnResource, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { usesSesV2 } from './api-requirement';
import { EMAIL_API_ENV, EmailApiBackends, ResourceType, ResourceTypes } from './contract';
import { ArnType, HandlerPolicy, PolicyGroup, StatementOptions } from './handler-policy';
import { EmailApi, EmailApiVersion } from '../email-api';

const PROVIDER_ID = 'PinpointEmailProvider';
/** Built by `projen bundle` from lambda/index.ts; shipped in the npm package. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'lambda', 'index');

/** The handler retries throttling until shortly before this timeout (see lambda/retry.ts). */
export const HANDLER_TIMEOUT = Duration.minutes(10);
/** CloudFormation gives up on a custom resource after this long, so a lost response never holds a stack for an hour. */
export const SERVICE_TIMEOUT = Duration.minutes(11);

/** The Pinpoint Email resource types the handler role is granted on. */
export type ResourceKind = 'configuration-set' | 'dedicated-ip-pool' | 'email-identity';

/** The grant group (one IAM policy) whose permissions the custom resources of each type use, and depend on. */
const GROUP_OF: Record<ResourceType, Exclude<PolicyGroup, 'handler'>> = {
  [ResourceTypes.CONFIGURATION_SET]: 'configuration-set',
  [ResourceTypes.DEDICATED_IP_POOL]: 'dedicated-ip-pool',
  [ResourceTypes.EMAIL_IDENTITY]: 'email-identity',
  [ResourceTypes.IDENTITY_VERIFICATION]: 'email-identity',
  [ResourceTypes.DELIVERABILITY_TEST]: 'deliverability-test',
  [ResourceTypes.DELIVERABILITY_DASHBOARD]: 'deliverability-dashboard',
  [ResourceTypes.DEDICATED_IP]: 'dedicated-ip',
  [ResourceTypes.ACCOUNT_SETTINGS]: 'account-settings',
  [ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION]: 'configuration-set-event-destination',
};

/** The ARN type (`arn:...:<type>/<name>`) of each kind. */
const ARN_TYPE: Record<ResourceKind, ArnType> = {
  'configuration-set': 'configuration-set',
  'dedicated-ip-pool': 'dedicated-ip-pool',
  'email-identity': 'identity',
};

/**
 * What the handler does to one resource type (lambda/resources/<type>.ts and lambda/tags.ts), and the statement that
 * grants it: exactly the operations it calls, each an action of the same name. `sesV2Actions` are the operations only
 * the SES API v2 has, granted in a statement of their own (`<sid>OnSesV2`) while the stack uses it.
 */
const MANAGE: Record<ResourceKind, { readonly sid: string; readonly actions: string[]; readonly sesV2Actions?: string[] }> = {
  // Create (with Tags, which IAM also authorizes as TagResource); the Put calls of an update; Delete; the tag
  // reconciliation of an update (ListTagsForResource, then UntagResource and TagResource); and ListTagsForResource when
  // a create meets an existing set (is it this resource's own, by its ownership tag? lambda/ownership.ts), and before a
  // Delete (is it one that a rolled-back take-back released?).
  'configuration-set': {
    sid: 'ManageConfigurationSets',
    actions: [
      'ses:CreateConfigurationSet',
      'ses:DeleteConfigurationSet',
      'ses:PutConfigurationSetDeliveryOptions',
      'ses:PutConfigurationSetReputationOptions',
      'ses:PutConfigurationSetSendingOptions',
      'ses:PutConfigurationSetTrackingOptions',
      'ses:TagResource',
      'ses:UntagResource',
      'ses:ListTagsForResource',
    ],
    // The suppression and VDM options' Puts.
    sesV2Actions: ['ses:PutConfigurationSetSuppressionOptions', 'ses:PutConfigurationSetVdmOptions'],
  },
  // Create (with Tags), Delete, the tag reconciliation of an update, and the ownership check of a create that meets an
  // existing pool, as for configuration sets.
  'dedicated-ip-pool': {
    sid: 'ManageDedicatedIpPools',
    actions: [
      'ses:CreateDedicatedIpPool',
      'ses:DeleteDedicatedIpPool',
      'ses:TagResource',
      'ses:UntagResource',
      'ses:ListTagsForResource',
    ],
    // The scaling mode's Put, and the read of a pool that a rename takes back (its live scaling mode).
    sesV2Actions: ['ses:GetDedicatedIpPool', 'ses:PutDedicatedIpPoolScalingAttributes'],
  },
  // GetEmailIdentity: the existence (and ownership) check before create, and the read (DKIM tokens, live tags) of every
  // update, so tags need no ListTagsForResource here.
  'email-identity': {
    sid: 'ManageEmailIdentities',
    actions: [
      'ses:GetEmailIdentity',
      'ses:CreateEmailIdentity',
      'ses:DeleteEmailIdentity',
      'ses:PutEmailIdentityDkimAttributes',
      'ses:PutEmailIdentityFeedbackAttributes',
      'ses:PutEmailIdentityMailFromAttributes',
      'ses:TagResource',
      'ses:UntagResource',
    ],
  },
};

/**
 * The handler's operations that have no resource-level permissions (Service Authorization Reference, "Amazon Pinpoint
 * Email Service"): IAM accepts only `Resource: "*"` for them, and they are the only ones granted on `*`.
 */
const WITHOUT_RESOURCE_LEVEL_PERMISSIONS = [
  // The Deliverability dashboard is a setting of the account and region: read by DeliverabilityTest and
  // DeliverabilityDashboard, written by DeliverabilityDashboard.
  'ses:GetDeliverabilityDashboardOptions',
  'ses:PutDeliverabilityDashboardOption',
  // A retried create of a DeliverabilityTest looks for the report it may already have created.
  'ses:ListDeliverabilityTestReports',
  // Dedicated IPs are not a resource type of IAM: DedicatedIpPool.dedicatedIps reads an IP's pool and sets its warm-up.
  'ses:GetDedicatedIp',
  'ses:PutDedicatedIpWarmupAttributes',
  // EmailAccountSettings: the settings of the account in the region.
  'ses:GetAccount',
  'ses:PutAccountSendingAttributes',
  'ses:PutAccountDedicatedIpWarmupAttributes',
];

const GENERATED_NAMES_REASON = 'Generated names of this stack all start with the stack prefix (src/private/physical-name.ts), ' +
  'so this one pattern grants on them at any number of resources; a name is not known to IAM before the resource exists.';
const NO_RESOURCE_LEVEL_REASON = `Only for operations without resource-level permissions (${WITHOUT_RESOURCE_LEVEL_PERMISSIONS.join(', ')}): ` +
  'IAM accepts only Resource "*" for them.';

/**
 * Drops the `DependsOn` of `resource` on `target`, which lambda.Function adds for its role although the `Fn::GetAtt` of
 * the role's ARN already orders them (cfn-lint W3005). Every other dependency is kept: the list is rendered from the
 * resource's dependencies at synthesis.
 */
function omitDependency(resource: IConstruct, target: IConstruct): void {
  const source = resource.node.defaultChild as CfnResource;
  const omitted = target.node.defaultChild as CfnResource;
  source.addOverride('DependsOn', Lazy.list({
    produce: () => source.obtainDependencies()
      .filter((dependency): dependency is CfnResource => dependency instanceof CfnResource && dependency !== omitted)
      .map((dependency) => dependency.logicalId)
      .sort(),
  }, { omitEmpty: true }));
}

/**
 * Names the stack's API in the handler's environment, once the app is complete (EmailApi.use may come after the
 * constructs). Pinpoint Email sets no variable, so that its templates are those of the versions before SES v2.
 */
function chooseBackend(handler: lambda.Function): void {
  const problems = (): string[] => {
    try {
      EmailApi.of(handler);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  };
  handler.node.addValidation({ validate: problems });
  (handler.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment', Lazy.any({
    produce: () => (problems().length === 0 && EmailApi.of(handler) === EmailApiVersion.SES_V2
      ? { Variables: { [EMAIL_API_ENV]: EmailApiBackends.SES_V2 } }
      : undefined),
  }));
}

/**
 * The stack's one handler Lambda, serving every Pinpoint Email custom resource in the stack. Its role grows with the
 * resources: each construct registers the ARN (or generated-name pattern) it needs.
 */
export class PinpointEmailProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static of(scope: IConstruct): PinpointEmailProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID);
    return (existing as PinpointEmailProvider | undefined) ?? new PinpointEmailProvider(stack, PROVIDER_ID);
  }

  /** The `ServiceToken` of the custom resources. */
  public readonly serviceToken: string;
  public readonly handler: lambda.Function;
  private readonly policy: HandlerPolicy;

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Manages the stack\'s Amazon Pinpoint Email resources (cdk-pinpoint-email)',
    });
    // The role's policies: the handler's own (its logs, its stack's status), inline in the role, which the function
    // refers to; and one per grant group.
    this.policy = new HandlerPolicy(this, 'Policy', { role });
    this.policy.allow('handler', 'WriteLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], logGroup.logGroupArn);
    // Its own stack's status: the rollback of a take-back releases what it took, a forward update does not.
    this.policy.allow('handler', 'ReadOwnStackStatus', ['cloudformation:DescribeStacks'], Aws.STACK_ID);

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'cdk-pinpoint-email: custom resource handler for Amazon Pinpoint Email',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HANDLER_TIMEOUT,
      role,
      logGroup,
    });
    omitDependency(this.handler, role);
    chooseBackend(this.handler);
    this.serviceToken = this.handler.functionArn;
  }

  /**
   * Lets the handler manage the resource at `arn` of a construct of the stack: its exact ARN, or the pattern of the
   * stack's generated names (`<type>/<stack prefix>*`). An ARN built from a declared name must name exactly that
   * resource (see exactArnInPolicy). Every resource of the kind that this stack created (by its ownership tag) is
   * also granted the same actions but the creates, so that the handler can still delete or restore it once its ARN
   * has left the policy (see HandlerPolicy). The kind's SES-v2-only operations are granted the same way while the stack
   * uses SES v2 (asked when the policy renders), whether or not an option needs them: removing an option calls the Put
   * that resets it, under the new template's policy.
   */
  public grantManage(kind: ResourceKind, arn: string): void {
    const { sid, actions, sesV2Actions } = MANAGE[kind];
    this.policy.allow(kind, sid, actions, arn, { wildcardReason: GENERATED_NAMES_REASON });
    this.grantOwned(kind, ARN_TYPE[kind], actions.filter((action) => !action.startsWith('ses:Create')));
    if (sesV2Actions === undefined) return;
    const onlyIf = () => usesSesV2(this);
    this.policy.allow(kind, `${sid}OnSesV2`, sesV2Actions, arn, { wildcardReason: GENERATED_NAMES_REASON, onlyIf });
    this.grantOwned(kind, ARN_TYPE[kind], sesV2Actions, { onlyIf });
  }

  /**
   * Lets the handler call `actions` (none a create), in `group`'s policy, on every resource of `type` in the stack's
   * account and region that carries this stack's ownership tag; with `options.onlyIf`, only while it holds.
   */
  public grantOwned(group: PolicyGroup, type: ArnType, actions: string[], options?: Pick<StatementOptions, 'onlyIf'>): void {
    this.policy.allowOwned(group, type, actions, options);
  }

  /**
   * Adds `arn` to the statement `sid` (alphanumeric) of `group`'s policy, which grants `actions`; the statement is
   * created on first use. An ARN with a `*` needs `options.wildcardReason`: why no exact ARN can be granted.
   */
  public grant(group: PolicyGroup, sid: string, actions: string[], arn: string, options?: StatementOptions): void {
    this.policy.allow(group, sid, actions, arn, options);
  }

  /**
   * Grants operations without resource-level permissions, on `*` (see WITHOUT_RESOURCE_LEVEL_PERMISSIONS), in
   * `group`'s policy only: a stack without such a resource has none of them.
   */
  public grantWithoutResource(group: PolicyGroup, actions: string[]): void {
    const others = actions.filter((action) => !WITHOUT_RESOURCE_LEVEL_PERMISSIONS.includes(action));
    if (others.length > 0) throw new Error(`${others.join(', ')} must be granted on the ARNs of resources, not on "*"`);
    this.policy.allow(group, 'AccountLevelOperations', actions, '*', { wildcardReason: NO_RESOURCE_LEVEL_REASON });
  }

  /** The policy that the custom resources of `resourceType` use: each depends on it, so it outlives them. */
  public policyFor(resourceType: ResourceType): iam.CfnPolicy {
    return this.policy.policyOf(GROUP_OF[resourceType]);
  }

  /** The policy of `group` (created on first use), for a resource that depends on more than its type's policy. */
  public policyOf(group: Exclude<PolicyGroup, 'handler'>): iam.CfnPolicy {
    return this.policy.policyOf(group);
  }
}
