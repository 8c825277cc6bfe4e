import { IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { sesV2OnlyProblems } from './private/api-requirement';
import { DedicatedIpPoolProperties, DedicatedIpProperties, ResourceTypes } from './private/contract';
import { recordDeclaredArn } from './private/declared-arns';
import { generatedNamePrefix, generateNameFor } from './private/physical-name';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { exactArnInPolicy } from './private/policy-arn';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks, enumProblems, patternProblems } from './private/validation';

/** A Pinpoint Email dedicated IP pool. */
export interface IDedicatedIpPool extends IResource {
  /**
   * The name of the dedicated IP pool.
   * @attribute
   */
  readonly dedicatedIpPoolName: string;

  /**
   * The ARN of the dedicated IP pool (`arn:<partition>:ses:<region>:<account>:dedicated-ip-pool/<name>`).
   * @attribute
   */
  readonly dedicatedIpPoolArn: string;
}

/** How the dedicated IPs of a pool are managed (SES API v2). */
export enum ScalingMode {
  /** You choose the pool's dedicated IPs (`dedicatedIps`). */
  STANDARD = 'STANDARD',
  /** Amazon SES leases and warms up the pool's IPs and manages their reputation, by the pool's sending volume. */
  MANAGED = 'MANAGED',
}

/** Properties of a `DedicatedIpPool`. */
export interface DedicatedIpPoolProps {
  /**
   * The name of the pool: up to 64 lower-case letters, digits, `_` and `-`, other than the reserved
   * `ses-default-dedicated-pool` and `ses-shared-pool`. Changing it replaces the pool. The handler's IAM policy names
   * each explicit name (generated names share one pattern); see `ConfigurationSetProps.configurationSetName`.
   * @default - a unique lower-case name generated from the construct path, starting with the stack name
   */
  readonly dedicatedIpPoolName?: string;

  /**
   * How the pool's dedicated IPs are managed. Changing it from `STANDARD` to `MANAGED` converts the pool in place
   * (`PutDedicatedIpPoolScalingAttributes`); the API refuses the way back, so a change from `MANAGED` to `STANDARD` (or
   * removing the prop from a managed pool) fails the deployment with the API's message: to get a standard pool again,
   * give the pool a new name. A rollback cannot undo the conversion either (see the README). Needs the SES API v2:
   * `EmailApi.use(stack, EmailApiVersion.SES_V2)` or the context key `cdk-pinpoint-email:api` set to `sesv2` (synth
   * fails otherwise, naming this prop).
   * @default ScalingMode.STANDARD
   */
  readonly scalingMode?: ScalingMode;

  /**
   * Tags for the pool, merged with those applied by `Tags.of(scope)`.
   * At most 49 (the API allows 50, and the handler adds its ownership tag); keys of 1 to 128 characters and values of
   * up to 256, without the `aws:` prefix, and no key starting with `cdk-pinpoint-email:`.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * The dedicated IPs (IPv4 addresses leased to the account in this region) that send from this pool. Each moves into
   * the pool when the pool is created or the IP is added; when it leaves the list (or the stack), it goes back to the
   * pool it was in before, or to `ses-default-dedicated-pool` if that pool no longer exists. An IP may be listed by
   * one pool of a stack only; moving it to another pool of the stack is one call. Use `addDedicatedIp` to set an IP's
   * warm-up percentage.
   * @default - no IPs are moved into the pool
   */
  readonly dedicatedIps?: string[];

