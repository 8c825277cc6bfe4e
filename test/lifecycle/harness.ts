/**
 * Shared setup of the wire-level lifecycle tests: one local Pinpoint Email service per test file, a fresh lifecycle
 * driver (one stack) per test, and helpers to synthesize, deploy and read the service's state.
 *
 *   const h = lifecycleHarness();
 *   const result = await h.deployApp((stack) => new ConfigurationSet(stack, 'Set', { ... }));
 *   expect(h.operations()).toEqual(['CreateConfigurationSet']);
 *   expect(h.state().configurationSets.get('name')).toMatchObject({ ... });
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OWNER_TAG_KEY, ownerMarker } from '../../lambda/ownership';
import { EmailApi, EmailApiVersion } from '../../src';
import { EMAIL_API_ENV, EmailApiBackends } from '../../src/private/contract';
import { DriverResult, EnvVars, LifecycleDriver, LifecycleDriverOptions } from '../support/lifecycle-driver';
import { LocalSecretsManager } from '../support/local-secrets';
import {
  AccountSettings, AccountState, ConfigurationSetRecord, DashboardRecord, DedicatedIpPoolRecord, DedicatedIpRecord, DeliverabilityTestReportRecord,
  EmailIdentityRecord, LocalPinpointEmailService,
  RecordedCall,
} from '../support/local-service';

/** The CDK stack's name, also given to the driver (generated physical names start with it). */
export const STACK_NAME = 'S';

/** A Lambda timeout well under the real one (10 minutes): the handler keeps 30 s of it for answering, so 60 s leaves 30 s of retries. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface LifecycleHarness {
  /** The service of this test file. */
  readonly service: LocalPinpointEmailService;
  /** The local Secrets Manager of this test file (`secretsManager: true`), on the service's IAM. */
  readonly secretsManager: LocalSecretsManager;
  /** The driver of the current test. */
  readonly driver: LifecycleDriver;
  /** The service's state of the driver's account and region. */
  state(): AccountState;
  /** The template of a new app with one stack built by `build`, on the harness's API. */
  synth(build: (stack: Stack) => void): Record<string, any>;
  /** Synthesizes a new app with one stack built by `build`, forgets the recorded calls, and deploys (create or update). */
  deployApp(build: (stack: Stack) => void): Promise<DriverResult>;
  /** Forgets the recorded calls and destroys the stack. */
  destroy(): Promise<DriverResult>;
  /** The operation names the service recorded since the last deployApp/destroy (or clearCalls), in arrival order. */
  operations(): string[];
  /** The recorded calls of one operation since the last deployApp/destroy. */
  callsOf(operation: string): RecordedCall[];
  /** The CloudFormation logical id of the custom resource of the top-level construct `constructId` (`Set` -> `Set5432AD3D`), from the driver's events. */
  logicalId(constructId: string): string;
  /** Replaces the current test's driver (before its first deploy) by one with this Lambda timeout, for a test that retries for long. */
  setTimeoutMs(timeoutMs: number): void;
  /** Replaces the current test's driver (before its first deploy) by one with these options. */
  replaceDriver(options: Omit<LifecycleDriverOptions, 'env'>): void;
  /**
   * The ownership tag the handler adds to what the custom resource of construct `constructId` creates (see
   * lambda/ownership.ts), as a matcher: its value also names the request that created the resource.
   */
  ownerTag(constructId: string): Record<string, string>;
  /** The environment the handler runs with: the service's client settings plus the harness's `env`. */
  handlerEnv(): EnvVars;
  /** A new driver (a new stack) with the harness's environment; the caller destroys or closes it. */
  newDriver(options?: Omit<LifecycleDriverOptions, 'env'>): LifecycleDriver;
}

export interface HarnessOptions {
  /** The driver's Lambda timeout. @default DEFAULT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** The CDK stack's name, also given to the driver. @default STACK_NAME */
  readonly stackName?: string;
  /** Environment variables the handler gets on top of the service's client settings. */
  readonly env?: EnvVars;
  /**
   * Dedicated IPs leased to the account before each test, all in the default pool (`ses-default-dedicated-pool`): no
   * API leases one, so a test of `DedicatedIpPool.dedicatedIps` seeds them here.
   */
  readonly leasedDedicatedIps?: readonly string[];
  /** Extra driver options (onEvent...). */
  readonly driver?: Omit<LifecycleDriverOptions, 'env' | 'stackName' | 'timeoutMs'>;
  /** The API of the stacks that deployApp synthesizes (the context key `cdk-pinpoint-email:api`). @default the library's default */
  readonly api?: EmailApiVersion;
  /** Serve a local Secrets Manager (test/support/local-secrets.ts) beside the service, for the handler. @default false */
  readonly secretsManager?: boolean;
}

