import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

const PROVIDER_ID = 'PinpointEmailProvider';
/** Built by `projen bundle` from lambda/index.ts; shipped in the npm package. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'lambda', 'index');

/** The handler retries throttling until shortly before this timeout (see lambda/retry.ts). */
export const HANDLER_TIMEOUT = Duration.minutes(10);
/** CloudFormation gives up on a custom resource after this long, so a lost response never holds a stack for an hour. */
export const SERVICE_TIMEOUT = Duration.minutes(11);

/** The Pinpoint Email resource types the handler role is granted on. */
export type ResourceKind = 'configuration-set' | 'dedicated-ip-pool' | 'email-identity';

/** What the handler does to one resource type, and the actions it needs for that. */
const ACTIONS: Record<ResourceKind, string[]> = {
  // GetEmailIdentity: the existence check before create, and the read (DKIM tokens, live tags) of every update.
  'email-identity': [
    'ses:GetEmailIdentity',
    'ses:CreateEmailIdentity',
    'ses:DeleteEmailIdentity',
    'ses:PutEmailIdentityDkimAttributes',
    'ses:PutEmailIdentityFeedbackAttributes',
    'ses:PutEmailIdentityMailFromAttributes',
    'ses:TagResource',
    'ses:UntagResource',
  ],
  'configuration-set': [
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
  'dedicated-ip-pool': [
    'ses:CreateDedicatedIpPool',
    'ses:DeleteDedicatedIpPool',
    'ses:TagResource',
    'ses:UntagResource',
    'ses:ListTagsForResource',
  ],
};

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
  private readonly role: iam.Role;
  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly grantedResources = new Map<string, Set<string>>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Manages the stack\'s Amazon Pinpoint Email resources (cdk-pinpoint-email)',
    });
    logGroup.grantWrite(this.role);

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'cdk-pinpoint-email: custom resource handler for Amazon Pinpoint Email',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HANDLER_TIMEOUT,
      role: this.role,
      logGroup,
    });
    this.serviceToken = this.handler.functionArn;
  }

  /** Lets the handler manage the resource at `arn` (an exact ARN, or a pattern ending in `*`). */
  public grantManage(kind: ResourceKind, arn: string): void {
    this.grant(kind, ACTIONS[kind], arn);
  }

  /** Adds `arn` to the statement named `key`, which grants `actions`; the statement is created on first use. */
  public grant(key: string, actions: string[], arn: string): void {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions });
      this.statements.set(key, statement);
      this.grantedResources.set(key, new Set());
      this.role.addToPrincipalPolicy(statement);
    }
    const granted = this.grantedResources.get(key)!;
    if (!granted.has(arn)) {
      granted.add(arn);
      statement.addResources(arn);
    }
  }
}
