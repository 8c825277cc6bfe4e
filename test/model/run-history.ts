/**
 * Runs one history against the local service and the bundled handler (IAM enforced), checking the model after every
 * step. Deploys run one request at a time (`concurrency: 1`), so that a seed replays the same calls.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { absorbable, FaultPlan } from './faults';
import { Decl, describeFault, FOREIGN_EDIT, FOREIGN_TAGS, History } from './history';
import { KINDS, kindNamed } from './kinds';
import { Limit, MAX_TAGS } from './limits';
import { FOREIGN_DOMAIN, Model, StepRequest } from './model';
import { apiOf, PINPOINT_EMAIL } from './ses-v2';
import { countEvents, recordInvocation, timed, Timings } from './timings';
import { observe } from './world';
import { EmailApi, EmailApiVersion } from '../../src';
import { DriverResult, LifecycleDriver } from '../support/lifecycle-driver';
import type { LocalSecretsManager } from '../support/local-secrets';
import { LocalPinpointEmailService, ResourceType } from '../support/local-service';

export const STACK_NAME = 'Fuzz';
/**
 * The handler keeps 30 s of the Lambda timeout to answer: 40 s leaves 10 s of retries. With 4 s, the retry jitter
 * (a retry whose random delay would cross the deadline is not made) sometimes failed a 1.5 s IAM propagation delay.
 */
export const TIMEOUT_MS = 40_000;

export interface Divergence {
  /** 1-based step; `steps + 1` is the deletion. */
  readonly step: number;
  readonly problems: readonly string[];
  /** The requests of the step and the API calls each made. */
  readonly calls: readonly string[];
  readonly fault: string;
}

export interface HistoryOutcome {
  readonly divergence?: Divergence;
  /** Deploys and the deletion run. */
  readonly steps: number;
  /** The limits of CloudFormation or of the API that the history met (modelled, see limits.ts). */
  readonly limits: readonly Limit[];
}

export interface RunOptions {
  /** Another handler module (a broken one, to prove the oracle fails). */
  readonly handlerPath?: string;
  /** Changes each synthesized template before it is deployed (a policy without a permission, for the same proof). */
  readonly transformTemplate?: (template: Record<string, any>) => Record<string, any>;
  /** Where the time goes: synth, deploy, destroy, oracle, and the API calls and invocations made. */
  readonly timings?: Timings;
  /** The Secrets Manager that holds the BYODKIM keys (byodkim.ts), for histories that declare BYODKIM. */
  readonly secrets?: LocalSecretsManager;
  /**
   * Where the versions' cloud assemblies are written, by whoever removes it (fuzz: one for all its histories).
   * @default a directory of the history's own, removed with it
   */
  readonly outdir?: string;
}

const ARN_TYPES: Record<string, ResourceType> = { ConfigurationSet: 'configuration-set', DedicatedIpPool: 'dedicated-ip-pool', EmailIdentity: 'identity' };

/**
 * The same template, made faster: no copy of the handler asset (the driver runs the bundle), no tree.json, no stack
 * traces or logical ids in the construct metadata.
 */
const LEAN_SYNTH = {
  [cxapi.DISABLE_ASSET_STAGING_CONTEXT]: true,
  [cxapi.DISABLE_CREATION_STACK_TRACES]: true,
  [cxapi.DISABLE_LOGICAL_ID_METADATA]: true,
};

const templates = new Map<string, Record<string, any>>();

/**
 * The template of a version on `api` (cached: shrinking and similar histories synthesize the same versions). Its cloud
 * assembly is written into `outdir`, which the caller removes (an App without one leaves a directory in the system's
 * temp per synthesis, tens of thousands in a run); one directory serves one synthesis after another.
 */
export function synthVersion(version: readonly Decl[], api: EmailApiVersion, outdir: string): Record<string, any> {
  const cacheKey = JSON.stringify([api, version]);
  let template = templates.get(cacheKey);
  if (!template) {
    const context = api === PINPOINT_EMAIL ? LEAN_SYNTH : { ...LEAN_SYNTH, [EmailApi.CONTEXT_KEY]: api };
    const app = new App({ treeMetadata: false, stackTraces: false, context, outdir });
    const stack = new Stack(app, STACK_NAME);
    const built = new Map<string, Construct>();
    const lookup = (id: string) => {
      const d = version.find((x) => x.id === id);
      return d && { props: d.props, construct: built.get(id) };
    };
    for (const kind of KINDS) {
      for (const d of version.filter((x) => x.kind === kind.name)) built.set(d.id, kind.build(stack, d.id, d.props, d.retain, lookup));
    }
    // CloudFormation refuses a template without resources: a version with none keeps a placeholder.
    new CfnWaitConditionHandle(stack, 'Placeholder');
    template = Template.fromStack(stack).toJSON();
    if (templates.size > 2000) templates.clear();
    templates.set(cacheKey, template);
  }
  return template;
}

/** A new directory for cloud assemblies, which its caller removes. */
export function synthDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pinpoint-email-synth-'));
}

/** Seeds what exists before the history: foreign resources, what the kinds seed, a foreign dashboard. */
function seed(service: LocalPinpointEmailService, history: History): void {
  const state = service.account();
  for (const f of history.foreign) kindNamed(f.kind).seedForeign!(state, f.name, { ...FOREIGN_TAGS });
  for (const kind of KINDS) kind.seed?.(state, { ...FOREIGN_TAGS });
  if (history.foreignDashboard) state.enableDashboard([{ Domain: FOREIGN_DOMAIN }]);
}

