import { CfnDeletionPolicy, CfnResource, CustomResource, Lazy, RemovalPolicy, TagManager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CommonProperties, ResourceType, SCHEMA_VERSION } from './contract';
import { PinpointEmailProvider, SERVICE_TIMEOUT } from './provider';
import { tagsProperty } from './tags-property';
import { addPropChecks, enumProblems, isEnumMember } from './validation';
import { tagProblems } from '../tags';

export interface PinpointEmailResourceOptions<P extends CommonProperties> {
  readonly resourceType: ResourceType;
  /** The resource's own properties; `SchemaVersion` and `Tags` are added here. */
  readonly properties: Omit<P, keyof CommonProperties>;
  readonly tags: TagManager;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Creates the custom resource of a construct, served by the stack's provider, with the rendered tags
 * (props and `Tags.of`) and the removal policy validated at synth.
 */
export function createPinpointEmailResource<P extends CommonProperties>(
  scope: Construct,
  options: PinpointEmailResourceOptions<P>,
): CustomResource {
  const provider = PinpointEmailProvider.of(scope);
  addPropChecks(scope,
    () => enumProblems('removalPolicy', options.removalPolicy, RemovalPolicy, 'RemovalPolicy'),
    () => tagProblems(options.tags.tagValues()).map((problem) => `tags: ${problem}`));
  const resource = new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: options.resourceType,
    serviceTimeout: SERVICE_TIMEOUT,
    // An invalid value fails synth through the check above, with the construct path; aws-cdk-lib would throw without it.
    removalPolicy: isEnumMember(RemovalPolicy, options.removalPolicy) ? options.removalPolicy : RemovalPolicy.DESTROY,
    properties: {
      SchemaVersion: SCHEMA_VERSION,
      ...options.properties,
      Tags: Lazy.any({ produce: () => tagsProperty(options.tags) }),
    },
  });
  omitDefaultDeletePolicies(resource.node.defaultChild as CfnResource);
  // The permissions of this resource type are in force before it is created, and until after it is deleted.
  resource.node.addDependency(provider.policyFor(options.resourceType));
  return resource;
}

/**
 * `Delete` is CloudFormation's default `DeletionPolicy` and `UpdateReplacePolicy` of a custom resource: writing it
 * costs bytes per resource and changes nothing. Other policies (`RETAIN`, `SNAPSHOT`, ...) stay in the template.
 */
function omitDefaultDeletePolicies(resource: CfnResource): void {
  if (resource.cfnOptions.deletionPolicy === CfnDeletionPolicy.DELETE) resource.cfnOptions.deletionPolicy = undefined;
  if (resource.cfnOptions.updateReplacePolicy === CfnDeletionPolicy.DELETE) resource.cfnOptions.updateReplacePolicy = undefined;
}