/** Both backends, for suites that run against each: `describe.each(BACKENDS)('%s', (api) => ...)`. */
export const BACKENDS: readonly EmailApiVersion[] = [EmailApiVersion.PINPOINT_EMAIL, EmailApiVersion.SES_V2];

/** Registers the jest hooks of a lifecycle test file and returns its harness. */
export function lifecycleHarness(options: HarnessOptions = {}): LifecycleHarness {
  let service: LocalPinpointEmailService | undefined;
  let secretsManager: LocalSecretsManager | undefined;
  let driver: LifecycleDriver | undefined;

  beforeAll(async () => {
    service = await LocalPinpointEmailService.start();
    if (options.secretsManager) secretsManager = await LocalSecretsManager.start(service.iam);
  });
  afterAll(async () => {
    await service?.stop();
    await secretsManager?.stop();
  });
  const stackName = options.stackName ?? STACK_NAME;
  const handlerEnv = (): EnvVars => ({ ...service!.clientEnv(), ...secretsManager?.clientEnv(), ...options.env });
  // IAM is enforced: the stack's policies are applied to the service in CloudFormation's order (options.driver may
  // override `iam`, and a test that does says why).
  const newDriver = (driverOptions: Omit<LifecycleDriverOptions, 'env'> = {}) => new LifecycleDriver({
    stackName, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, iam: service!.iam, ...options.driver, ...driverOptions, env: handlerEnv(),
  });
  beforeEach(() => {
    deployedWire = undefined;
    service!.reset();
    secretsManager?.reset();
    for (const ip of options.leasedDedicatedIps ?? []) service!.account().addDedicatedIp(ip);
    driver = newDriver();
  });
  afterEach(async () => {
    // Leave nothing behind for the next test: no pending fault, no stack, no open ResponseURL server.
    service!.resetFaults();
    if (driver?.status !== undefined) await driver.destroy();
    else await driver?.close();
  });

  // Every call of the handler (signed by its role) went through the API of the templates deployed (an update or its
  // rollback: the old one's or the new one's), so that a suite run on both APIs really runs on both.
  let deployedWire: string | undefined;
  const throughTheirApi = (result: DriverResult, wires: Array<string | undefined>): DriverResult => {
    if (wires.every((wire) => wire === undefined)) return result;
    const other = h.service.calls.filter((c) => c.roleArn !== undefined && !wires.includes(c.api));
    if (other.length > 0) throw new Error(`handler calls not through ${wires.join(' or ')}: ${other.map((c) => `${c.operation} (${c.api})`).join(', ')}`);
    return result;
  };
  const h: LifecycleHarness = {
    get service() {
      if (!service) throw new Error('the lifecycle harness is used outside a test');
      return service;
    },
    get driver() {
      if (!driver) throw new Error('the lifecycle harness is used outside a test');
      return driver;
    },
    get secretsManager() {
      if (!secretsManager) throw new Error('the lifecycle harness serves no Secrets Manager: pass secretsManager: true');
      return secretsManager;
    },
    state: () => h.service.account(),
    synth: (build) => synth(build, stackName, options.api),
    async deployApp(build) {
      const template = h.synth(build);
      h.service.clearCalls();
      // (a stack that a test deployed without deployApp: its API is not known, nor checked)
      const wires = h.driver.status !== undefined && deployedWire === undefined ? [] : [deployedWire, wireOf(template)];
      deployedWire = wireOf(template);
      return throughTheirApi(await h.driver.deploy(template), wires);
    },
    async destroy() {
      h.service.clearCalls();
      return throughTheirApi(await h.driver.destroy(), [deployedWire]);
    },
    operations: () => h.service.calls.map((c) => c.operation),
    callsOf: (operation) => h.service.callsOf(operation),
    logicalId(constructId) {
      // A construct's `Resource` child takes the construct's path plus an 8-character hash as its logical id.
      const pattern = new RegExp(`^${constructId}[0-9A-F]{8}$`);
      const event = h.driver.events.find((e) => pattern.test(e.logicalId));
      if (!event) throw new Error(`no event of a construct ${constructId} yet`);
      return event.logicalId;
    },
    setTimeoutMs(timeoutMs) {
      h.replaceDriver({ timeoutMs });
    },
    replaceDriver(driverOptions) {
      if (h.driver.status !== undefined) throw new Error('replaceDriver: the stack is already deployed');
      driver = newDriver(driverOptions);
    },
    ownerTag(constructId) {
      const stackId = h.driver.stackId;
      if (!stackId) throw new Error('there is no stack');
      // The marker, then the RequestId of the create (and flags): matched, since the RequestId is the driver's.
      const marker = ownerMarker(stackId, h.logicalId(constructId));
      return { [OWNER_TAG_KEY]: expect.stringMatching(new RegExp(`^${marker} request=[0-9a-f-]{36}( .*)?$`)) };
    },
    handlerEnv,
    newDriver,
  };
  return h;
}