  /**
   * What happens to the pool when it is removed from the stack. Its `dedicatedIps` follow the same policy: with
   * `RETAIN`, they stay in the retained pool.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Options of one dedicated IP of a pool (`DedicatedIpPool.addDedicatedIp`). */
export interface DedicatedIpOptions {
  /**
   * The IP's warm-up percentage: the share, from 0 to 100, of the volume that the IP may send while it is warmed up
   * (an integer; 100 means warmed up). Set on create and whenever it changes here; removing it, or removing the IP,
   * leaves the IP's live percentage as it is. Mostly useful with automatic warm-up turned off
   * (`EmailAccountSettings.autoWarmupEnabled: false`), since Amazon's automatic warm-up also changes it.
   * @default - the IP's warm-up percentage is left as it is
   */
  readonly warmupPercentage?: number;
}

const NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;
const NAME_RULE = 'up to 64 characters from a-z, 0-9, _ and -';
const RESERVED_NAMES = ['ses-default-dedicated-pool', 'ses-shared-pool'];
const NAME_OPTIONS = { maxLength: 64, lowerCase: true };
const ARN_RESOURCE = 'dedicated-ip-pool';
/** Dedicated IPs of a stack live under this stack-level construct, one child per IP, so an IP keeps its logical id when it moves to another pool. */
const DEDICATED_IPS_ID = 'PinpointEmailDedicatedIps';
const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

/**
 * An Amazon Pinpoint Email dedicated IP pool. Assign dedicated IPs to it, then send through it by naming it in a
 * `ConfigurationSet`. Tags are updated in place; a new name replaces the pool.
 *
 * @resource Custom::PinpointEmailDedicatedIpPool
 */
export class DedicatedIpPool extends Resource implements IDedicatedIpPool, ITaggable {
  /** Imports an existing dedicated IP pool by name. */
  public static fromDedicatedIpPoolName(scope: Construct, id: string, dedicatedIpPoolName: string): IDedicatedIpPool {
    class Import extends Resource implements IDedicatedIpPool {
      public readonly dedicatedIpPoolName = dedicatedIpPoolName;
      public readonly dedicatedIpPoolArn = arnForName(this, dedicatedIpPoolName);
    }
    return new Import(scope, id);
  }

  /** The name of the pool (the `Ref` of its custom resource, so consumers depend on it). */
  public readonly dedicatedIpPoolName: string;
  /** The ARN of the pool (`arn:<partition>:ses:<region>:<account>:dedicated-ip-pool/<name>`). */
  public readonly dedicatedIpPoolArn: string;
  /** Tags of the pool, rendered into its properties; `Tags.of(scope)` reaches them. */
  public readonly tags: TagManager;
  private readonly removalPolicy?: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DedicatedIpPoolProps = {}) {
    // The name is known at synth (declared or generated): a consumer in another environment gets it as it is.
    super(scope, id, { physicalName: props.dedicatedIpPoolName ?? generateNameFor(scope, id, NAME_OPTIONS) });
    const nameOptions = NAME_OPTIONS;
    const declaredName = props.dedicatedIpPoolName ?? generateNameFor(scope, id, NAME_OPTIONS);
    addPropChecks(this,
      () => patternProblems('dedicatedIpPoolName', props.dedicatedIpPoolName, NAME_PATTERN, NAME_RULE),
      () => reservedNameProblems(props.dedicatedIpPoolName),
      () => enumProblems('scalingMode', props.scalingMode, ScalingMode, 'ScalingMode'),
      () => sesV2OnlyProblems(this, { scalingMode: props.scalingMode }));

    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.DEDICATED_IP_POOL, props.tags);
    const resource = createPinpointEmailResource<DedicatedIpPoolProperties>(this, {
      resourceType: ResourceTypes.DEDICATED_IP_POOL,
      tags: this.tags,
      removalPolicy: props.removalPolicy,
      properties: { PoolName: declaredName, ScalingMode: props.scalingMode },
    });
    this.dedicatedIpPoolName = this.getResourceNameAttribute(resource.ref);
    this.dedicatedIpPoolArn = this.getResourceArnAttribute(arnForName(this, resource.ref), {
      service: 'ses', resource: ARN_RESOURCE, resourceName: this.physicalName,
    });

    const declaredArn = arnForName(this, declaredName);
    recordDeclaredArn(this, declaredArn);
    PinpointEmailProvider.of(this).grantManage('dedicated-ip-pool',
      props.dedicatedIpPoolName === undefined ? arnForName(this, `${generatedNamePrefix(this, nameOptions)}*`) : exactArnInPolicy(declaredArn));

