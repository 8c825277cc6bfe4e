import { randomBytes, randomUUID } from 'crypto';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DagNode, runDag, Semaphore } from './dag';
import { captureConsole, CustomResourceHandler, EnvVars, lambdaContext, leaseEnv, loadHandler } from './handler-runtime';
import { AppliedPolicies, IamBinding, isIamPolicyType } from './iam';
import { KillSwitch } from './kill-switch';
import { ResponseServer } from './response-server';
import { StackStatusEndpoint } from './stack-status';
import { CfnTemplate, jsonEqual, PseudoParameters, ResolvableResource, ResourceNode, Resolver, StackGraph, stringifyLeaves, TemplateError } from './template';

/** The size limit CloudFormation puts on a custom resource response body. */
export const MAX_RESPONSE_BYTES = 4096;

/** Where `npx projen bundle` writes the handler asset. */
export const DEFAULT_HANDLER_PATH = path.resolve(__dirname, '..', '..', '..', 'assets', 'lambda', 'index', 'index.js');

export interface LifecycleDriverOptions {
  /** The built handler asset (CommonJS, exporting `handler(event, context)`). @default <repo>/assets/lambda/index/index.js */
  readonly handlerPath?: string;
  /**
   * Environment variables set on `process.env` during every handler invocation (and while the asset loads), for example
   * `AWS_ENDPOINT_URL_PINPOINT_EMAIL`; `undefined` unsets one. They override the defaults: `AWS_REGION` and
   * `AWS_DEFAULT_REGION` = `region`, fake `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, no `AWS_SESSION_TOKEN` or
   * `AWS_PROFILE`, `AWS_EC2_METADATA_DISABLED=true`, so that a handler can never reach AWS with real credentials.
   */
  readonly env?: EnvVars;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'amazonaws.com' */
  readonly urlSuffix?: string;
  /** @default 'LifecycleDriverStack' */
  readonly stackName?: string;
  /** Values of template parameters (parameters with a `Default` need none). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** At most this many handler invocations at once. @default unbounded: every resource whose dependencies are done starts, as in CloudFormation */
  readonly concurrency?: number;
  /**
   * How long one invocation may take before the resource fails with "no response from handler" (the Lambda timeout);
   * `context.getRemainingTimeInMillis()` counts down from it. @default 300000
   */
  readonly timeoutMs?: number;
  /**
   * Collect what the handler writes with `console` during each invocation into `DriverEvent.logs` instead of printing
   * it (so that a test can check, for instance, that the ResponseURL is never logged). @default true
   */
  readonly captureLogs?: boolean;
  /** Called after each request, when its outcome is known: for a live progress printer. */
  readonly onEvent?: (event: DriverEvent) => void;
  /**
   * IAM: the stack's `AWS::IAM::Policy` resources and roles' inline policies are applied here in CloudFormation's order
   * (a policy is in force once created, before its dependents; an update's new policy through its cleanup phase; the
   * old one back before a rollback's dependents; a deleted policy after its dependents), and each handler invocation
   * runs with a session of its function's role. @default none: the handler runs with `env`'s credentials
   */
  readonly iam?: IamBinding;
  /**
   * Fault injection per invocation, asked before each request is sent. `lose-response`: the handler runs, but its
   * answer never reaches CloudFormation (the resource fails as after CloudFormation's own timeout, without waiting for
   * it). `kill`: the invocation dies after its `afterCalls`-th API call reached the service (that call takes effect,
   * its answer is lost, later calls are refused), and Lambda invokes the handler again with the same event. A kill
   * needs `AWS_ENDPOINT_URL_PINPOINT_EMAIL` or `AWS_ENDPOINT_URL_SESV2` in `env` (a proxy that cuts the calls stands
   * in front of each; they count the calls of both APIs together).
   * @default no faults
   */
  readonly invocationFault?: (request: { readonly phase: Phase; readonly event: CloudFormationCustomResourceEvent }) => InvocationFault | undefined;
}

/** The endpoints of the two email APIs, which a kill fault cuts. */
const API_ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_PINPOINT_EMAIL', 'AWS_ENDPOINT_URL_SESV2'] as const;

/** What goes wrong with one invocation (see `LifecycleDriverOptions.invocationFault`). */
export type InvocationFault = { readonly kind: 'lose-response' } | { readonly kind: 'kill'; readonly afterCalls: number };

/** The stack status an operation ends in (the names CloudFormation uses). */
export type StackStatus =
  | 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE' | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_COMPLETE' | 'DELETE_FAILED';

/** The stack status while a request is sent. */
export type Phase =
  | 'CREATE_IN_PROGRESS' | 'ROLLBACK_IN_PROGRESS'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'DELETE_IN_PROGRESS';

export type RequestType = 'Create' | 'Update' | 'Delete';

/** Custom resource properties as CloudFormation sends them: scalars are strings. */
export type Properties = Readonly<Record<string, unknown>>;

/** The JSON body a handler PUT to its ResponseURL, as parsed (fields unchecked). */
export interface ResponseBody {
  readonly Status?: unknown;
  readonly Reason?: unknown;
  readonly PhysicalResourceId?: unknown;
  readonly StackId?: unknown;
  readonly RequestId?: unknown;
  readonly LogicalResourceId?: unknown;
  readonly NoEcho?: unknown;
  readonly Data?: unknown;
  readonly [field: string]: unknown;
}