export async function runHistory(service: LocalPinpointEmailService, history: History, options: RunOptions = {}): Promise<HistoryOutcome> {
  service.reset();
  seed(service, history);
  const state = service.account();
  const model = new Model(history, observe(state));
  let plan: FaultPlan | undefined;
  let requests: Array<StepRequest & { line: string }> = [];
  let mark = 0;
  const driver = new LifecycleDriver({
    stackName: STACK_NAME,
    timeoutMs: TIMEOUT_MS,
    concurrency: 1,
    iam: service.iam,
    handlerPath: options.handlerPath,
    env: { ...service.clientEnv(), ...options.secrets?.clientEnv(), AWS_EC2_METADATA_DISABLED: 'true' },
    invocationFault: ({ phase, event }) => plan?.invocation(phase, event.ResourceType, event.RequestType),
    onEvent: (e) => {
      plan?.after();
      if (options.timings) recordInvocation(options.timings, e);
      const calls = service.calls.slice(mark);
      mark = service.calls.length;
      const summary = calls.map((c) => `${c.operation}${c.status === 200 ? '' : `(${c.errorName ?? c.status})`}`).join(' ');
      requests.push({ phase: e.phase, event: e, line: `${e.phase} ${e.requestType} ${e.logicalId} ${e.status}${e.reason ? ` "${e.reason.slice(0, 300)}"` : ''}: ${summary || 'no calls'}`, calls });
    },
  });
  const outdir = options.outdir ?? synthDir();
  const statusReads = { failNext: (count: number) => driver.failStatusReads(count), stopFailing: () => driver.stopFailingStatusReads() };
  const logicalIdOf = (id: string) => [...driver.resources.keys()].find((l) => new RegExp(`^${id}[0-9A-F]{8}$`).test(l));
  const diverged = (step: number, problems: string[], fault: string): HistoryOutcome => ({
    steps: step, limits: [...model.limits], divergence: { step, problems, fault, calls: requests.map((r) => r.line) },
  });

  let deployed = 0;
  try {
    for (const [i, step] of history.steps.entries()) {
      deployed++;
      requests = [];
      mark = service.calls.length;
      if (step.foreignTag !== undefined) {
        const keys = model.managedKeys();
        if (keys.length > 0) {
          const key = keys[step.foreignTag % keys.length];
          const [kind, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
          const arn = state.arn(ARN_TYPES[kind], name);
          // The API refuses a tag past the 50th, to someone else too.
          const tags = state.tagsOf(arn);
          if (tags && Object.keys({ ...tags, ...FOREIGN_EDIT }).length <= MAX_TAGS) {
            state.setTags(arn, { ...state.tagsOf(arn), ...FOREIGN_EDIT });
            model.recordEdit(key);
          }
        }
      }
      for (const kind of KINDS) kind.beforeDeploy?.(state, step);
      const before = observe(state);
      const template = await timed(options.timings, 'synth', () => synthVersion(step.version, apiOf(step), outdir));
      model.beginDeploy(step.version, apiOf(step), before, Object.values<any>(template.Resources).some((r) => r.Type === 'AWS::Lambda::Function'));
      const mayFail = model.mayFail(step.version, before, step);
      plan = new FaultPlan(step.fault, service, (type) => KINDS.find((k) => k.resourceType === type)?.operations ?? ['TagResource'], statusReads, step.statusThrottle);
      plan.prepare();
      let result: DriverResult;
      const current = plan;
      const reads = [driver.statusesRead.length, driver.statusReadsFailed.length, driver.stackResourceListings];
      try {
        result = await timed(options.timings, 'deploy', () => driver.deploy((options.transformTemplate ?? ((t) => t))(template)));
      } finally {
        plan.finish();
        plan = undefined;
      }
      if (options.timings) {
        countEvents(options.timings, 'stack status reads answered (DescribeStacks)', driver.statusesRead.length - reads[0]);
        countEvents(options.timings, 'stack resource reads answered (ListStackResources)', driver.stackResourceListings - reads[2]);
        countEvents(options.timings, 'stack reads throttled (DescribeStacks, ListStackResources)', driver.statusReadsFailed.length - reads[1]);
      }
      const world = observe(state);
      const calls = requests.flatMap((r) => r.calls);
      const problems = [...model.always(world, calls), ...model.throughTheirApi(requests, result)];
      if (step.fault.kind === 'kill') model.killedWhileEnabling(before, world);
      if (result.ok) {
        problems.push(...model.afterSuccess(step.version, world, result, logicalIdOf, requests));
      } else {
        const limited = model.createdTwiceOnImportedSet(requests, world);
        if (!mayFail && !limited && absorbable(step.fault)) problems.push(`the deploy failed, though nothing made it fail: ${result.failure?.logicalId}: ${result.failure?.reason}`);
        problems.push(...model.afterFailure(before, world, result, requests, current.lostResponse));
      }
      problems.push(...model.afterOperation({ step, version: step.version, before, world, result, requests }));
      if (problems.length > 0) {
        return diverged(i + 1, problems, describeFault(step.fault));
      }
      if (model.stuck) return { steps: i + 1, limits: [...model.limits] };
    }
    requests = [];
    mark = service.calls.length;
    const before = observe(state);
    const result = await timed(options.timings, 'destroy', () => driver.destroy());
    const world = observe(state);
    const problems = [
      ...model.always(world, requests.flatMap((r) => r.calls)), ...model.throughTheirApi(requests, result),
      ...model.afterDestroy(world, result, requests),
      ...model.afterOperation({ version: [], before, world, result, requests }),
    ];
    if (problems.length > 0) return diverged(history.steps.length + 1, problems, 'none');
    return { steps: deployed + 1, limits: [...model.limits] };
  } finally {
    await driver.close();
    if (!options.outdir) fs.rmSync(outdir, { recursive: true, force: true });
  }
}
