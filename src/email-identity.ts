import { IResource } from 'aws-cdk-lib';

/** A Pinpoint Email identity: an email address or a domain. */
export interface IEmailIdentity extends IResource {
  /**
   * The email address or domain of the identity.
   * @attribute
   */
  readonly emailIdentityName: string;

  /**
   * The ARN of the identity (`arn:<partition>:ses:<region>:<account>:identity/<address-or-domain>`).
   * @attribute
   */
  readonly emailIdentityArn: string;
}