/** One request sent to the handler and what came of it. */
export interface DriverEvent {
  /** Position in the driver's log (from 1). */
  readonly seq: number;
  readonly phase: Phase;
  readonly requestType: RequestType;
  readonly logicalId: string;
  readonly resourceType: string;
  /** Create/Update: the id the response gave (undefined without a valid one); Delete: the id deleted. */
  readonly physicalId?: string;
  /** Update: the `PhysicalResourceId` of the request. */
  readonly oldPhysicalId?: string;
  /** Delete: the id is a placeholder, sent because the failed Create gave none (CloudFormation generates one too). */
  readonly placeholderPhysicalId?: boolean;
  /** FAILED when the handler answered FAILED, or its answer was missing, too long or invalid. */
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason?: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly noEcho?: boolean;
  /** Size of the first response body (0 when none came). */
  readonly responseBytes: number;
  /** How many PUTs the handler sent to this request's ResponseURL (CloudFormation reads the first). */
  readonly responseCount: number;
  /** Wall time of the invocation. */
  readonly ms: number;
  /** What the handler wrote with `console` during the invocation (empty unless `captureLogs`). */
  readonly logs: readonly string[];
  readonly request: CloudFormationCustomResourceEvent;
  /** The first response body, when it was JSON. */
  readonly response?: ResponseBody;
}

/** A custom resource of the stack. */
export interface ResourceState {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** The resolved properties last sent for it (strings at the leaves), `ServiceToken` included. */
  readonly properties: Properties;
  /** The `Data` of its last successful Create or Update response. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DriverFailure {
  readonly logicalId: string;
  readonly requestType: RequestType;
  readonly physicalId?: string;
  readonly reason: string;
}

export interface RetainedResource {
  readonly logicalId: string;
  readonly physicalId: string;
  /** `DeletionPolicy` (destroy, removal from the template, rollback of a create) or `UpdateReplacePolicy` (replacement). */
  readonly policy: 'DeletionPolicy' | 'UpdateReplacePolicy';
}

/** What one `deploy()` or `destroy()` did. */
export interface DriverResult {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly status: StackStatus;
  /** The status is CREATE_COMPLETE, UPDATE_COMPLETE or DELETE_COMPLETE. */
  readonly ok: boolean;
  /** The requests of this operation, in the order their outcomes came. */
  readonly events: readonly DriverEvent[];
  /** The custom resources of the stack afterwards. */
  readonly resources: ReadonlyMap<string, ResourceState>;
  /** The first failure, the one that made the stack roll back (or the delete fail). */
  readonly failure?: DriverFailure;
  /** The first failure of the rollback itself (status ROLLBACK_FAILED or UPDATE_ROLLBACK_FAILED). */
  readonly rollbackFailure?: DriverFailure;
  /** Deletes that failed in a cleanup phase: CloudFormation leaves those resources behind and keeps the status. */
  readonly cleanupFailures: readonly DriverFailure[];
  /** Deletes not sent because of the resource's DeletionPolicy or UpdateReplacePolicy. */
  readonly retained: readonly RetainedResource[];
  readonly ms: number;
}

/** Misuse of the driver or a template CloudFormation would reject: `deploy()`/`destroy()` reject with it before sending anything. */
export class LifecycleDriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LifecycleDriverError';
  }
}

interface Live extends ResolvableResource {
  readonly logicalId: string;
  /** A custom resource's properties as sent; an IAM resource's resolved properties; `{}` for other resources. */
  readonly properties: Properties;
  readonly placeholder?: boolean;
}

interface StackState {
  graph: StackGraph;
  readonly live: Map<string, Live>;
  status: StackStatus | Phase;
  readonly stackId: string;
}

interface Outcome {
  readonly ok: boolean;
  /** The handler was invoked (false when the request could not even be built). */
  readonly invoked: boolean;
  readonly physicalId?: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

interface Request {
  readonly requestType: RequestType;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly properties: Properties;
  readonly oldProperties?: Properties;
  readonly physicalId?: string;
  readonly placeholder?: boolean;
}

interface DeleteItem {
  readonly live: Live;
  readonly retainedBy?: RetainedResource['policy'];
  /** Runs when the delete succeeded or was retained. */
  readonly forget?: () => void;
}

/** What an update did to one resource that existed before it. */
interface Touched {
  readonly before: Live;
  readonly attempted: Properties;
  readonly returnedPhysicalId?: string;
  readonly failed: boolean;
}

class Operation {
  public readonly events: DriverEvent[] = [];
  public failure?: DriverFailure;
  public rollbackFailure?: DriverFailure;
  public readonly cleanupFailures: DriverFailure[] = [];
  public readonly retained: RetainedResource[] = [];
  public readonly started = performance.now();
  constructor(public readonly kind: DriverResult['operation']) {}
}

/**
 * Replays what CloudFormation does with the custom resources of a stack (create, update with replacement cleanup,
 * rollbacks, delete) against a handler asset run in this process, answering through a local ResponseURL server.
 *
 * Resources of other types are not executed: their `Ref` is their logical id, their `Fn::GetAtt` a fake value
 * (a Lambda function's `Arn` a well-formed ARN), and they count for the order.
 */
export class LifecycleDriver {
  private readonly handlerPath: string;
  private env: EnvVars;
  /** Every variable that a function of the stack has had: unset in invocations of a function without it. */
  private readonly functionVariableNames = new Set<string>();
  private readonly timeoutMs: number;
  private readonly slots: Semaphore;
  private readonly server = new ResponseServer();
  private readonly log: DriverEvent[] = [];
  private readonly base: Omit<PseudoParameters, 'stackId'>;
  private readonly policies?: AppliedPolicies;
  private handler?: CustomResourceHandler;
  /** DescribeStacks and ListStackResources of this stack, for the handler (started with the first operation). */
  private statusEndpoint?: StackStatusEndpoint;
  /** The resources whose Delete is under way, as `<logical id> <physical id>` (ListStackResources: DELETE_IN_PROGRESS). */
  private readonly deleting = new Set<string>();
  private stack?: StackState;
  private busy = false;

