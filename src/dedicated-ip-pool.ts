import { IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DedicatedIpPoolProperties, ResourceTypes } from './private/contract';
import { recordDeclaredArn } from './private/declared-arns';
import { generatedNamePrefix, generateNameFor } from './private/physical-name';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { exactArnInPolicy } from './private/policy-arn';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks, patternProblems } from './private/validation';

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
   * Tags for the pool, merged with those applied by `Tags.of(scope)`.
   * At most 49 (the API allows 50, and the handler adds its ownership tag); keys of 1 to 128 characters and values of
   * up to 256, without the `aws:` prefix, and no key starting with `cdk-pinpoint-email:`.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the pool when it is removed from the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

const NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;
const NAME_RULE = 'up to 64 characters from a-z, 0-9, _ and -';
const RESERVED_NAMES = ['ses-default-dedicated-pool', 'ses-shared-pool'];
const NAME_OPTIONS = { maxLength: 64, lowerCase: true };
const ARN_RESOURCE = 'dedicated-ip-pool';

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

  constructor(scope: Construct, id: string, props: DedicatedIpPoolProps = {}) {
    // The name is known at synth (declared or generated): a consumer in another environment gets it as it is.
    super(scope, id, { physicalName: props.dedicatedIpPoolName ?? generateNameFor(scope, id, NAME_OPTIONS) });
    const nameOptions = NAME_OPTIONS;
    const declaredName = props.dedicatedIpPoolName ?? generateNameFor(scope, id, NAME_OPTIONS);
    addPropChecks(this,
      () => patternProblems('dedicatedIpPoolName', props.dedicatedIpPoolName, NAME_PATTERN, NAME_RULE),
      () => reservedNameProblems(props.dedicatedIpPoolName));

    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.DEDICATED_IP_POOL, props.tags);
    const resource = createPinpointEmailResource<DedicatedIpPoolProperties>(this, {
      resourceType: ResourceTypes.DEDICATED_IP_POOL,
      tags: this.tags,
      removalPolicy: props.removalPolicy,
      properties: { PoolName: declaredName },
    });
    this.dedicatedIpPoolName = this.getResourceNameAttribute(resource.ref);
    this.dedicatedIpPoolArn = this.getResourceArnAttribute(arnForName(this, resource.ref), {
      service: 'ses', resource: ARN_RESOURCE, resourceName: this.physicalName,
    });

    const declaredArn = arnForName(this, declaredName);
    recordDeclaredArn(this, declaredArn);
    PinpointEmailProvider.of(this).grantManage('dedicated-ip-pool',
      props.dedicatedIpPoolName === undefined ? arnForName(this, `${generatedNamePrefix(this, nameOptions)}*`) : exactArnInPolicy(declaredArn));
  }
}

function reservedNameProblems(name: string | undefined): string[] {
  return name !== undefined && RESERVED_NAMES.includes(name)
    ? [`dedicatedIpPoolName "${name}" is reserved for pools that Amazon manages`]
    : [];
}

function arnForName(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ses', resource: ARN_RESOURCE, resourceName: name });
}