    this.removalPolicy = props.removalPolicy;
    for (const ip of props.dedicatedIps ?? []) this.addDedicatedIp(ip);
  }

  /**
   * Makes the dedicated IP `ip` (an IPv4 address leased to the account in this region) send from this pool, like an
   * entry of `dedicatedIps`, with options. The deploy fails, naming the IP, if the account has no such IP.
   */
  public addDedicatedIp(ip: string, options: DedicatedIpOptions = {}): void {
    const stack = Stack.of(this);
    const scope = (stack.node.tryFindChild(DEDICATED_IPS_ID) as Construct | undefined) ?? new Construct(stack, DEDICATED_IPS_ID);
    const id = Token.isUnresolved(ip) ? `Unresolved${scope.node.children.length}` : ip;
    const existing = scope.node.tryFindChild(id) as DedicatedIp | undefined;
    if (existing) {
      addPropChecks(this, () => [existing.pool === this
        ? `dedicatedIps: "${ip}" is listed more than once`
        : `dedicatedIps: "${ip}" is already in ${existing.pool.node.path}; a dedicated IP sends from one pool only`]);
      return;
    }
    new DedicatedIp(scope, id, { pool: this, ip, warmupPercentage: options.warmupPercentage, removalPolicy: this.removalPolicy });
  }
}

interface DedicatedIpResourceProps {
  readonly pool: DedicatedIpPool;
  readonly ip: string;
  readonly warmupPercentage?: number;
  readonly removalPolicy?: RemovalPolicy;
}

/** One dedicated IP of a pool: a custom resource of its own, which depends on the pool through the pool's name. */
class DedicatedIp extends Construct {
  public readonly pool: DedicatedIpPool;

  constructor(scope: Construct, id: string, props: DedicatedIpResourceProps) {
    super(scope, id);
    this.pool = props.pool;
    const { ip, warmupPercentage } = props;
    // The problems are reported on the pool, whose props they are.
    addPropChecks(props.pool,
      () => Token.isUnresolved(ip) || IPV4.test(ip) ? [] : [`dedicatedIps: "${ip}" is not an IPv4 address (four numbers from 0 to 255, without leading zeros)`],
      () => warmupPercentage === undefined || Token.isUnresolved(warmupPercentage)
        || (Number.isInteger(warmupPercentage) && warmupPercentage >= 0 && warmupPercentage <= 100)
        ? [] : [`warmupPercentage of ${ip}: ${warmupPercentage} is not an integer from 0 to 100`]);
    createPinpointEmailResource<DedicatedIpProperties>(this, {
      resourceType: ResourceTypes.DEDICATED_IP,
      // A dedicated IP is not a taggable resource: this manager stays empty and out of reach of Tags.of.
      tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.DEDICATED_IP),
      removalPolicy: props.removalPolicy,
      properties: { Ip: ip, PoolName: props.pool.dedicatedIpPoolName, WarmupPercentage: warmupPercentage },
    });
    // Dedicated IPs are no IAM resource type: reading an IP and setting its warm-up are granted on "*". An IP moves
    // into this pool on create, and back to the pool it came from (known only at deploy time) on delete.
    const provider = PinpointEmailProvider.of(this);
    provider.grantWithoutResource('dedicated-ip', ['ses:GetDedicatedIp', 'ses:PutDedicatedIpWarmupAttributes']);
    provider.grant('dedicated-ip', 'MoveDedicatedIpsBetweenPools', ['ses:PutDedicatedIpInPool'],
      Stack.of(this).formatArn({ service: 'ses', resource: ARN_RESOURCE, resourceName: '*' }), { wildcardReason: RETURN_REASON });
  }
}

const RETURN_REASON = 'PutDedicatedIpInPool is authorized on the destination pool. A dedicated IP of this stack goes back to ' +
  'the pool it was in before it moved here, which the handler reads at deploy time (GetDedicatedIp) and no synth-time ARN ' +
  'can name; the action only moves the account\'s own IPs between its pools in this region.';

function reservedNameProblems(name: string | undefined): string[] {
  return name !== undefined && RESERVED_NAMES.includes(name)
    ? [`dedicatedIpPoolName "${name}" is reserved for pools that Amazon manages`]
    : [];
}

function arnForName(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ses', resource: ARN_RESOURCE, resourceName: name });
}