  constructor(private readonly options: LifecycleDriverOptions = {}) {
    const region = options.region ?? 'us-east-1';
    this.base = {
      accountId: options.accountId ?? '123456789012',
      region,
      partition: options.partition ?? 'aws',
      urlSuffix: options.urlSuffix ?? 'amazonaws.com',
      stackName: options.stackName ?? 'LifecycleDriverStack',
    };
    this.handlerPath = path.resolve(options.handlerPath ?? DEFAULT_HANDLER_PATH);
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.slots = new Semaphore(options.concurrency ?? Infinity);
    if (options.iam) this.policies = new AppliedPolicies(options.iam, (name) => this.roleArn(name));
    this.env = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...options.env,
    };
  }

  /** Every request sent so far, across operations, in the order their outcomes came. */
  public get events(): readonly DriverEvent[] {
    return this.log;
  }

  /** The stack's status, or undefined before the first deploy and after a complete destroy. */
  public get status(): StackStatus | Phase | undefined {
    return this.stack?.status;
  }

  /** The stack's custom resources now. */
  public get resources(): ReadonlyMap<string, ResourceState> {
    return this.snapshot();
  }

  /** The `AWS::StackId` of the current stack. */
  public get stackId(): string | undefined {
    return this.stack?.stackId;
  }

  /**
   * Creates the stack from a synthesized template, or updates it to this template when it exists. Rejects with a
   * `LifecycleDriverError` for a template CloudFormation would reject; a failing resource is a result, not a rejection.
   */
  public async deploy(template: CfnTemplate): Promise<DriverResult> {
    return this.exclusive(async () => {
      await this.startStatusEndpoint();
      const status = this.stack?.status;
      if (status !== undefined && !['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE'].includes(status)) {
        throw new LifecycleDriverError(`the stack is in ${status}: only destroy() can proceed`);
      }
      const creating = status === undefined || status === 'ROLLBACK_COMPLETE';
      const stackId = creating ? this.newStackId() : this.stack!.stackId;
      const graph = this.graph(template, stackId);
      this.ensureHandler();
      const op = new Operation(creating ? 'CREATE' : 'UPDATE');
      if (creating) await this.create(op, graph, stackId);
      else await this.update(op, graph);
      return this.result(op);
    });
  }

  /** Deletes the stack (reverse dependency order, `Retain` policies honoured), then stops the ResponseURL server. */
  public async destroy(): Promise<DriverResult> {
    return this.exclusive(async () => {
      await this.startStatusEndpoint();
      const op = new Operation('DELETE');
      const stack = this.stack;
      try {
        if (stack) {
          const items: DeleteItem[] = [];
          for (const live of stack.live.values()) {
            const policy = stack.graph.nodes.get(live.logicalId)?.deletionPolicy;
            const retain = policy === 'Retain' || policy === 'RetainExceptOnCreate';
            items.push({ live, retainedBy: retain ? 'DeletionPolicy' : undefined, forget: () => stack.live.delete(live.logicalId) });
          }
          if (items.some((item) => item.live.custom && !item.retainedBy)) this.ensureHandler();
          stack.status = 'DELETE_IN_PROGRESS';
          const ok = await this.deleteAll(op, 'DELETE_IN_PROGRESS', items, stack.graph, 'failure');
          if (ok) {
            stack.live.clear();
            stack.status = 'DELETE_COMPLETE';
          } else {
            stack.status = 'DELETE_FAILED';
          }
        }
        return this.result(op, stack ? undefined : 'DELETE_COMPLETE');
      } finally {
        if (this.stack?.status === 'DELETE_COMPLETE') this.stack = undefined;
        await this.close();
      }
    });
  }

  /** Stops the ResponseURL server (a later deploy starts it again). */
  public async close(): Promise<void> {
    await this.server.close();
    await this.statusEndpoint?.stop();
    this.statusEndpoint = undefined;
  }

  /** The statuses that the handler read with DescribeStacks, in order. */
  public get statusesRead(): readonly string[] {
    return this.statusEndpoint?.answered ?? [];
  }

  /** How many of the handler's ListStackResources requests were answered (a denied one is not). */
  public get stackResourceListings(): number {
    return this.statusEndpoint?.resourceListings ?? 0;
  }

  /** The error codes of the handler's DescribeStacks and ListStackResources requests that failStatusReads failed, in order. */
  public get statusReadsFailed(): readonly string[] {
    return this.statusEndpoint?.failed ?? [];
  }

  /** The handler's next `count` reads of its stack fail with CloudFormation's throttling (once the stack exists). */
  public failStatusReads(count: number): void {
    if (!this.statusEndpoint) throw new Error('failStatusReads: no stack endpoint yet (deploy first)');
    this.statusEndpoint.failNext(count);
  }

  /** Drops the failures that failStatusReads armed and no request met. */
  public stopFailingStatusReads(): void {
    this.statusEndpoint?.clearFailures();
  }

