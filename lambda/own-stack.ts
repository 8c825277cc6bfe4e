/**
 * The handler's own stack, read with CloudFormation: whether it is rolling back (DescribeStacks), which a custom
 * resource event does not say, and its resources (ListStackResources). Only the client and those two commands are
 * bundled. Endpoint, region and credentials come from the SDK's own configuration (`AWS_ENDPOINT_URL_CLOUDFORMATION`
 * in the tests), as for the email API.
 */
import { CloudFormationClient, DescribeStacksCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { clientConfig, instrument } from './api';
import { log } from './log';

/** One resource of the stack, as ListStackResources shows it. */
export interface StackResource {
  readonly logicalId: string;
  readonly type: string;
  /** Absent while CloudFormation has none for it yet (a create in progress). */
  readonly physicalId?: string;
  /** CloudFormation's status of the resource (`UPDATE_COMPLETE`, `DELETE_IN_PROGRESS`, ...). */
  readonly status: string;
}

export interface OwnStack {
  /** Whether the stack's status is a rollback in progress; undefined when it cannot be read (logged). */
  isRollingBack(): Promise<boolean | undefined>;
  /** Every resource of the stack, all pages; undefined when they cannot be read (logged). */
  resources(): Promise<StackResource[] | undefined>;
}

/** The stack `stackId` (the event's StackId: the policy grants both reads on exactly it). */
export function createOwnStack(stackId: string, deadline: number): OwnStack {
  const client = instrument(new CloudFormationClient(clientConfig(deadline)));
  return {
    async isRollingBack() {
      try {
        const output = await client.send(new DescribeStacksCommand({ StackName: stackId }));
        const status = output.Stacks?.[0]?.StackStatus;
        return status === undefined ? undefined : /ROLLBACK_IN_PROGRESS$/.test(status);
      } catch (error) {
        log('the stack\'s status could not be read', { outcome: (error as Error).name });
        return undefined;
      }
    },
    async resources() {
      try {
        const found: StackResource[] = [];
        for await (const page of paginateListStackResources({ client }, { StackName: stackId })) {
          for (const r of page.StackResourceSummaries ?? []) {
            found.push({
              logicalId: String(r.LogicalResourceId),
              type: String(r.ResourceType),
              physicalId: r.PhysicalResourceId,
              status: String(r.ResourceStatus),
            });
          }
        }
        return found;
      } catch (error) {
        log('the stack\'s resources could not be read', { outcome: (error as Error).name });
        return undefined;
      }
    },
  };
}
