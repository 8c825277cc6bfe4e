// Helpers for tests that call the local service through the real SDK client.
import { PinpointEmailClient, PinpointEmailClientConfig } from '@aws-sdk/client-pinpoint-email';

/**
 * A client that reaches the service through the environment (see LocalPinpointEmailService.clientEnv), with one attempt
 * unless told otherwise; `accountId` becomes the access key id, which the service reads as the account.
 */
export function localClient(options: { accountId?: string; region?: string } & PinpointEmailClientConfig = {}): PinpointEmailClient {
  const { accountId, ...config } = options;
  return new PinpointEmailClient({
    maxAttempts: 1,
    ...(accountId ? { credentials: { accessKeyId: accountId, secretAccessKey: 'local-secret' } } : {}),
    ...config,
  });
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
