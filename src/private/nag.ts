import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding (`AwsSolutions-IAM5[Resource::...]`) on `scope` and its children, with the reason.
 *
 * `Validations.acknowledge` (aws-cdk-lib 2.257) rejects an id with more than one `::`, and every finding about an ARN
 * of this library has one more in `<AWS::Partition>` (cdklabs/cdk-nag#2351). Such an id is recorded the way
 * `acknowledge` records it: an entry under `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, which cdk-nag reads.
 */
export function acknowledgeNagFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/** The id of cdk-nag's finding for a wildcard resource, given the resource as cdk-nag writes it (see nagText). */
export function wildcardResourceFinding(resourceText: string): string {
  return `AwsSolutions-IAM5[Resource::${resourceText}]`;
}
