/**
 * A local, wire-faithful Amazon Pinpoint Email service (`/v1/email/...`) and SES API v2 (`/v2/email/...`), restJson1, over
 * one state, for tests: the real `@aws-sdk/client-pinpoint-email` and `@aws-sdk/client-sesv2` talk to it over HTTP.
 * Routes, bindings, required members, types and enum values come from each API's Smithy model (model.generated.ts and
 * model-sesv2.generated.ts, written by scripts/generate-service-model.ts); documented constraints, state per
 * (account, region) and fault injection are on top. Each API answers the members of its own output shapes.
 *
 *   const service = await LocalPinpointEmailService.start();
 *   Object.assign(process.env, service.clientEnv()); // AWS_ENDPOINT_URL_PINPOINT_EMAIL, AWS_ENDPOINT_URL_SESV2, AWS_REGION, dummy credentials
 *   ... new PinpointEmailClient({}) ... new SESv2Client({}) ...
 *   service.account().configurationSets.get('cs1'); service.callsOf('TagResource', 'v2'); await service.stop();
 *
 * The account is the SigV4 access key id when it is 12 digits (else `defaultAccountId`), the region is the credential scope's.
 * Such a key is the account's root user; a key from `iam.credentialsFor(roleArn)` is a session of that role, and every
 * request it signs is authorized against the role's policies in force (403 AccessDeniedException otherwise).
 * `account(id?, region?)` gives the plain state of one account and region (see state.ts) to assert on and to seed.
 */
import { ApiVersion } from './apis';
import { Faults } from './faults';
import { IamAuthorizer } from './iam';
import { Paginator } from './pagination';
import { DEFAULT_REGION, HttpServer, RecordedCall, ServiceCore } from './server';
import { AccountState, ServiceState } from './state';

export type { RecordedCall } from './server';
export type { ApiVersion } from './apis';
export { REDACTED } from './redact';
export type {
  AccountSettings, ConfigurationSetRecord, DashboardRecord, DedicatedIpPoolRecord, DedicatedIpRecord, DeliverabilityTestReportRecord,
  DkimSigningRecord, EmailIdentityRecord, SentEmailRecord,
} from './state';
export { AccountState } from './state';
export type { ResourceType } from './constraints';
export type { RoleCredentials, RolePolicy } from './iam';
export { evaluate, IamAuthorizer } from './iam';
export type { AuthorizationRequest } from './iam-requests';

export const DEFAULT_ACCOUNT_ID = '123456789012';

export class LocalPinpointEmailService {
  /** Starts the service on 127.0.0.1 on a free port. */
  static async start(options: { defaultAccountId?: string } = {}): Promise<LocalPinpointEmailService> {
    const core: ServiceCore = {
      state: new ServiceState(),
      faults: new Faults(),
      paginator: new Paginator(),
      calls: [],
      defaultAccountId: options.defaultAccountId ?? DEFAULT_ACCOUNT_ID,
      iam: new IamAuthorizer(),
    };
    return new LocalPinpointEmailService(core, await HttpServer.listen(core));
  }

  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** every request, in arrival order (faulted and rejected ones too) */
  readonly calls: RecordedCall[];
  /**
   * IAM: role sessions and their policies. Requests signed by a role session are authorized against the role's
   * policies in force; the lifecycle driver applies a stack's policies here (`LifecycleDriverOptions.iam`).
   */
  readonly iam: IamAuthorizer;

  private constructor(private readonly core: ServiceCore, private readonly http: HttpServer) {
    this.endpoint = `http://127.0.0.1:${http.port}`;
    this.calls = core.calls;
    this.iam = core.iam;
  }

  /** Closes the server and its open sockets. */
  async stop(): Promise<void> {
    await this.http.close();
  }

  /** The recorded calls of `operation` (through `api` only, when given). */
  callsOf(operation: string, api?: ApiVersion): RecordedCall[] {
    return this.calls.filter((c) => c.operation === operation && (api === undefined || c.api === api));
  }

  /** The recorded calls (through `api` only, when given) of operations that may change state: all but Get* and List*. */
  writeCalls(api?: ApiVersion): RecordedCall[] {
    return this.calls.filter((c) => c.api !== undefined && !/^(Get|List)/.test(c.operation) && (api === undefined || c.api === api));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** The state of one account and region (default: the default account, us-east-1), created empty on first use. */
  account(accountId: string = this.core.defaultAccountId, region: string = DEFAULT_REGION): AccountState {
    return this.core.state.get(accountId, region);
  }

  /**
   * The environment that points a Pinpoint Email or SES v2 client (or a spawned handler) built with no endpoint option
   * at this service, as `accountId` (used as the access key id) in `region`.
   */
  clientEnv(options: { accountId?: string; region?: string } = {}): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_PINPOINT_EMAIL: this.endpoint,
      AWS_ENDPOINT_URL_SESV2: this.endpoint,
      AWS_REGION: options.region ?? DEFAULT_REGION,
      AWS_ACCESS_KEY_ID: options.accountId ?? this.core.defaultAccountId,
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    };
  }

  /** Forgets all state, page tokens, recorded calls and faults. */
  reset(): void {
    this.core.state.clear();
    this.core.paginator.clear();
    this.clearCalls();
    this.resetFaults();
    this.core.iam.clear();
  }

  resetFaults(): void {
    this.core.faults.reset();
  }

  /** Above N requests in any sliding 1 s window (all accounts) -> 429 TooManyRequestsException; undefined turns it off. */
  setRateLimit(requestsPerSecond: number | undefined): void {
    this.core.faults.setRateLimit(requestsPerSecond);
  }

  /**
   * The next `count` valid calls of `operation` (through `api` only, when given) fail with `errorName`: a model error that
   * the operation declares in each API the calls may come through (status from the model), or a common error.
   */
  failNext(operation: string, count: number, errorName: string, message?: string, api?: ApiVersion): void {
    this.core.faults.failNext(operation, count, errorName, message, api);
  }

  /** Adds `ms` of latency to every request. */
  setLatency(ms: number): void {
    this.core.faults.latencyMs = ms;
  }

  /** Destroys the socket of the next `count` requests (of `operation` if given) without answering. */
  dropNextConnections(count: number, operation?: string): void {
    this.core.faults.dropNextConnections(count, operation);
  }
}
