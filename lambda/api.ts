import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createSdkClient, EmailApi, emailApiOver, SdkClient, SdkClientConfig } from './email-api';
import { log } from './log';
import { DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_SHARE, DeadlineRetryStrategy } from './retry';
import { EmailApiBackend } from '../src/private/contract';

/** One attempt may not wait longer than this for a connection or a response; a timeout is retried. */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * One connection pool for every SDK client of the process. Each event makes its own clients (their retry policy
 * knows its deadline), and they share this pool: a warm invocation reuses the connections of the ones before it, and
 * their idle sockets do not pile up, one set per past event.
 */
const requestHandler = new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS });

export interface ClientOptions {
  /** How long a denial is retried (IAM propagation); see retry.ts. */
  readonly accessDeniedRetryMs?: number;
}

/** The API of one event, over the backend's instrumented SDK client. */
export function createApi(backend: EmailApiBackend, deadline: number, options: ClientOptions = {}): EmailApi {
  return emailApiOver(backend, instrumentedClient(backend, deadline, options));
}

/**
 * The backend's SDK client. Endpoint, region and credentials come from the SDK's own configuration (environment),
 * unchanged. Every call is retried by the deadline policy and logged with its outcome.
 */
export function instrumentedClient(backend: EmailApiBackend, deadline: number, options: ClientOptions = {}): SdkClient {
  return instrument(createSdkClient(backend, clientConfig(deadline, options)));
}

/** What every SDK client of the handler is configured with: the deadline retry policy and bounded attempts. */
export function clientConfig(deadline: number, options: ClientOptions = {}): SdkClientConfig {
  return {
    retryStrategy: new DeadlineRetryStrategy({
      deadline, baseDelayMs: DEFAULT_BASE_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, minDelayShare: DEFAULT_MIN_DELAY_SHARE, ...options,
    }),
    requestHandler,
  };
}

/** An SDK client of the handler: the email API's, Secrets Manager's (lambda/secrets.ts) or CloudFormation's (lambda/own-stack.ts). */
type InstrumentableClient = SdkClient | SecretsManagerClient | CloudFormationClient;

/** Logs every call of `client` with its operation and outcome (never its input or output), and names the operation on its errors. */
export function instrument<C extends InstrumentableClient>(client: C): C {
  // The middleware reads only the command's name and the output's metadata: one stack type serves every client.
  const stack = client.middlewareStack as SdkClient['middlewareStack'];
  stack.add(
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
  stack.add(
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
