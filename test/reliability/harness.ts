/**
 * Shared setup of the reliability tests: one local Pinpoint Email service per test file, a lifecycle driver per test,
 * and a direct invocation of the bundled handler asset (for events CloudFormation sends but the driver would not, such
 * as a Delete of a foreign physical id, a retried Create or a malformed event).
 *
 *   const h = reliabilityHarness();
 *   const result = await h.deploy((stack) => new ConfigurationSet(stack, 'Set', { ... }));
 *   const { body, logs } = await h.invoke(createEvent(ResourceTypes.CONFIGURATION_SET, properties));
 */
import { randomUUID } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { LifecycleHarness, lifecycleHarness, snapshot, synth as synthStack } from '../lifecycle/harness';
import {
  DEFAULT_HANDLER_PATH, DriverEvent, DriverResult, LifecycleDriverOptions, ResponseBody, stringifyLeaves,
} from '../support/lifecycle-driver';
import { captureConsole, CustomResourceHandler, lambdaContext, leaseEnv, loadHandler } from '../support/lifecycle-driver/handler-runtime';
import { ResponseServer } from '../support/lifecycle-driver/response-server';
import { DEFAULT_ACCOUNT_ID, RecordedCall } from '../support/local-service';

/** The CDK stack's name, also given to the driver (generated physical names start with it). */
export const STACK_NAME = 'R';
export const REGION = 'us-east-1';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${DEFAULT_ACCOUNT_ID}:function:${STACK_NAME}-Handler`;
/** A StackId like CloudFormation's; a direct invocation uses it unless told otherwise. */
export const STACK_ID = `arn:aws:cloudformation:${REGION}:${DEFAULT_ACCOUNT_ID}:stack/${STACK_NAME}/5e1f7a10-0000-11ef-8000-0a1b2c3d4e5f`;

/** Credentials given to the handler, distinctive so that a test can check they never reach the logs. */
export const SECRET_ACCESS_KEY = 'reliabilitySecretKey0123456789abcdefXYZ';
export const SESSION_TOKEN = 'reliabilitySessionToken0123456789abcdefXYZ';

/** A Lambda timeout well under the real one (10 minutes): the handler keeps 30 s of it for answering. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** What one direct invocation of the bundled handler produced. */
export interface Invocation {
  /** The first response PUT to the ResponseURL, parsed. */
  readonly body: ResponseBody;
  /** Its size in bytes. */
  readonly bytes: number;
  /** How many responses were PUT (CloudFormation reads the first). */
  readonly responses: number;
  /** What the handler wrote with console. */
  readonly logs: readonly string[];
  /** The API calls the service recorded during the invocation. */
  readonly calls: readonly RecordedCall[];
  /** The event as sent, ResponseURL included. */
  readonly event: CloudFormationCustomResourceEvent;
}

export interface ReliabilityHarness extends LifecycleHarness {
  /** Sends one event straight to the bundled handler, as CloudFormation would, and waits for its response. */
  invoke(event: CloudFormationCustomResourceEvent, options?: InvokeOptions): Promise<Invocation>;
}

export interface InvokeOptions {
  /** The Lambda timeout. @default the harness's */
  readonly timeoutMs?: number;
  /** How long before the invocation CloudFormation issued the request (its ResponseURL's signing time). @default 0 */
  readonly issuedAgoMs?: number;
  /** Load the handler afresh, as a new Lambda environment would (nothing kept in memory from earlier invocations). */
  readonly newEnvironment?: boolean;
}

export interface HarnessOptions {
  /** The driver's (and direct invocations') Lambda timeout. @default DEFAULT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Extra driver options (onEvent...). */
  readonly driver?: Omit<LifecycleDriverOptions, 'env' | 'stackName' | 'timeoutMs'>;
}

/**
 * Registers the jest hooks of a reliability test file and returns its harness: the lifecycle harness (stack `R`,
 * distinctive credentials) plus direct invocations of the bundled handler.
 */
export function reliabilityHarness(options: HarnessOptions = {}): ReliabilityHarness {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lifecycle = lifecycleHarness({
    timeoutMs,
    stackName: STACK_NAME,
    driver: options.driver,
    env: {
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
    },
  });
  let handler: CustomResourceHandler | undefined;
  const responses = new ResponseServer();
  afterAll(async () => {
    await responses.close();
  });

  async function invoke(event: CloudFormationCustomResourceEvent, invokeOptions: InvokeOptions = {}): Promise<Invocation> {
    const vars = lifecycle.handlerEnv();
    if (!handler || invokeOptions.newEnvironment) {
      const release = leaseEnv(vars);
      try {
        handler = loadHandler(DEFAULT_HANDLER_PATH);
      } finally {
        release();
      }
    }
    const url = await responses.url(event.RequestId, Date.now() - (invokeOptions.issuedAgoMs ?? 0));
    const sent = { ...event, ResponseURL: url } as CloudFormationCustomResourceEvent;
    const firstCall = lifecycle.service.calls.length;
    const logs: string[] = [];
    const release = leaseEnv(vars);
    try {
      const context = lambdaContext(FUNCTION_ARN, invokeOptions.timeoutMs ?? timeoutMs);
      await captureConsole(logs, async () => handler!(sent, context));
    } finally {
      release();
    }
    const received = responses.responses(event.RequestId);
    if (received.length === 0) throw new Error(`the handler sent no response to ${event.RequestType} ${event.LogicalResourceId}`);
    return {
      body: JSON.parse(received[0].body.toString('utf8')) as ResponseBody,
      bytes: received[0].bytes,
      responses: received.length,
      logs,
      calls: lifecycle.service.calls.slice(firstCall),
      event: sent,
    };
  }

  // The lifecycle harness's members are getters that are valid only inside a test: inherit them, don't copy them.
  return Object.assign(Object.create(lifecycle) as LifecycleHarness, { invoke });
}

/** The template of a new app's stack `R`, built by `build`. */
export function synth(build: (stack: Stack) => void): Record<string, any> {
  return synthStack(build, STACK_NAME);
}

/** Options of the event builders. */
export interface EventOptions {
  readonly stackId?: string;
  readonly logicalId?: string;
  readonly requestId?: string;
}

type Properties = Record<string, unknown>;

function common(resourceType: string, properties: Properties, options: EventOptions) {
  return {
    ServiceToken: FUNCTION_ARN,
    ResponseURL: 'http://127.0.0.1:1/replaced-by-invoke',
    StackId: options.stackId ?? STACK_ID,
    RequestId: options.requestId ?? randomUUID(),
    LogicalResourceId: options.logicalId ?? 'Resource',
    ResourceType: resourceType,
    // As CloudFormation delivers them: every scalar a string.
    ResourceProperties: stringifyLeaves({ ServiceToken: FUNCTION_ARN, ServiceTimeout: '660', ...properties }) as Properties & { ServiceToken: string },
  };
}

export function createEvent(resourceType: string, properties: Properties, options: EventOptions = {}): CloudFormationCustomResourceEvent {
  return { RequestType: 'Create', ...common(resourceType, properties, options) };
}

export function updateEvent(
  resourceType: string, physicalId: string, properties: Properties, oldProperties: Properties, options: EventOptions = {},
): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Update',
    ...common(resourceType, properties, options),
    PhysicalResourceId: physicalId,
    OldResourceProperties: stringifyLeaves({ ServiceToken: FUNCTION_ARN, ServiceTimeout: '660', ...oldProperties }) as Properties & { ServiceToken: string },
  };
}

export function deleteEvent(
  resourceType: string, physicalId: string, properties: Properties, options: EventOptions = {},
): CloudFormationCustomResourceEvent {
  return { RequestType: 'Delete', ...common(resourceType, properties, options), PhysicalResourceId: physicalId };
}

export { snapshot };

/** The events of a driver result for one logical id whose construct id is `constructId` (CDK adds a hash). */
export function eventsOf(result: DriverResult, constructId: string): DriverEvent[] {
  return result.events.filter((e) => e.logicalId.startsWith(constructId));
}

/** The physical id of the custom resource of the construct `constructId`. */
export function physicalIdOf(result: DriverResult, constructId: string): string | undefined {
  return [...result.resources.values()].find((r) => r.logicalId.startsWith(constructId))?.physicalId;
}
