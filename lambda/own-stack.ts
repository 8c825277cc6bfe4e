/**
 * The handler's own stack, read with CloudFormation's DescribeStacks: whether it is rolling back, which a custom
 * resource event does not say. Only the client and DescribeStacks are bundled. Endpoint, region and credentials come
 * from the SDK's own configuration (`AWS_ENDPOINT_URL_CLOUDFORMATION` in the tests), as for the email API.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { clientConfig, instrument } from './api';
import { log } from './log';

export interface OwnStack {
  /** Whether the stack's status is a rollback in progress; undefined when it cannot be read (logged). */
  isRollingBack(): Promise<boolean | undefined>;
}

/** The stack `stackId` (the event's StackId: the policy grants DescribeStacks on exactly it). */
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
  };
}
