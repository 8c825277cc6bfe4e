/**
 * The lifecycle driver: replays what CloudFormation does with the custom resources of a synthesized stack, against the
 * built handler asset run in this process, so that wire-level tests need no AWS account.
 *
 * ```ts
 * const driver = new LifecycleDriver({ env: { AWS_ENDPOINT_URL_PINPOINT_EMAIL: service.url } });
 * const created = await driver.deploy(Template.fromStack(stackV1).toJSON());   // CREATE_COMPLETE, or ROLLBACK_COMPLETE...
 * const updated = await driver.deploy(Template.fromStack(stackV2).toJSON());   // UPDATE_COMPLETE, or UPDATE_ROLLBACK_COMPLETE...
 * const deleted = await driver.destroy();                                      // DELETE_COMPLETE; also stops the ResponseURL server
 * ```
 *
 * What it models (CloudFormation's behaviour as the driver reproduces it):
 * - Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`) are invoked; other resources only count for
 *   the order, their `Ref` is the logical id and `Fn::GetAtt` a fake value (a Lambda function's `Arn` is a real-looking ARN,
 *   and becomes the context's `invokedFunctionArn`).
 * - Create and update walk the dependency graph (`DependsOn`, `Ref`, `Fn::GetAtt`, `Fn::Sub`); a resource starts as soon as
 *   its dependencies are done, all ready resources at once unless `concurrency` bounds them. After a failure nothing
 *   new starts; the requests under way finish.
 * - Properties are resolved when the resource starts and sent with every scalar as a string. An update sends `Update`
 *   only where the resolved properties differ (a changed `Ref` target counts).
 * - A response is judged as CloudFormation does: over 4096 bytes, not JSON, a wrong `RequestId`/`StackId`/`LogicalResourceId`,
 *   or SUCCESS without `PhysicalResourceId` fail the resource; no response (the handler returned or threw without a
 *   PUT, or ran past `timeoutMs`) fails it with "no response from handler".
 * - Create rollback: Delete everything created (reverse order), the failed resources included with the id their FAILED
 *   response gave. A failed Create without a usable response gets a Delete with a placeholder id (`<stack>-<logicalId>-<random>`,
 *   flagged `placeholderPhysicalId`), as CloudFormation still sends one.
 * - Update rollback: every resource the update changed, the one that failed included, gets an `Update` back to the old
 *   template (`ResourceProperties` = old, `OldResourceProperties` = what the update sent, `PhysicalResourceId` = its
 *   current id, or for the failed one the id its FAILED response gave); then Deletes of the resources the update created,
 *   then of every physical id the update produced that the rollback did not keep.
 * - Cleanup (after a successful update, and after an update rollback): a delete failure is reported in
 *   `cleanupFailures` and does not change the stack status.
 * - `DeletionPolicy: Retain` skips the Delete on destroy, on removal from the template and in a create rollback;
 *   `RetainExceptOnCreate` is deleted in the rollback of the operation that created it; `UpdateReplacePolicy: Retain`
 *   keeps the replaced physical id.
 * - Conditions (`Fn::Equals/And/Or/Not`, `Fn::If`, resource `Condition`), `Fn::Join/Select/Split/Sub/FindInMap/Base64/GetAZs`
 *   and the pseudo parameters resolve; other intrinsics (`Fn::ImportValue`, `Fn::Cidr`...) in a custom resource's
 *   properties make `deploy()` reject before anything is sent.
 */
export { DEFAULT_HANDLER_PATH, describeEvent, LifecycleDriver, LifecycleDriverError, MAX_RESPONSE_BYTES } from './driver';
export type {
  DriverEvent,
  DriverFailure,
  DriverResult,
  LifecycleDriverOptions,
  Phase,
  Properties,
  RequestType,
  ResourceState,
  ResponseBody,
  RetainedResource,
  StackStatus,
} from './driver';
export type { CustomResourceHandler, EnvVars } from './handler-runtime';
export type { AppliedPolicy, IamBinding } from './iam';
export { isCustomResourceType, stringifyLeaves } from './template';
export type { CfnResource, CfnTemplate } from './template';
