import { IResource } from 'aws-cdk-lib';

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
