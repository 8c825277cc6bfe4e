/**
 * The retry policy: the DeadlineRetryStrategy on its own, then inside the real SDK client through the handler, with a
 * fake service below the SDK's retry middleware (aws-sdk-client-mock replaces `send` and so would skip the retries).
 */
import { BadRequestException, PinpointEmailClient, TooManyRequestsException } from '@aws-sdk/client-pinpoint-email';
import * as fc from 'fast-check';
import { captureLogs, createEvent, fakeContext, HandlerHarness } from './harness';
import * as api from '../../lambda/api';
import { emailApiOver } from '../../lambda/email-api';
import { ACCESS_DENIED_RETRY_MS, DeadlineRetryStrategy, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_SHARE } from '../../lambda/retry';
import { SCHEMA_VERSION } from '../../src/private/contract';

type ErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

function strategy(options: { deadline?: number; now?: number; random?: number } = {}): DeadlineRetryStrategy {
  return new DeadlineRetryStrategy({
    deadline: options.deadline ?? Number.MAX_SAFE_INTEGER,
    baseDelayMs: DEFAULT_BASE_DELAY_MS,
    maxDelayMs: DEFAULT_MAX_DELAY_MS,
    minDelayShare: DEFAULT_MIN_DELAY_SHARE,
    random: () => options.random ?? 0.5,
    now: () => options.now ?? 0,
  });
}

function info(errorType: ErrorType, name = 'SomeError') {
  return { errorType, error: { name } };
}

/** The backoff ceiling before retry `n` (1-based): 2.5 s doubling, at most 3 s. */
function ceiling(n: number): number {
  return Math.min(DEFAULT_MAX_DELAY_MS, DEFAULT_BASE_DELAY_MS * 2 ** (n - 1));
}

/** The delay before retry `n` when the jitter draws `random`: between a third of the ceiling and the ceiling. */
function delay(n: number, random: number): number {
  const shortest = Math.ceil(ceiling(n) * DEFAULT_MIN_DELAY_SHARE);
  return shortest + Math.floor((ceiling(n) - shortest) * random);
}