  /** Resolves a template expression (an output's `Value`, say) against the current stack. */
  public resolve(expression: unknown): unknown {
    const stack = this.stack;
    if (!stack) throw new LifecycleDriverError('there is no stack to resolve against');
    return this.resolver(stack.graph, stack.live, stack.stackId).resolve(expression);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Operations
  // -------------------------------------------------------------------------------------------------------------------

  private async create(op: Operation, graph: StackGraph, stackId: string): Promise<void> {
    const live = new Map<string, Live>();
    const stack: StackState = { graph, live, status: 'CREATE_IN_PROGRESS', stackId };
    this.stack = stack;
    const failedCreates: Live[] = [];
    await runDag(forwardNodes(graph), async (id) => {
      const node = graph.node(id);
      if (!node.custom) {
        this.putPassive(graph, live, node);
        return true;
      }
      const outcome = await this.sendWithProperties(op, 'CREATE_IN_PROGRESS', graph, live, node, (properties) => ({
        requestType: 'Create', logicalId: id, resourceType: node.type, properties,
      }));
      if (outcome.ok) return true;
      op.failure ??= failure(outcome, 'Create', id);
      const attempted = outcome.request?.properties;
      if (outcome.invoked && attempted) failedCreates.push(this.failedCreate(node, attempted, outcome.physicalId));
      return false;
    }, { stopOnFailure: true });
    if (!op.failure) {
      stack.status = 'CREATE_COMPLETE';
      return;
    }

    // ROLLBACK: delete what was created, the failed resources included (with the id their FAILED response gave).
    stack.status = 'ROLLBACK_IN_PROGRESS';
    for (const failed of failedCreates) live.set(failed.logicalId, failed);
    const items: DeleteItem[] = [...live.values()].map((l) => ({
      live: l,
      retainedBy: graph.node(l.logicalId).deletionPolicy === 'Retain' ? 'DeletionPolicy' : undefined,
      forget: () => live.delete(l.logicalId),
    }));
    const ok = await this.deleteAll(op, 'ROLLBACK_IN_PROGRESS', items, graph, 'rollback');
    if (ok) live.clear();
    stack.status = ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
  }

  private async update(op: Operation, next: StackGraph): Promise<void> {
    const stack = this.stack!;
    const previous = stack.graph;
    const live = stack.live;
    for (const [id, node] of next.nodes) {
      const old = previous.nodes.get(id);
      if (old && old.type !== node.type) {
        throw new LifecycleDriverError(`Update of resource type is not permitted: ${id} changes from ${old.type} to ${node.type}`);
      }
    }
    const before = new Map(live);
    const touched = new Map<string, Touched>();
    const created = new Map<string, Live>();
    /** Resources the driver does not execute whose properties the update changed (IAM policies): their old state. */
    const passiveTouched = new Map<string, Live>();
    stack.status = 'UPDATE_IN_PROGRESS';

    await runDag(forwardNodes(next), async (id) => {
      const node = next.node(id);
      const prev = before.get(id);
      if (!node.custom) {
        const now = this.putPassive(next, live, node, prev);
        if (!prev) created.set(id, now);
        else if (now !== prev) passiveTouched.set(id, prev);
        return true;
      }
      if (!prev) {
        const outcome = await this.sendWithProperties(op, 'UPDATE_IN_PROGRESS', next, live, node, (properties) => ({
          requestType: 'Create', logicalId: id, resourceType: node.type, properties,
        }));
        if (outcome.ok) {
          created.set(id, live.get(id)!);
          return true;
        }
        op.failure ??= failure(outcome, 'Create', id);
        const attempted = outcome.request?.properties;
        if (outcome.invoked && attempted) created.set(id, this.failedCreate(node, attempted, outcome.physicalId));
        return false;
      }
      let unchanged = false;
      const outcome = await this.sendWithProperties(op, 'UPDATE_IN_PROGRESS', next, live, node, (properties) => {
        unchanged = jsonEqual(properties, prev.properties);
        return unchanged ? undefined : {
          requestType: 'Update',
          logicalId: id,
          resourceType: node.type,
          properties,
          oldProperties: prev.properties,
          physicalId: prev.physicalId,
        };
      });
      if (unchanged) return true;
      const attempted = outcome.request?.properties;
      if (attempted) touched.set(id, { before: prev, attempted, returnedPhysicalId: outcome.physicalId, failed: !outcome.ok });
      if (outcome.ok) return true;
      op.failure ??= failure(outcome, 'Update', id);
      return false;
    }, { stopOnFailure: true });

    if (!op.failure) {
      // UPDATE_COMPLETE_CLEANUP: delete the replaced physical ids, then the resources the new template no longer has.
      stack.status = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
      const items: DeleteItem[] = [];
      for (const [id, t] of touched) {
        if (t.returnedPhysicalId === t.before.physicalId) continue;
        items.push({ live: t.before, retainedBy: next.node(id).updateReplacePolicy === 'Retain' ? 'UpdateReplacePolicy' : undefined });
      }
      const removed = [...before.keys()].filter((id) => !next.nodes.has(id));
      for (const id of removed) {
        const policy = previous.node(id).deletionPolicy;
        items.push({ live: before.get(id)!, retainedBy: policy === 'Retain' || policy === 'RetainExceptOnCreate' ? 'DeletionPolicy' : undefined });
      }
      // A removed function still runs the Deletes of the resources that use it (deleted after them), as it was.
      await this.deleteAll(op, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', items, previous, 'cleanup');
      for (const id of removed) live.delete(id);
      stack.graph = next;
      stack.status = 'UPDATE_COMPLETE';
      return;
    }

    // UPDATE_ROLLBACK: send every changed resource back to the old template, old and new properties swapped.
    stack.status = 'UPDATE_ROLLBACK_IN_PROGRESS';
    for (const [id, c] of created) live.set(id, c);
    await runDag(forwardNodes(previous), async (id) => {
      const node = previous.node(id);
      const current = live.get(id);
      if (!node.custom) {
        const old = passiveTouched.get(id);
        if (old) this.putPassive(previous, live, node, current, old.properties);
        return true;
      }
      if (!current) return true;
      const t = touched.get(id);
      let unchanged = false;
      const outcome = await this.sendWithProperties(op, 'UPDATE_ROLLBACK_IN_PROGRESS', previous, live, node, (properties) => {
        unchanged = !t && jsonEqual(properties, current.properties);
        return unchanged ? undefined : {
          requestType: 'Update',
          logicalId: id,
          resourceType: node.type,
          properties,
          oldProperties: t ? t.attempted : current.properties,
          // A failed update keeps the resource's id unless its FAILED response gave another one.
          physicalId: t?.failed ? (t.returnedPhysicalId ?? t.before.physicalId) : current.physicalId,
        };
      });
      if (unchanged || outcome.ok) return true;
      op.rollbackFailure ??= failure(outcome, 'Update', id);
      return false;
    }, { stopOnFailure: true });
    if (op.rollbackFailure) {
      stack.graph = StackGraph.union(previous, next);
      stack.status = 'UPDATE_ROLLBACK_FAILED';
      return;
    }

    // UPDATE_ROLLBACK_COMPLETE_CLEANUP: delete what the update created, then the ids it produced that are not kept.
    stack.status = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    // One cleanup, ordered by both templates: a replacement that uses a resource the update created goes first.
    const cleanup: DeleteItem[] = [...created.values()].map((c) => ({
      live: c,
      retainedBy: next.node(c.logicalId).deletionPolicy === 'Retain' ? 'DeletionPolicy' : undefined,
    }));
    const replaced = cleanup;
    // (the replaced ids follow)
    for (const [id, t] of touched) {
      const kept = live.get(id)!.physicalId;
      const candidates: Live[] = [
        ...(t.returnedPhysicalId === undefined ? [] : [{ ...t.before, physicalId: t.returnedPhysicalId, properties: t.attempted }]),
        t.before,
      ];
      const seen = new Set([kept]);
      for (const candidate of candidates) {
        if (seen.has(candidate.physicalId)) continue;
        seen.add(candidate.physicalId);
        replaced.push({ live: candidate, retainedBy: previous.node(id).updateReplacePolicy === 'Retain' ? 'UpdateReplacePolicy' : undefined });
      }
    }
    // (a function the update created runs the Deletes of the resources that use it, as the update made it)
    await this.deleteAll(op, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', replaced, StackGraph.union(next, previous), 'cleanup');
    for (const id of created.keys()) live.delete(id);
    for (const id of [...live.keys()]) {
      if (!previous.nodes.has(id)) live.delete(id);
    }
    stack.status = 'UPDATE_ROLLBACK_COMPLETE';
  }

  /**
   * Sends Delete for each item, each after the items that depend on it (through any resource of `graph`); items
   * retained by a policy are recorded and not sent. Resources the driver does not execute are deleted at their turn
   * without a request (an IAM policy stops being in force then). True when every item was deleted or retained.
   */
  private async deleteAll(op: Operation, phase: Phase, items: readonly DeleteItem[], graph: StackGraph, kind: 'failure' | 'rollback' | 'cleanup'): Promise<boolean> {
    const keyed = new Map(items.map((item, i) => [`${i}`, item]));
    const nodes: DagNode[] = [...keyed].map(([key, item]) => ({
      key,
      after: [...keyed].filter(([, other]) => graph.ancestors(other.live.logicalId).has(item.live.logicalId)).map(([k]) => k),
    }));
    const outcomes = await runDag(nodes, async (key) => {
      const { live, retainedBy, forget } = keyed.get(key)!;
      if (!live.custom) {
        this.policies?.remove(live.logicalId);
        forget?.();
        return true;
      }
      if (retainedBy) {
        op.retained.push({ logicalId: live.logicalId, physicalId: live.physicalId, policy: retainedBy });
        forget?.();
        return true;
      }
      const deleting = `${live.logicalId} ${live.physicalId}`;
      this.deleting.add(deleting);
      const outcome = await this.send(op, phase, {
        requestType: 'Delete',
        logicalId: live.logicalId,
        resourceType: live.type,
        properties: live.properties,
        physicalId: live.physicalId,
        placeholder: live.placeholder,
      }).finally(() => this.deleting.delete(deleting));
      if (outcome.ok) {
        forget?.();
        return true;
      }
      const f = failure(outcome, 'Delete', live.logicalId, live.physicalId);
      if (kind === 'failure') op.failure ??= f;
      else if (kind === 'rollback') op.rollbackFailure ??= f;
      else op.cleanupFailures.push(f);
      return false;
    }, { stopOnFailure: false });
    return [...outcomes.values()].every((o) => o === 'done');
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Requests
  // -------------------------------------------------------------------------------------------------------------------

  /**
   * Resolves the node's properties against the live resources, lets `build` turn them into a request (or nothing),
   * and sends it. A property that cannot be resolved (a missing `Data` attribute...) fails the resource unsent.
   */
  private async sendWithProperties(
    op: Operation, phase: Phase, graph: StackGraph, live: Map<string, Live>, node: ResourceNode,
    build: (properties: Properties) => Request | undefined,
  ): Promise<Outcome & { readonly request?: Request }> {
    let request: Request | undefined;
    try {
      const resolved = this.resolver(graph, live, this.stack!.stackId).resolve(node.properties) ?? {};
      request = build(stringifyLeaves(resolved) as Properties);
    } catch (error) {
      return { ok: false, invoked: false, data: {}, reason: `${node.logicalId}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!request) return { ok: true, invoked: false, data: {} };
    const outcome = await this.send(op, phase, request);
    if (outcome.ok && request.requestType !== 'Delete') {
      live.set(node.logicalId, {
        logicalId: node.logicalId,
        type: node.type,
        custom: true,
        physicalId: outcome.physicalId!,
        properties: request.properties,
        data: outcome.data,
      });
    }
    return { ...outcome, request };
  }

  /** Invokes the handler with one request, waits for its response on the ResponseURL and judges it as CloudFormation does. */
  private async send(op: Operation, phase: Phase, request: Request): Promise<Outcome> {
    const release = await this.slots.acquire();
    try {
      const stackId = this.stack!.stackId;
      const requestId = randomUUID();
      const responseUrl = await this.server.url(requestId);
      const common = {
        ServiceToken: String(request.properties.ServiceToken),
        ResponseURL: responseUrl,
        StackId: stackId,
        RequestId: requestId,
        LogicalResourceId: request.logicalId,
        ResourceType: request.resourceType,
        ResourceProperties: request.properties as CloudFormationCustomResourceEvent['ResourceProperties'],
      };
      const event: CloudFormationCustomResourceEvent =
        request.requestType === 'Create' ? { RequestType: 'Create', ...common }
          : request.requestType === 'Update' ? {
            RequestType: 'Update',
            ...common,
            PhysicalResourceId: request.physicalId!,
            OldResourceProperties: request.oldProperties as CloudFormationCustomResourceEvent['ResourceProperties'],
          }
            : { RequestType: 'Delete', ...common, PhysicalResourceId: request.physicalId! };

      const started = performance.now();
      const logs: string[] = [];
      const fault = this.options.invocationFault?.({ phase, event });
      const run = () => this.invokeWithFault(event, fault);
      const { settled, responseKey } = this.options.captureLogs === false ? await run() : await captureConsole(logs, run);
      const ms = Math.round(performance.now() - started);
      const responses = this.server.responses(responseKey);
      const judged = fault?.kind === 'lose-response'
        ? { ok: false, data: {}, reason: 'no response from handler: the response was lost (CloudFormation waits until the custom resource times out)' }
        : judge(event, responses[0]?.body, responses[0]?.bytes ?? 0, settled, this.timeoutMs);

      const record: DriverEvent = {
        seq: this.log.length + 1,
        phase,
        requestType: request.requestType,
        logicalId: request.logicalId,
        resourceType: request.resourceType,
        physicalId: request.requestType === 'Delete' ? request.physicalId : judged.physicalId,
        oldPhysicalId: request.requestType === 'Update' ? request.physicalId : undefined,
        placeholderPhysicalId: request.placeholder || undefined,
        status: judged.ok ? 'SUCCESS' : 'FAILED',
        reason: judged.reason,
        data: judged.ok ? judged.data : undefined,
        noEcho: judged.noEcho,
        responseBytes: responses[0]?.bytes ?? 0,
        responseCount: responses.length,
        ms,
        logs,
        request: event,
        response: judged.body,
      };
      this.log.push(record);
      op.events.push(record);
      this.options.onEvent?.(record);
      return { ok: judged.ok, invoked: true, physicalId: judged.physicalId, data: judged.data, reason: judged.reason };
    } finally {
      release();
    }
  }

  /**
   * `invoke`, with the fault applied: a lost response goes to a URL nobody reads; a killed run is abandoned (it keeps
   * running against a dead proxy until its own deadline, answering nobody) and the event is sent again. Resolves to how
   * the invocation that counts settled and where its response went.
   */
  private async invokeWithFault(
    event: CloudFormationCustomResourceEvent, fault: InvocationFault | undefined,
  ): Promise<{ settled: Settled; responseKey: string }> {
    if (!fault) return { settled: await this.invoke(event), responseKey: event.RequestId };
    const responseKey = `${event.RequestId}-${fault.kind}`;
    const elsewhere = { ...event, ResponseURL: await this.server.url(responseKey) };
    if (fault.kind === 'lose-response') return { settled: await this.invoke(elsewhere), responseKey };
    const endpoints = API_ENDPOINT_VARIABLES.flatMap((name): Array<[string, string]> => {
      const target = this.env[name];
      return target ? [[name, target]] : [];
    });
    if (endpoints.length === 0) throw new LifecycleDriverError(`a kill fault needs ${API_ENDPOINT_VARIABLES.join(' or ')} in the driver env`);
    // Both invocations run with the role session of the first (Lambda retries the same function).
    const env = this.invocationEnv(event.ServiceToken);
    const proxy = await KillSwitch.start(endpoints.map(([, target]) => target), fault.afterCalls);
    try {
      const killed = proxy.killed.then(() => undefined);
      const proxied = Object.fromEntries(endpoints.map(([name, target]) => [name, proxy.endpointFor(target)]));
      // The killed run's own log capture keeps what it writes after the kill (it runs on, answering nobody).
      const run = captureConsole([], () => this.invoke(elsewhere, { ...env, ...proxied }, killed));
      const first = await Promise.race([run, killed]);
      // It finished before its kill point: that was the only invocation.
      if (first) return { settled: first, responseKey };
    } finally {
      proxy.close();
    }
    // Lambda's retry of a crashed asynchronous invocation: the same event, from the start.
    return { settled: await this.invoke(event, env), responseKey: event.RequestId };
  }

  /** Runs the handler with the invocation's environment; `abandoned` (a kill) gives the environment back early. */
  private async invoke(event: CloudFormationCustomResourceEvent, env?: EnvVars, abandoned?: Promise<void>): Promise<Settled> {
    const handler = this.handler!;
    const release = leaseEnv(env ?? this.invocationEnv(event.ServiceToken));
    void abandoned?.then(release);
    let timer: NodeJS.Timeout | undefined;
    try {
      const context = lambdaContext(this.functionArn(event.ServiceToken), this.timeoutMs);
      const run = Promise.resolve()
        .then(() => handler(event, context))
        .then((): Settled => ({ outcome: 'resolved' }), (error: unknown): Settled => ({ outcome: 'threw', error }));
      const timeout = new Promise<Settled>((resolve) => {
        timer = setTimeout(() => resolve({ outcome: 'timeout' }), this.timeoutMs);
      });
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------------------------------

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new LifecycleDriverError('another deploy() or destroy() of this driver is still running');
    this.busy = true;
    try {
      return await fn();
    } catch (error) {
      if (error instanceof TemplateError) throw new LifecycleDriverError(error.message);
      throw error;
    } finally {
      this.busy = false;
    }
  }

  /**
   * A resource the driver does not execute, as the stack now has it: its IAM policies (resolved from `properties`,
   * the node's own by default) applied when they are new or changed, and a function's role and environment, which
   * its invocations use. Returns `prev` when nothing changed.
   */
  private putPassive(graph: StackGraph, live: Map<string, Live>, node: ResourceNode, prev?: Live, properties?: Properties): Live {
    const policy = this.policies !== undefined && isIamPolicyType(node.type);
    if (!policy && node.type !== FUNCTION_TYPE) {
      const resource = prev ?? passive(node);
      live.set(node.logicalId, resource);
      return resource;
    }
    const resolve = (value: unknown) => this.resolver(graph, live, this.stack!.stackId).resolve(value);
    const resolved = (properties
      ?? (policy ? resolve(node.properties) : { Role: resolve(node.properties.Role), Environment: resolve(node.properties.Environment) })
      ?? {}) as Properties;
    if (prev && jsonEqual(resolved, prev.properties)) return prev;
    const resource = { ...passive(node), properties: resolved };
    live.set(node.logicalId, resource);
    if (policy) this.policies!.put(node.logicalId, node.type, resolved);
    return resource;
  }

  /** The role that `Ref` names: the driver's `Ref` of a role is its logical id. */
  private roleArn(name: string): string {
    return `arn:${this.base.partition}:iam::${this.base.accountId}:role/${name}`;
  }

  /**
   * `env`, with the environment variables of the function behind `serviceToken` (as Lambda gives them: a variable an
   * earlier version of a function had is unset), and a session of its role when IAM is simulated.
   */
  private invocationEnv(serviceToken: string): EnvVars {
    const functionId = /:function:([^:]+)$/.exec(serviceToken)?.[1];
    const fn = functionId === undefined ? undefined : this.stack?.live.get(functionId);
    if (fn?.type !== FUNCTION_TYPE) return this.env;
    const variables = (fn.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    Object.keys(variables).forEach((name) => this.functionVariableNames.add(name));
    const functionEnv: Record<string, string | undefined> = {};
    for (const name of this.functionVariableNames) functionEnv[name] = Object.hasOwn(variables, name) ? String(variables[name]) : undefined;
    if (!this.options.iam) return { ...this.env, ...functionEnv };
    const credentials = this.options.iam.credentialsFor(String(fn.properties.Role));
    return { ...this.env, ...functionEnv, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
  }

  /**
   * Serves DescribeStacks and ListStackResources of this stack; the handler finds it through
   * `AWS_ENDPOINT_URL_CLOUDFORMATION`, unless `env` sets it. A resource's status tells only a Delete under way apart.
   */
  private async startStatusEndpoint(): Promise<void> {
    if (this.statusEndpoint) return;
    const authorizer = this.options.iam?.principalOf && this.options.iam.authorize ? this.options.iam as Required<IamBinding> : undefined;
    const described = () => this.stack && {
      stackId: this.stack.stackId,
      stackName: this.base.stackName,
      status: this.stack.status,
      resources: [...this.stack.live.values()].map((l) => ({
        logicalId: l.logicalId,
        type: l.type,
        physicalId: l.physicalId,
        status: this.deleting.has(`${l.logicalId} ${l.physicalId}`) ? 'DELETE_IN_PROGRESS' : 'UPDATE_COMPLETE',
      })),
    };
    this.statusEndpoint = await StackStatusEndpoint.start(described, authorizer);
    const variable = 'AWS_ENDPOINT_URL_CLOUDFORMATION';
    const own = this.options.env && Object.hasOwn(this.options.env, variable);
    this.env = { ...this.env, [variable]: own ? this.options.env![variable] : this.statusEndpoint.endpoint };
  }

  private ensureHandler(): void {
    if (this.handler) return;
    const release = leaseEnv(this.env);
    try {
      this.handler = loadHandler(this.handlerPath);
    } catch (error) {
      throw new LifecycleDriverError(error instanceof Error ? error.message : String(error));
    } finally {
      release();
    }
  }

  private newStackId(): string {
    const { partition, region, accountId, stackName } = this.base;
    return `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${randomUUID()}`;
  }

  private graph(template: CfnTemplate, stackId: string): StackGraph {
    try {
      return StackGraph.fromTemplate(template, { ...this.base, stackId }, this.options.parameters);
    } catch (error) {
      throw new LifecycleDriverError(`invalid template: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private resolver(graph: StackGraph, live: ReadonlyMap<string, Live>, stackId: string): Resolver {
    return new Resolver({
      template: graph.template,
      pseudo: { ...this.base, stackId },
      parameterValues: this.options.parameters ?? {},
      resource: (id) => live.get(id),
    });
  }

  /** The function CloudFormation would invoke: the ServiceToken when it is a Lambda ARN. */
  private functionArn(serviceToken: string): string {
    if (/^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+/.test(serviceToken)) return serviceToken;
    const { partition, region, accountId, stackName } = this.base;
    return `arn:${partition}:lambda:${region}:${accountId}:function:${stackName}-Handler`;
  }

  /** The resource CloudFormation keeps for a failed Create, so that the rollback can send Delete for it. */
  private failedCreate(node: ResourceNode, properties: Properties, physicalId: string | undefined): Live {
    return {
      logicalId: node.logicalId,
      type: node.type,
      custom: true,
      properties,
      data: {},
      physicalId: physicalId ?? `${this.base.stackName}-${node.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`,
      placeholder: physicalId === undefined,
    };
  }

  private snapshot(): Map<string, ResourceState> {
    const out = new Map<string, ResourceState>();
    for (const l of this.stack?.live.values() ?? []) {
      if (l.custom) out.set(l.logicalId, { logicalId: l.logicalId, type: l.type, physicalId: l.physicalId, properties: l.properties, data: l.data });
    }
    return out;
  }

  private result(op: Operation, status?: StackStatus): DriverResult {
    const final = (status ?? this.stack?.status) as StackStatus;
    return {
      operation: op.kind,
      status: final,
      ok: final === 'CREATE_COMPLETE' || final === 'UPDATE_COMPLETE' || final === 'DELETE_COMPLETE',
      events: op.events,
      resources: this.snapshot(),
      failure: op.failure,
      rollbackFailure: op.rollbackFailure,
      cleanupFailures: op.cleanupFailures,
      retained: op.retained,
      ms: Math.round(performance.now() - op.started),
    };
  }
}

/** A one-line description of an event, for progress printers. */
export function describeEvent(e: DriverEvent): string {
  const ids = e.oldPhysicalId !== undefined && e.oldPhysicalId !== e.physicalId
    ? `${e.oldPhysicalId} -> ${e.physicalId ?? '?'}`
    : e.physicalId ?? '-';
  const reason = e.reason ? `: ${e.reason}` : '';
  return `${e.phase} ${e.requestType} ${e.logicalId} (${e.resourceType}) [${ids}] ${e.status}${reason} (${e.ms} ms, ${e.responseBytes} B)`;
}

type Settled = { readonly outcome: 'resolved' | 'timeout' } | { readonly outcome: 'threw'; readonly error: unknown };

function forwardNodes(graph: StackGraph): DagNode[] {
  return graph.order.map((id) => ({ key: id, after: [...graph.node(id).dependsOn] }));
}

const FUNCTION_TYPE = 'AWS::Lambda::Function';

function passive(node: ResourceNode): Live {
  return { logicalId: node.logicalId, type: node.type, custom: false, physicalId: node.logicalId, properties: {}, data: {} };
}

function failure(outcome: Outcome, requestType: RequestType, logicalId: string, physicalId?: string): DriverFailure {
  return { logicalId, requestType, physicalId: physicalId ?? outcome.physicalId, reason: outcome.reason ?? 'failed' };
}

interface Judged {
  readonly ok: boolean;
  readonly physicalId?: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly noEcho?: boolean;
  readonly body?: ResponseBody;
}

/** What CloudFormation makes of a response (or of its absence). */
function judge(event: CloudFormationCustomResourceEvent, raw: Buffer | undefined, bytes: number, settled: Settled, timeoutMs: number): Judged {
  if (raw === undefined) {
    const why = settled.outcome === 'timeout' ? `the handler did not finish within ${timeoutMs} ms (Lambda timeout)`
      : settled.outcome === 'threw' ? `the handler threw: ${describeError(settled.error)}`
        : 'the handler returned without sending a response to the ResponseURL';
    return { ok: false, data: {}, reason: `no response from handler: ${why}` };
  }
  let body: ResponseBody | undefined;
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as ResponseBody;
  } catch {
    body = undefined;
  }
  const invalid = (reason: string): Judged => ({ ok: false, data: {}, reason, body });
  if (bytes > MAX_RESPONSE_BYTES) {
    return invalid(`Response object is too long: ${bytes} bytes, CloudFormation accepts at most ${MAX_RESPONSE_BYTES}`);
  }
  if (!body) return invalid('Invalid response: the body is not a JSON object');
  for (const field of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (body[field] !== event[field]) {
      return invalid(`Invalid response: ${field} ${JSON.stringify(body[field])} does not match the request's ${JSON.stringify(event[field])}`);
    }
  }
  const physicalId = body.PhysicalResourceId;
  if (physicalId !== undefined && (typeof physicalId !== 'string' || physicalId === '' || Buffer.byteLength(physicalId) > 1024)) {
    return invalid(`Invalid PhysicalResourceId: ${JSON.stringify(physicalId)?.slice(0, 100)}`);
  }
  if (body.Data !== undefined && (body.Data === null || typeof body.Data !== 'object' || Array.isArray(body.Data))) {
    return invalid('Invalid response: Data must be an object');
  }
  const data = (body.Data ?? {}) as Record<string, unknown>;
  const noEcho = body.NoEcho === undefined ? undefined : body.NoEcho === true || body.NoEcho === 'true';
  if (body.Status === 'FAILED') {
    const reason = typeof body.Reason === 'string' && body.Reason !== '' ? body.Reason : 'the handler responded FAILED without a Reason';
    return { ok: false, physicalId, data: {}, reason, noEcho, body };
  }
  if (body.Status !== 'SUCCESS') return invalid(`Invalid response: Status must be SUCCESS or FAILED, got ${JSON.stringify(body.Status)}`);
  if (physicalId === undefined) return invalid('Invalid PhysicalResourceId: the SUCCESS response has none');
  return { ok: true, physicalId, data, noEcho, body };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
