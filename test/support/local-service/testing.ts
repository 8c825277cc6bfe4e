// Helpers for tests that call the local service through the real SDK clients, or by hand.
import { randomUUID } from 'crypto';
import { request } from 'http';
import { PinpointEmailClient, PinpointEmailClientConfig } from '@aws-sdk/client-pinpoint-email';
import { SESv2Client, SESv2ClientConfig } from '@aws-sdk/client-sesv2';

/** One attempt unless told otherwise; `accountId` becomes the access key id, which the service reads as the account. */
function localConfig<C extends object>(options: { accountId?: string } & C): C {
  const { accountId, ...config } = options;
  return {
    maxAttempts: 1,
    ...(accountId ? { credentials: { accessKeyId: accountId, secretAccessKey: 'local-secret' } } : {}),
    ...config,
  } as C;
}

/** A Pinpoint Email client that reaches the service through the environment (see LocalPinpointEmailService.clientEnv). */
export function localClient(options: { accountId?: string; region?: string } & PinpointEmailClientConfig = {}): PinpointEmailClient {
  return new PinpointEmailClient(localConfig(options));
}

/** An SES v2 client that reaches the service through the environment (AWS_ENDPOINT_URL_SESV2). */
export function localSesv2Client(options: { accountId?: string; region?: string } & SESv2ClientConfig = {}): SESv2Client {
  return new SESv2Client(localConfig(options));
}

/** Awaits a call that must fail with this SDK exception class, HTTP status and message; returns the error. */
export async function expectServiceError<E extends Error>(
  call: Promise<unknown>, errorClass: abstract new (...args: any[]) => E, status: number, message?: string | RegExp,
): Promise<E & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(errorClass);
  const e = error as E & { $metadata: { httpStatusCode?: number; requestId?: string } };
  expect(e.$metadata.httpStatusCode).toBe(status);
  if (message !== undefined) expect(e.message).toMatch(message);
  return e;
}

/** A SigV4-shaped Authorization header (the service reads the account and region from it, and does not check signatures). */
export const RAW_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=abc';

/** A hand-made HTTP request, for what the SDK never sends and to read the exact bytes answered; the body is parsed JSON. */
export function rawRequest(
  endpoint: string, method: string, urlPath: string, options: { body?: string; authorization?: string | null } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.authorization !== null) headers.authorization = options.authorization ?? RAW_AUTHORIZATION;
    const req = request(`${endpoint}${urlPath}`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Where to send a command instead of where the pinned SDK sends it, and (optionally) the JSON body to send, from the SDK's query. */
export interface Reroute {
  readonly method?: string;
  readonly path: string;
  readonly body?: (query: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Sends `command` with the real client, serialized and signed as the SDK does it, but to another route: what later SDKs
 * send (SES v2's POST list operations from 3.1143.0, PutEmailIdentityDkimSigningAttributes under /v2 in 3.1176.0).
 */
export async function sendRerouted<O>(client: SESv2Client, command: object, reroute: Reroute): Promise<O> {
  const name = `reroute-${randomUUID()}`;
  client.middlewareStack.add((next) => async (args) => {
    const http = args.request as { method: string; path: string; query: Record<string, unknown>; body?: unknown; headers: Record<string, string> };
    http.method = reroute.method ?? http.method;
    http.path = reroute.path;
    if (reroute.body) {
      http.body = JSON.stringify(reroute.body(http.query));
      http.query = {};
      http.headers['content-type'] = 'application/json';
    }
    return next(args);
  }, { step: 'build', priority: 'high', name }); // before the content length is computed and the request signed
  try {
    return await client.send(command as never) as O;
  } finally {
    client.middlewareStack.remove(name);
  }
}