describe('DeadlineRetryStrategy', () => {
  beforeEach(() => {
    captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  test('the first attempt starts at once', async () => {
    const token = await strategy().acquireInitialRetryToken('pinpoint-email');
    expect(token.getRetryCount()).toBe(0);
    expect(token.getRetryDelay()).toBe(0);
  });

  test.each([
    ['a quota on a create (50 pools per region)', { name: 'LimitExceededException', message: 'An account can have at most 50 dedicated IP pools per region.', operation: 'CreateDedicatedIpPool' }, false],
    ['a quota without an operation', { name: 'LimitExceededException', message: 'Maximum number of pools reached' }, false],
    ['a LimitExceededException that speaks of a rate', { name: 'LimitExceededException', message: 'Rate exceeded', operation: 'CreateDedicatedIpPool' }, true],
    ['a LimitExceededException of a read', { name: 'LimitExceededException', message: 'Limit exceeded', operation: 'GetDeliverabilityDashboardOptions' }, true],
    ['TooManyRequestsException', { name: 'TooManyRequestsException', message: 'Too Many Requests', operation: 'CreateDedicatedIpPool' }, true],
  ])('%s: retried %s', async (_what, error, retried) => {
    const retries = strategy();
    const first = await retries.acquireInitialRetryToken('pinpoint-email');
    const refreshed = retries.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING', error });
    if (retried) await expect(refreshed).resolves.toBeDefined();
    else await expect(refreshed).rejects.toThrow('not retryable');
  });

  test('client errors are not retried', async () => {
    const retries = strategy();
    const first = await retries.acquireInitialRetryToken('pinpoint-email');
    await expect(retries.refreshRetryTokenForRetry(first, info('CLIENT_ERROR', 'BadRequestException'))).rejects.toThrow();
  });

  // AccessDeniedException is the email APIs' code; AccessDenied is CloudFormation's (the handler's reads of its stack).
  test.each(['AccessDeniedException', 'AccessDenied'])('%s is retried for 30 s from the first denial (IAM propagation), then given up', async (code) => {
    let now = 1_000;
    const retries = new DeadlineRetryStrategy({
      deadline: Number.MAX_SAFE_INTEGER, baseDelayMs: DEFAULT_BASE_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, random: () => 0.5, now: () => now,
    });
    let token = await retries.acquireInitialRetryToken('pinpoint-email');
    const denied = info('CLIENT_ERROR', code);
    token = await retries.refreshRetryTokenForRetry(token, denied);
    now += ACCESS_DENIED_RETRY_MS - DEFAULT_MAX_DELAY_MS;
    token = await retries.refreshRetryTokenForRetry(token, denied);
    expect(token.getRetryCount()).toBe(2);
    now += DEFAULT_MAX_DELAY_MS;
    await expect(retries.refreshRetryTokenForRetry(token, denied)).rejects.toThrow('deadline reached');
  });

  test('AccessDenied is never retried past the Lambda deadline', async () => {
    const retries = strategy({ deadline: 100, now: 0, random: 0.5 });
    const first = await retries.acquireInitialRetryToken('pinpoint-email');
    await expect(retries.refreshRetryTokenForRetry(first, info('CLIENT_ERROR', 'AccessDeniedException'))).rejects.toThrow('deadline reached');
  });

  test.each<ErrorType>(['THROTTLING', 'TRANSIENT', 'SERVER_ERROR'])('%s errors are retried with a growing, capped ceiling', async (errorType) => {
    const retries = strategy({ random: 0.999 });
    let token = await retries.acquireInitialRetryToken('pinpoint-email');
    const delays: number[] = [];
    for (let n = 1; n <= 9; n++) {
      token = await retries.refreshRetryTokenForRetry(token, info(errorType));
      expect(token.getRetryCount()).toBe(n);
      delays.push(token.getRetryDelay());
    }
    // With random close to 1, each delay sits just under its ceiling: 2.5 s, then the 3 s cap.
    expect(delays).toEqual([2498, 2998, 2998, 2998, 2998, 2998, 2998, 2998, 2998]);
  });

  test('every delay is at least a third of its ceiling and under the ceiling, whatever the jitter', async () => {
    await fc.assert(fc.asyncProperty(
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.integer({ min: 1, max: 12 }),
      async (random, retriesSoFar) => {
        const retries = strategy({ random });
        let token = await retries.acquireInitialRetryToken('pinpoint-email');
        for (let n = 1; n <= retriesSoFar; n++) token = await retries.refreshRetryTokenForRetry(token, info('THROTTLING'));
        expect(token.getRetryDelay()).toBeGreaterThanOrEqual(ceiling(retriesSoFar) / 3);
        expect(token.getRetryDelay()).toBeLessThan(ceiling(retriesSoFar));
      }), { numRuns: 200 });
  });

  test('refuses a retry once the deadline is reached', async () => {
    const first = await strategy().acquireInitialRetryToken('pinpoint-email');

    await expect(strategy({ now: 10_000, deadline: 10_000, random: 0 }).refreshRetryTokenForRetry(first, info('THROTTLING')))
      .rejects.toThrow(/deadline/);
    await expect(strategy({ now: 20_000, deadline: 10_000, random: 0 }).refreshRetryTokenForRetry(first, info('THROTTLING')))
      .rejects.toThrow(/deadline/);
  });

  test('refuses a retry whose delay would end at or after the deadline, and allows one that ends before it', async () => {
    const first = await strategy().acquireInitialRetryToken('pinpoint-email');
    // random 0.5 and the first ceiling of 2.5 s: a delay of 1667 ms (half way from 834 ms to 2.5 s).
    const wait = delay(1, 0.5);
    expect(wait).toBe(1667);
    await expect(strategy({ now: 10_000 - wait, deadline: 10_000 }).refreshRetryTokenForRetry(first, info('THROTTLING')))
      .rejects.toThrow(/deadline/);
    const allowed = await strategy({ now: 10_000 - wait - 1, deadline: 10_000 }).refreshRetryTokenForRetry(first, info('THROTTLING'));
    expect(allowed.getRetryDelay()).toBe(wait);
  });

  test('logs each retry with the error and the delay', async () => {
    const logs = captureLogs();
    const retries = strategy({ random: 0.5 });
    const first = await retries.acquireInitialRetryToken('pinpoint-email');

    await retries.refreshRetryTokenForRetry(first, info('THROTTLING', 'TooManyRequestsException'));

    expect(logs.lines().map((line) => JSON.parse(line))).toEqual([
      { message: 'retrying', outcome: 'TooManyRequestsException', attempts: 1, delayMs: delay(1, 0.5) },
    ]);
  });
});

describe('the handler under throttling (real SDK client, fake service below its retry middleware)', () => {
  const harness = new HandlerHarness();
  const ENV_KEYS = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
  const savedEnv = Object.fromEntries(ENV_KEYS.map((name) => [name, process.env[name]]));
  /** Operations the fake service received, one entry per attempt. */
  let attempts: string[];
  /** The fake service's answer to each attempt: an error to throw, or undefined for success. */
  let failNext: (attempt: number) => Error | undefined;

  beforeAll(async () => {
    // The client signs each attempt, so it needs a region and (fake) credentials; nothing leaves the process.
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-test-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    await harness.start();
  });
  afterAll(async () => {
    for (const name of ENV_KEYS) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await harness.stop();
  });

  beforeEach(() => {
    attempts = [];
    jest.spyOn(api, 'createApi').mockImplementation((backend, deadline) => {
      const client = api.instrumentedClient(backend, deadline) as PinpointEmailClient;
      client.middlewareStack.add((_next, context) => async () => {
        attempts.push(context.commandName ?? 'unknown');
        const error = failNext(attempts.length);
        if (error) throw error;
        return { response: {}, output: { $metadata: {} } } as never;
      }, { step: 'deserialize', name: 'fakePinpointEmailService' });
      return emailApiOver(backend, client);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const throttled = () => new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } });
  const event = () => createEvent({ SchemaVersion: SCHEMA_VERSION, ConfigurationSetName: 'Demo-Throttled' });

  test('TooManyRequestsException three times, then success: the create succeeds after four attempts', async () => {
    const logs = captureLogs();
    jest.spyOn(Math, 'random').mockReturnValue(0); // the shortest waits (a third of each ceiling): the delays are tested above
    failNext = (attempt) => (attempt <= 3 ? throttled() : undefined);

    const { body } = await harness.run(event());

    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'Demo-Throttled' });
    expect(attempts).toEqual(Array(4).fill('CreateConfigurationSetCommand'));
    const retried = logs.lines().map((line) => JSON.parse(line)).filter((entry) => entry.message === 'retrying');
    expect(retried).toEqual([1, 2, 3].map((n) => ({ message: 'retrying', outcome: 'TooManyRequestsException', attempts: n, delayMs: delay(n, 0) })));
  });

  test('throttled until the retry deadline: FAILED, saying it was throttled and how many attempts were made', async () => {
    captureLogs();
    jest.spyOn(Math, 'random').mockReturnValue(0.2); // delays of 1167 ms, then 1400 ms
    failNext = () => throttled();

    // Retries stop 30 s before the Lambda deadline: here about 1.5 s from now.
    const { body } = await harness.run(event(), fakeContext({ remainingMs: 31_500 }));

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('Configuration set "Demo-Throttled": CreateConfigurationSet failed: TooManyRequestsException: Too many requests');
    expect(body.Reason).toContain(`gave up after ${attempts.length} attempts`);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(body.Reason).not.toMatch(/\n\s{4}at /);
  });

  test('a client error is not retried: one attempt, and the API message with the operation', async () => {
    captureLogs();
    failNext = () => new BadRequestException({ message: 'Invalid domain', $metadata: { httpStatusCode: 400 } });

    const { body } = await harness.run(event());

    expect(attempts).toEqual(['CreateConfigurationSetCommand']);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toBe('Configuration set "Demo-Throttled": CreateConfigurationSet failed: BadRequestException: Invalid domain');
  });
});
