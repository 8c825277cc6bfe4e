/**
 * Shared helpers for the handler unit tests: CloudFormation event builders, a fake Lambda context, and a local
 * ResponseURL server that captures the response the handler PUTs.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceUpdateEvent,
  Context,
} from 'aws-lambda';
import { handler } from '../../lambda/index';
import { OWNER_TAG_KEY, ownerMarker } from '../../lambda/ownership';
import { ResourceTypes } from '../../src/private/contract';

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:handler';
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Demo/0f5c1c20-0000-11ef-8000-0a1b2c3d4e5f';
export const LOGICAL_ID = 'MailSet1A2B3C4D';
/** The ownership tag every create of the default stack and logical id carries (lambda/ownership.ts). */
export const OWNER_TAG = { Key: OWNER_TAG_KEY, Value: ownerMarker(STACK_ID, LOGICAL_ID) };
/** The ownership tag of a resource that request `requestId` of the default stack and logical id created (lambda/ownership.ts). */
export function ownerTagOf(requestId: string, flags = ''): { Key: string; Value: string } {
  return { Key: OWNER_TAG_KEY, Value: `${OWNER_TAG.Value} request=${requestId}${flags}` };
}
/** The ownership tag a create call of the default stack and logical id sends, whatever its RequestId: a matcher. */
export const SENT_OWNER_TAG: { Key: string; Value: string } = {
  Key: OWNER_TAG_KEY, Value: expect.stringMatching(new RegExp(`^${OWNER_TAG.Value} request=\\S+$`)),
};
/** The ownership tag of the same logical id in another stack (another name and uuid): someone else's resource. */
export const FOREIGN_OWNER_TAG = {
  Key: OWNER_TAG_KEY,
  Value: ownerMarker(STACK_ID.replace('/Demo/', '/Other/').replace('0f5c1c20', '7b3e9a41'), LOGICAL_ID),
};

/** Custom resource properties as a test writes them (booleans and numbers allowed); the builders take any object. */
export type Properties = Record<string, unknown>;

/** The body the handler PUT to the ResponseURL. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** One captured PUT: the parsed body and its raw size. */
export interface CapturedResponse {
  readonly body: CfnResponse;
  readonly bytes: number;
  readonly contentType: string | undefined;
}

/** A Lambda context whose remaining time counts down from `remainingMs`. */
export function fakeContext(options: { remainingMs?: number; functionArn?: string } = {}): Context {
  const deadline = Date.now() + (options.remainingMs ?? 600_000);
  const unused = () => {
    throw new Error('the handler must answer through the ResponseURL, not the Lambda callback');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: options.functionArn ?? FUNCTION_ARN,
    memoryLimitInMB: '256',
    awsRequestId: 'lambda-request-1',
    logGroupName: '/aws/lambda/handler',
    logStreamName: '2026/11/26/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unused,
    fail: unused,
    succeed: unused,
  };
}

/** What CloudFormation does to every property: scalars become strings ("true", "42"), lists and maps are kept. */
export function asDelivered(value: unknown): unknown {
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(asDelivered);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asDelivered(item)]));
  }
  return value;
}

/** Options shared by the event builders. */
export interface EventOptions {
  readonly resourceType?: string;
  readonly requestId?: string;
  readonly logicalId?: string;
}

let requestCounter = 0;

function common(properties: object, options: EventOptions) {
  return {
    ServiceToken: FUNCTION_ARN,
    ResponseURL: 'http://127.0.0.1:1/unset', // replaced by HandlerHarness.run
    StackId: STACK_ID,
    RequestId: options.requestId ?? `request-${++requestCounter}`,
    LogicalResourceId: options.logicalId ?? LOGICAL_ID,
    ResourceType: options.resourceType ?? ResourceTypes.CONFIGURATION_SET,
    ResourceProperties: {
      ServiceToken: FUNCTION_ARN,
      ServiceTimeout: '660',
      ...(asDelivered(properties) as Properties),
    },
  };
}

export function createEvent(properties: object, options: EventOptions = {}): CloudFormationCustomResourceCreateEvent {
  return { RequestType: 'Create', ...common(properties, options) };
}

export function updateEvent(
  physicalId: string, properties: object, oldProperties: object, options: EventOptions = {},
): CloudFormationCustomResourceUpdateEvent {
  return {
    RequestType: 'Update',
    PhysicalResourceId: physicalId,
    ...common(properties, options),
    OldResourceProperties: { ServiceToken: FUNCTION_ARN, ServiceTimeout: '660', ...(asDelivered(oldProperties) as Properties) },
  };
}

export function deleteEvent(physicalId: string, properties: object, options: EventOptions = {}): CloudFormationCustomResourceDeleteEvent {
  return { RequestType: 'Delete', PhysicalResourceId: physicalId, ...common(properties, options) };
}

/**
 * Runs the real `handler` and captures what it PUTs to its ResponseURL, served by an HTTP server on 127.0.0.1.
 * Start it in `beforeAll` and stop it in `afterAll`.
 */
export class HandlerHarness {
  private server?: http.Server;
  private port = 0;
  private urlCounter = 0;
  private readonly received = new Map<string, CapturedResponse[]>();

  public async start(): Promise<void> {
    const server = http.createServer((request, response) => this.receive(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A fresh pre-signed-looking URL on the local server. */
  public newResponseUrl(issuedAgoMs = 0): string {
    const date = new Date(Date.now() - issuedAgoMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    return `http://127.0.0.1:${this.port}/cloudformation-response/${++this.urlCounter}?X-Amz-Date=${date}&X-Amz-Signature=test${this.urlCounter}`;
  }

  /**
   * Invokes the handler with `event` (its ResponseURL pointed at the local server) and returns the one response it
   * PUT. Fails if the handler threw or answered other than exactly once.
   */
  public async run(event: CloudFormationCustomResourceEvent, context: Context = fakeContext(), issuedAgoMs = 0): Promise<CapturedResponse> {
    const url = this.newResponseUrl(issuedAgoMs);
    await handler({ ...event, ResponseURL: url }, context);
    const responses = this.received.get(new URL(url).pathname) ?? [];
    if (responses.length !== 1) throw new Error(`expected exactly one response PUT, got ${responses.length}`);
    return responses[0];
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (request.method !== 'PUT') {
        response.writeHead(405).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const list = this.received.get(path) ?? [];
      list.push({ body: JSON.parse(raw.toString('utf8')) as CfnResponse, bytes: raw.length, contentType: request.headers['content-type'] });
      this.received.set(path, list);
      response.writeHead(200).end();
    });
  }
}

/** Replaces console.log (the handler's structured log) for the current test and returns the logged lines. */
export function captureLogs(): { lines: () => string[] } {
  const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  return { lines: () => spy.mock.calls.map((args) => args.map(String).join(' ')) };
}

/** Every call a mocked SDK client received, in order, as `{ Operation: input }`. */
export function operationCalls(client: { calls(): Array<{ args: unknown[] }> }): Array<Record<string, unknown>> {
  return client.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    return { [command.constructor.name.replace(/Command$/, '')]: command.input };
  });
}