/** The API (`v1`, `v2`) that the handler of `template` calls: the one its function's environment names. */
function wireOf(template: Record<string, any>): string {
  const functions = Object.values(template.Resources ?? {}).filter((r: any) => r.Type === 'AWS::Lambda::Function') as any[];
  const chosen = functions.map((f) => f.Properties?.Environment?.Variables?.[EMAIL_API_ENV]).find((v) => v !== undefined);
  return chosen === EmailApiBackends.SES_V2 ? 'v2' : 'v1';
}

/** The template of a new app's stack `stackName`, built by `build`, on `api` (the context key) when given. */
export function synth(build: (stack: Stack) => void, stackName = STACK_NAME, api?: EmailApiVersion): Record<string, any> {
  const app = new App({ context: api === undefined ? {} : { [EmailApi.CONTEXT_KEY]: api } });
  const stack = new Stack(app, stackName);
  build(stack);
  return Template.fromStack(stack).toJSON();
}

/** What a test compares before and after an operation: every resource kind the constructs manage, deep-copied. */
export interface StateSnapshot {
  readonly configurationSets: Map<string, ConfigurationSetRecord>;
  readonly dedicatedIpPools: Map<string, DedicatedIpPoolRecord>;
  readonly emailIdentities: Map<string, EmailIdentityRecord>;
  readonly deliverabilityTestReports: Map<string, DeliverabilityTestReportRecord>;
  readonly dedicatedIps: Map<string, DedicatedIpRecord>;
  readonly settings: AccountSettings;
  readonly dashboard: DashboardRecord;
}

export function snapshot(state: AccountState): StateSnapshot {
  return structuredClone({
    configurationSets: state.configurationSets,
    dedicatedIpPools: state.dedicatedIpPools,
    emailIdentities: state.emailIdentities,
    deliverabilityTestReports: state.deliverabilityTestReports,
    dedicatedIps: state.dedicatedIps,
    settings: state.settings,
    dashboard: state.dashboard,
  });
}

/**
 * The snapshot with the value of every ownership tag replaced by its marker alone (`<stack uuid>:<hash>`): the rest of
 * the value names the request that created or took back the resource, which a rollback rewrites.
 */
export function ignoringOwnerRequests(state: StateSnapshot): StateSnapshot {
  const copy = structuredClone(state);
  const kinds = [copy.configurationSets, copy.dedicatedIpPools, copy.emailIdentities, copy.deliverabilityTestReports];
  for (const records of kinds as Array<Map<string, { tags: Record<string, string> }>>) {
    for (const record of records.values()) {
      if (record.tags[OWNER_TAG_KEY] !== undefined) record.tags[OWNER_TAG_KEY] = record.tags[OWNER_TAG_KEY].split(' ')[0];
    }
  }
  return copy;
}

/** Tags as the API lists them (`[{ Key, Value }]`), in the record's order. */
export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** The input of the only recorded call of `operation` (fails the test when there is not exactly one). */
export function onlyInput(calls: RecordedCall[], operation: string): Record<string, unknown> {
  const matching = calls.filter((c) => c.operation === operation);
  expect(matching).toHaveLength(1);
  return matching[0].input;
}
