/**
 * Throttling past the handler's deadline: with the service refusing every request (429 TooManyRequestsException), each
 * resource fails with a clear message saying it was throttled, well before the Lambda timeout, and no stack hangs.
 *
 * The driver's Lambda timeout is short (TIMEOUT_MS): the handler stops retrying 30 s before it, so each event retries
 * for about 4 s.
 */
import { reliabilityHarness } from './harness';
import { fourResources, IDS, seedSender } from './stacks';
import { MAX_RESPONSE_BYTES } from '../support/lifecycle-driver';

const TIMEOUT_MS = 34_000;
/** When the handler stops retrying: 30 s before the deadline (lambda/index.ts RETRY_MARGIN_MS). */
const RETRY_WINDOW_MS = TIMEOUT_MS - 30_000;

let onEvent: ((status: string) => void) | undefined;
const h = reliabilityHarness({ timeoutMs: TIMEOUT_MS, driver: { onEvent: (event) => onEvent?.(event.status) } });

const NAMES = { set: 'throttled-set', pool: 'throttled-pool', identity: 'throttled.example.com', subject: 'Throttled' };
const THROTTLED = /: (\w+) failed: TooManyRequestsException: .* \(throttled or failing transiently: gave up after (\d+) attempts to finish before the Lambda deadline; retry the deployment\)$/;

beforeEach(() => {
  onEvent = undefined;
  seedSender(h.state());
});

test('a create of all four kinds under a rate limit of 0: each fails as throttled before the timeout, the stack rolls back', async () => {
  h.service.setRateLimit(0);

  const result = await h.deployApp(fourResources(NAMES));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  const creates = result.events.filter((e) => e.requestType === 'Create');
  // The pool, the identity and the test start at once; the set waits for the pool, so it never starts.
  expect(creates.map((e) => e.logicalId.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([IDS.identity, IDS.pool, IDS.test].sort());
  for (const create of creates) {
    expect(create.status).toBe('FAILED');
    expect(create.reason).toMatch(THROTTLED);
    expect(Number(THROTTLED.exec(create.reason!)![2])).toBeGreaterThan(1);
    // It retried until the next backoff would have passed the retry deadline, and answered long before the 34 s timeout.
    expect(create.ms).toBeLessThan(RETRY_WINDOW_MS + 5_000);
    expect(create.responseBytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(create.physicalId).toMatch(/^cdk-pinpoint-email:create-failed:/);
  }
  // The rollback's Deletes of the create-failed markers need no API call, so even a fully throttled API cannot hold them.
  const deletes = result.events.filter((e) => e.phase === 'ROLLBACK_IN_PROGRESS');
  expect(deletes.map((e) => e.status)).toEqual(creates.map(() => 'SUCCESS'));
  expect(h.service.calls.filter((c) => c.status === 200)).toEqual([]);
  expect(result.ms).toBeLessThan(TIMEOUT_MS);
}, 60_000);

test('an update throttled on every call fails as throttled; once the throttling stops, the rollback completes', async () => {
  expect((await h.deployApp(fourResources(NAMES))).status).toBe('CREATE_COMPLETE');
  h.service.failNext('TagResource', 10_000, 'TooManyRequestsException');
  h.service.failNext('GetEmailIdentity', 10_000, 'TooManyRequestsException');
  // The throttling ends when the first resource has failed (as a burst of other traffic would).
  onEvent = (status) => {
    if (status === 'FAILED') h.service.resetFaults();
  };

  const result = await h.deployApp(fourResources(NAMES, { team: 'ops' }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(result.failure?.reason).toMatch(THROTTLED);
  expect(result.failure?.reason).toMatch(/: (TagResource|GetEmailIdentity) failed: /);
  const failed = result.events.find((e) => e.status === 'FAILED')!;
  expect(failed.ms).toBeLessThan(RETRY_WINDOW_MS + 5_000);
  // Nothing lost: the four resources are as before the update.
  expect(h.state().configurationSets.get(NAMES.set)?.tags).toMatchObject({ team: 'mail' });
  expect(h.state().dedicatedIpPools.get(NAMES.pool)?.tags).toMatchObject({ team: 'mail' });
  expect(h.state().emailIdentities.get(NAMES.identity)?.tags).toMatchObject({ team: 'mail' });
  expect([...h.state().deliverabilityTestReports.values()].map((r) => r.tags.team)).toEqual(['mail']);
}, 60_000);
