/**
 * The port the resource handlers call: one operation name and one input, sent through the backend the stack chose
 * (the Pinpoint Email API or the SES API v2). Both APIs have the same operations, paths and errors; SES v2 only adds
 * members and operations, so inputs and outputs are typed after SES v2 and the Pinpoint Email client is sent the same
 * object. Only the commands listed here are bundled.
 */
import * as v1 from '@aws-sdk/client-pinpoint-email';
import * as v2 from '@aws-sdk/client-sesv2';
import { EMAIL_API_ENV, EmailApiBackend, EmailApiBackends } from '../src/private/contract';

/** Operation -> [Pinpoint Email (v1) command, SES v2 command]; `undefined` where only SES v2 has the operation. */
const COMMANDS = {
  CreateConfigurationSet: [v1.CreateConfigurationSetCommand, v2.CreateConfigurationSetCommand],
  DeleteConfigurationSet: [v1.DeleteConfigurationSetCommand, v2.DeleteConfigurationSetCommand],
  PutConfigurationSetDeliveryOptions: [v1.PutConfigurationSetDeliveryOptionsCommand, v2.PutConfigurationSetDeliveryOptionsCommand],
  PutConfigurationSetReputationOptions: [v1.PutConfigurationSetReputationOptionsCommand, v2.PutConfigurationSetReputationOptionsCommand],
  PutConfigurationSetSendingOptions: [v1.PutConfigurationSetSendingOptionsCommand, v2.PutConfigurationSetSendingOptionsCommand],
  PutConfigurationSetTrackingOptions: [v1.PutConfigurationSetTrackingOptionsCommand, v2.PutConfigurationSetTrackingOptionsCommand],
  PutConfigurationSetSuppressionOptions: [undefined, v2.PutConfigurationSetSuppressionOptionsCommand],
  PutConfigurationSetVdmOptions: [undefined, v2.PutConfigurationSetVdmOptionsCommand],
  CreateConfigurationSetEventDestination: [v1.CreateConfigurationSetEventDestinationCommand, v2.CreateConfigurationSetEventDestinationCommand],
  GetConfigurationSetEventDestinations: [v1.GetConfigurationSetEventDestinationsCommand, v2.GetConfigurationSetEventDestinationsCommand],
  UpdateConfigurationSetEventDestination: [v1.UpdateConfigurationSetEventDestinationCommand, v2.UpdateConfigurationSetEventDestinationCommand],
  DeleteConfigurationSetEventDestination: [v1.DeleteConfigurationSetEventDestinationCommand, v2.DeleteConfigurationSetEventDestinationCommand],
  CreateDedicatedIpPool: [v1.CreateDedicatedIpPoolCommand, v2.CreateDedicatedIpPoolCommand],
  DeleteDedicatedIpPool: [v1.DeleteDedicatedIpPoolCommand, v2.DeleteDedicatedIpPoolCommand],
  GetDedicatedIpPool: [undefined, v2.GetDedicatedIpPoolCommand],
  PutDedicatedIpPoolScalingAttributes: [undefined, v2.PutDedicatedIpPoolScalingAttributesCommand],
  GetDedicatedIp: [v1.GetDedicatedIpCommand, v2.GetDedicatedIpCommand],
  PutDedicatedIpInPool: [v1.PutDedicatedIpInPoolCommand, v2.PutDedicatedIpInPoolCommand],
  PutDedicatedIpWarmupAttributes: [v1.PutDedicatedIpWarmupAttributesCommand, v2.PutDedicatedIpWarmupAttributesCommand],
  CreateEmailIdentity: [v1.CreateEmailIdentityCommand, v2.CreateEmailIdentityCommand],
  GetEmailIdentity: [v1.GetEmailIdentityCommand, v2.GetEmailIdentityCommand],
  DeleteEmailIdentity: [v1.DeleteEmailIdentityCommand, v2.DeleteEmailIdentityCommand],
  PutEmailIdentityDkimAttributes: [v1.PutEmailIdentityDkimAttributesCommand, v2.PutEmailIdentityDkimAttributesCommand],
  PutEmailIdentityFeedbackAttributes: [v1.PutEmailIdentityFeedbackAttributesCommand, v2.PutEmailIdentityFeedbackAttributesCommand],
  PutEmailIdentityMailFromAttributes: [v1.PutEmailIdentityMailFromAttributesCommand, v2.PutEmailIdentityMailFromAttributesCommand],
  PutEmailIdentityDkimSigningAttributes: [undefined, v2.PutEmailIdentityDkimSigningAttributesCommand],
  PutEmailIdentityConfigurationSetAttributes: [undefined, v2.PutEmailIdentityConfigurationSetAttributesCommand],
  CreateDeliverabilityTestReport: [v1.CreateDeliverabilityTestReportCommand, v2.CreateDeliverabilityTestReportCommand],
  ListDeliverabilityTestReports: [v1.ListDeliverabilityTestReportsCommand, v2.ListDeliverabilityTestReportsCommand],
  GetDeliverabilityDashboardOptions: [v1.GetDeliverabilityDashboardOptionsCommand, v2.GetDeliverabilityDashboardOptionsCommand],
  PutDeliverabilityDashboardOption: [v1.PutDeliverabilityDashboardOptionCommand, v2.PutDeliverabilityDashboardOptionCommand],
  GetAccount: [v1.GetAccountCommand, v2.GetAccountCommand],
  PutAccountDedicatedIpWarmupAttributes: [v1.PutAccountDedicatedIpWarmupAttributesCommand, v2.PutAccountDedicatedIpWarmupAttributesCommand],
  PutAccountSendingAttributes: [v1.PutAccountSendingAttributesCommand, v2.PutAccountSendingAttributesCommand],
  TagResource: [v1.TagResourceCommand, v2.TagResourceCommand],
  UntagResource: [v1.UntagResourceCommand, v2.UntagResourceCommand],
  ListTagsForResource: [v1.ListTagsForResourceCommand, v2.ListTagsForResourceCommand],
} as const;

