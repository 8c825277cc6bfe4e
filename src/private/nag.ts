import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding (`AwsSolutions-IAM5[Resource::...]`) on `scope` and its children, with the reason.
 * A finding acknowledged again for another reason keeps both reasons (one resource text can be granted for two
 * reasons, for example `configuration-set/*` both by ownership tag and to fit the size limit).
 *
 * `Validations.acknowledge` (aws-cdk-lib 2.257) rejects an id with more than one `::`, and every finding about an ARN
 * of this library has one more in `<AWS::Partition>` (cdklabs/cdk-nag#2351). So every id is recorded the way
 * `acknowledge` records it: in the record of the construct's last entry under
 * `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, which cdk-nag reads. The construct keeps one such entry.
 */
export function acknowledgeNagFinding(scope: IConstruct, id: string, reason: string): void {
  const record = acknowledgementRecord(scope);
  const known = record[id];
  record[id] = known === undefined ? reason : known.includes(reason) ? known : `${known} ${reason}`;
}

/** The id of cdk-nag's finding for a wildcard resource, given the resource as cdk-nag writes it (see nagText). */
export function wildcardResourceFinding(resourceText: string): string {
  return `AwsSolutions-IAM5[Resource::${resourceText}]`;
}

function acknowledgementRecord(scope: IConstruct): Record<string, string> {
  const entries = scope.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  const last = entries[entries.length - 1];
  if (last) return last.data as Record<string, string>;
  const record: Record<string, string> = {};
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, record);
  return record;
}
