// Fault injection of the local Pinpoint Email service: rate limit, injected errors, latency, dropped connections, stop.
import {
  ConcurrentModificationException, GetAccountCommand, ListConfigurationSetsCommand, PinpointEmailClient, PinpointEmailServiceException,
  TagResourceCommand, TooManyRequestsException,
} from '@aws-sdk/client-pinpoint-email';
import { LocalPinpointEmailService } from '../support/local-service';
import { Faults } from '../support/local-service/faults';
import { expectServiceError, localClient } from '../support/local-service/testing';

const CS_ARN = 'arn:aws:ses:us-east-1:123456789012:configuration-set/cs';

let service: LocalPinpointEmailService;
let client: PinpointEmailClient;

beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
  Object.assign(process.env, service.clientEnv());
  client = localClient();
});
afterAll(async () => {
  client.destroy();
  await service.stop();
});
beforeEach(() => {
  service.reset();
  service.account().addConfigurationSet('cs');
});

const statuses = () => service.calls.map((c) => [c.operation, c.status, c.errorName]);

test('rate limit: above N requests in a sliding second -> 429 TooManyRequestsException (maxAttempts 1), recorded', async () => {
  service.setRateLimit(2);
  await client.send(new GetAccountCommand({}));
  await client.send(new ListConfigurationSetsCommand({}));
  await expectServiceError(client.send(new GetAccountCommand({})), TooManyRequestsException, 429, 'Too Many Requests');
  expect(statuses()).toEqual([['GetAccount', 200, undefined], ['ListConfigurationSets', 200, undefined], ['GetAccount', 429, 'TooManyRequestsException']]);
  service.resetFaults();
  expect((await client.send(new GetAccountCommand({}))).$metadata.httpStatusCode).toBe(200);
});

test('rate limit window slides: a request is admitted again once the oldest admitted one is a second old', () => {
  const faults = new Faults();
  faults.setRateLimit(2);
  expect([faults.throttle(0), faults.throttle(400)]).toEqual([undefined, undefined]);
  expect(faults.throttle(999)?.errorName).toBe('TooManyRequestsException');
  expect(faults.throttle(1000)).toBeUndefined(); // the request at 0 left the window
  expect(faults.throttle(1300)?.status).toBe(429); // 400 and 1000 are in the window; throttled ones do not count
  expect(faults.throttle(1400)).toBeUndefined();
});

test('the SDK default retry rides out 2 injected ConcurrentModificationException (500) on TagResource', async () => {
  service.failNext('TagResource', 2, 'ConcurrentModificationException');
  const retrying = new PinpointEmailClient({}); // default: standard retry mode, 3 attempts
  try {
    const out = await retrying.send(new TagResourceCommand({ ResourceArn: CS_ARN, Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(out.$metadata.attempts).toBe(3);
  } finally {
    retrying.destroy();
  }
  expect(statuses()).toEqual([
    ['TagResource', 500, 'ConcurrentModificationException'], ['TagResource', 500, 'ConcurrentModificationException'], ['TagResource', 200, undefined],
  ]);
  expect(service.account().tagsOf(CS_ARN)).toEqual({ k: 'v' });
});

test('injected failures apply to the named operation only and run out; with maxAttempts 1 the first one surfaces', async () => {
  service.failNext('TagResource', 1, 'ConcurrentModificationException', 'try again');
  expect((await client.send(new GetAccountCommand({}))).$metadata.httpStatusCode).toBe(200);
  await expectServiceError(client.send(new TagResourceCommand({ ResourceArn: CS_ARN, Tags: [] })), ConcurrentModificationException, 500, 'try again');
  expect((await client.send(new TagResourceCommand({ ResourceArn: CS_ARN, Tags: [] }))).$metadata.httpStatusCode).toBe(200);
});

test('failNext accepts only errors the operation declares (or AWS common errors), with the model status', async () => {
  expect(() => service.failNext('GetAccount', 1, 'NotFoundException')).toThrow(/GetAccount declares BadRequestException, TooManyRequestsException/);
  expect(() => service.failNext('NoSuchOperation', 1, 'BadRequestException')).toThrow(/unknown operation/);
  service.failNext('GetAccount', 1, 'ServiceUnavailable', 'down');
  const e = await expectServiceError(client.send(new GetAccountCommand({})), PinpointEmailServiceException, 503, 'down');
  expect(e.name).toBe('ServiceUnavailable');
});

test('latency is added to every request', async () => {
  service.setLatency(150);
  const started = Date.now();
  await client.send(new GetAccountCommand({}));
  expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  service.resetFaults();
  const again = Date.now();
  await client.send(new GetAccountCommand({}));
  expect(Date.now() - again).toBeLessThan(145);
});

test('a dropped connection surfaces as a network error with no HTTP status, and is recorded with status 0', async () => {
  service.dropNextConnections(1, 'ListConfigurationSets');
  expect((await client.send(new GetAccountCommand({}))).$metadata.httpStatusCode).toBe(200); // another operation: not dropped
  const error = await client.send(new ListConfigurationSetsCommand({})).then(() => undefined, (e: unknown) => e);
  expect(String(error)).toMatch(/socket hang up/); // ECONNRESET (jest's realm makes the SDK wrap it in a plain Error)
  expect(error).not.toBeInstanceOf(PinpointEmailServiceException);
  expect((error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBeUndefined();
  expect(statuses()).toEqual([['GetAccount', 200, undefined], ['ListConfigurationSets', 0, 'ConnectionDropped']]);
  expect((await client.send(new ListConfigurationSetsCommand({}))).ConfigurationSets).toEqual(['cs']);
});

test('the SDK default retry rides out a dropped connection', async () => {
  service.dropNextConnections(1);
  const retrying = new PinpointEmailClient({});
  try {
    expect((await retrying.send(new GetAccountCommand({}))).$metadata.attempts).toBe(2);
  } finally {
    retrying.destroy();
  }
});

test('stop() closes the server and its open keep-alive sockets', async () => {
  const own = await LocalPinpointEmailService.start({ defaultAccountId: '210987654321' });
  const ownClient = localClient({ endpoint: own.endpoint, accountId: 'not-an-account' });
  const fresh = localClient({ endpoint: own.endpoint });
  try {
    await ownClient.send(new GetAccountCommand({}));
    expect(own.calls[0].accountId).toBe('210987654321');
    await own.stop(); // resolves although the client's keep-alive socket is still open
    // the client may first notice its dead keep-alive socket; a new connection is refused
    await expect(ownClient.send(new GetAccountCommand({}))).rejects.toThrow(/socket hang up|ECONNREFUSED/);
    await expect(fresh.send(new GetAccountCommand({}))).rejects.toThrow(/ECONNREFUSED/);
  } finally {
    ownClient.destroy();
    fresh.destroy();
  }
});