export type Operation = keyof typeof COMMANDS;
type Sesv2Command<O extends Operation> = InstanceType<(typeof COMMANDS)[O][1]>;
export type InputOf<O extends Operation> = Sesv2Command<O>['input'];
export type OutputOf<O extends Operation> = Awaited<ReturnType<ReturnType<Sesv2Command<O>['resolveMiddleware']>>>['output'];

/** The operations that only SES v2 has: the constructs refuse the options that need them on the Pinpoint Email backend. */
export const SESV2_ONLY_OPERATIONS = (Object.keys(COMMANDS) as Operation[]).filter((op) => COMMANDS[op][0] === undefined);

/** What the handlers call. */
export interface EmailApi {
  readonly backend: EmailApiBackend;
  call<O extends Operation>(operation: O, input: InputOf<O>): Promise<OutputOf<O>>;
}

/** The backend named by the function's environment; unset is Pinpoint Email, any other value a defect of synth. */
export function backendOf(env: Record<string, string | undefined>): EmailApiBackend {
  const value = env[EMAIL_API_ENV] ?? EmailApiBackends.PINPOINT_EMAIL;
  if (!(Object.values(EmailApiBackends) as string[]).includes(value)) {
    throw new Error(`${EMAIL_API_ENV} is "${value}"; expected one of ${Object.values(EmailApiBackends).join(', ')}`);
  }
  return value as EmailApiBackend;
}

/** The SDK client of each backend: one client class per backend, configured and instrumented alike (api.ts). */
export type SdkClient = v1.PinpointEmailClient | v2.SESv2Client;

/** What api.ts configures: the config members both clients take alike. */
export type SdkClientConfig = Pick<v1.PinpointEmailClientConfig, 'retryStrategy' | 'requestHandler'>;

export function createSdkClient(backend: EmailApiBackend, config: SdkClientConfig): SdkClient {
  return backend === EmailApiBackends.SES_V2 ? new v2.SESv2Client(config) : new v1.PinpointEmailClient(config);
}

export function emailApiOver(backend: EmailApiBackend, client: SdkClient): EmailApi {
  const index = backend === EmailApiBackends.SES_V2 ? 1 : 0;
  return {
    backend,
    call(operation, input) {
      const Command = COMMANDS[operation][index] as (new (input: unknown) => never) | undefined;
      if (!Command) throw new UnsupportedOperation(operation, backend);
      return (client as unknown as { send(command: unknown): Promise<never> }).send(new Command(input));
    },
  };
}

/** An operation that the chosen backend does not have. Synth refuses the options that need it, so this is a defect. */
export class UnsupportedOperation extends Error {
  constructor(operation: string, backend: string) {
    super(`${operation} is not part of the ${backend} API; it needs the SES v2 backend (context key cdk-pinpoint-email:api = sesv2)`);
    this.name = 'UnsupportedOperation';
  }
}
