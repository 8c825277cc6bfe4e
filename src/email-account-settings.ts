import { RemovalPolicy, Resource, Stack, TagManager, TagType } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AccountSettingsProperties, ResourceTypes } from './private/contract';
import { createPinpointEmailResource } from './private/pinpoint-email-resource';
import { PinpointEmailProvider } from './private/provider';
import { addPropChecks } from './private/validation';

/** Properties of `EmailAccountSettings`. Each setting is changed only when it is declared. */
export interface EmailAccountSettingsProps {
  /**
   * Whether the account may send email in this region (`PutAccountSendingAttributes`). `false` pauses all sending of
   * the account in the region, not only that of this stack. It cannot resume sending that AWS paused.
   * @default - left as it is
   */
  readonly sendingEnabled?: boolean;

  /**
   * Whether Amazon warms up the account's dedicated IPs in this region automatically
   * (`PutAccountDedicatedIpWarmupAttributes`). Turn it off to set warm-up percentages yourself
   * (`DedicatedIpPool.addDedicatedIp(ip, { warmupPercentage })`).
   * @default - left as it is
   */
  readonly autoWarmupEnabled?: boolean;

  /**
   * What happens when the settings leave the stack. With `DESTROY`, every declared setting gets back the value it had
   * before this resource was created; with `RETAIN`, the settings stay as they are.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Marks the construct so that a second one in the same stack fails synth. */
const MARKER = Symbol.for('cdk-pinpoint-email.EmailAccountSettings');

/**
 * Settings of the whole Amazon Pinpoint Email account in the stack's region: whether it may send, and whether its
 * dedicated IPs are warmed up automatically. They are not settings of this stack: every application of the account
 * and region is affected. Declare at most one per account and region (a stack can hold only one).
 *
 * Create reads the account (`GetAccount`) and changes only the declared settings whose value differs; update changes
 * only the settings whose declared value changed (a setting removed from the props gets back the value found at
 * create); delete puts back, for each declared setting, the value found at create.
 *
 * @resource Custom::PinpointEmailAccountSettings
 */
export class EmailAccountSettings extends Resource {
  constructor(scope: Construct, id: string, props: EmailAccountSettingsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const others = stack.node.findAll().filter((c: IConstruct) => MARKER in c && Stack.of(c) === stack);
    Object.defineProperty(this, MARKER, { value: true });
    addPropChecks(this,
      () => others.length > 0 ? [`a stack can have only one EmailAccountSettings, and ${others[0].node.path} is one already: the settings belong to the whole account and region`] : []);

    createPinpointEmailResource<AccountSettingsProperties>(this, {
      resourceType: ResourceTypes.ACCOUNT_SETTINGS,
      // The account is not a taggable resource: this manager stays empty and out of reach of Tags.of.
      tags: new TagManager(TagType.KEY_VALUE, ResourceTypes.ACCOUNT_SETTINGS),
      removalPolicy: props.removalPolicy,
      properties: { SendingEnabled: props.sendingEnabled, AutoWarmupEnabled: props.autoWarmupEnabled },
    });

    // Account-level operations, without resource-level permissions: on "*", in a policy of their own that only a stack
    // with EmailAccountSettings has, and that outlives its custom resource. Both writes even when one setting is not
    // declared: an update that stops declaring a setting puts its old value back, and so does the rollback of an update
    // that started declaring one, each under the policy of the other template.
    PinpointEmailProvider.of(this).grantWithoutResource('account-settings',
      ['ses:GetAccount', 'ses:PutAccountSendingAttributes', 'ses:PutAccountDedicatedIpWarmupAttributes']);
  }
}
