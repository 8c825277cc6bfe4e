import { PinpointEmailClient } from '@aws-sdk/client-pinpoint-email';
import { log } from './log';
import { DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_SHARE, DeadlineRetryStrategy } from './retry';

/** One attempt may not wait longer than this for a connection or a response; a timeout is retried. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * A Pinpoint Email client for one event. Endpoint, region and credentials come from the SDK's own configuration
 * (environment), unchanged. Every call is retried by the deadline policy and logged with its outcome.
 */
export function createClient(deadline: number, options: { readonly accessDeniedRetryMs?: number } = {}): PinpointEmailClient {
  const client = new PinpointEmailClient({
    retryStrategy: new DeadlineRetryStrategy({
      deadline, baseDelayMs: DEFAULT_BASE_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, minDelayShare: DEFAULT_MIN_DELAY_SHARE, ...options,
    }),
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationName(context.commandName);
      const started = Date.now();
      try {
        const result = await next(args);
        const attempts = (result.output as { $metadata?: { attempts?: number } }).$metadata?.attempts;
        log('api call', { operation, outcome: 'ok', attempts, ms: Date.now() - started });
        return result;
      } catch (error) {
        const failure = error as ApiError;
        failure.operation = operation;
        log('api call', { operation, outcome: failure.name, attempts: failure.$metadata?.attempts, ms: Date.now() - started });
        throw error;
      }
    },
    { step: 'initialize', name: 'pinpointEmailCallLog' },
  );
  // Inside the retry middleware: names the operation on each attempt's error, so the retry strategy can tell a quota.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error) (error as ApiError).operation = operationName(context.commandName);
        throw error;
      }
    },
    { step: 'deserialize', name: 'pinpointEmailOperationName', priority: 'high' },
  );
  return client;
}

/** An SDK error, with the operation that threw it added by the client's middleware. */
export interface ApiError extends Error {
  operation?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

function operationName(commandName: string | undefined): string {
  return (commandName ?? 'UnknownOperation').replace(/Command$/, '');
}
