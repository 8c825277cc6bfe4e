/**
 * Minimal histories of the divergences the fuzzer found, kept as named regression tests. `test.failing` marks one that
 * is still open (an issue-14 item that another change fixes, or a finding not fixed yet): it flips to a failure of
 * this file when the fix merges, and then becomes a `test` (and its entry in known.ts goes).
 */
import { FaultPlan } from './faults';
import { Decl, History, Step } from './history';
import { runHistory } from './run-history';
import { LocalPinpointEmailService } from '../support/local-service';

let service: LocalPinpointEmailService;
beforeAll(async () => {
  service = await LocalPinpointEmailService.start();
});
afterAll(async () => {
  await service.stop();
});

const none = { kind: 'none' as const };
const set = (id: string, props: Record<string, unknown>, retain = false): Decl => ({ kind: 'ConfigurationSet', id, retain, props: { tags: {}, ...props } });
const pool = (id: string, name: string, retain = false): Decl => ({ kind: 'DedicatedIpPool', id, retain, props: { name, tags: {} } });
const test0: Decl = { kind: 'DeliverabilityTest', id: 'Test0', retain: false, props: { from: 'sender@verified.example.com', subject: 'Hello', tags: {} } };
const history = (steps: Step[], extra: Partial<History> = {}): History => ({ foreign: [], foreignDashboard: false, steps, ...extra });

async function divergence(h: History): Promise<string | undefined> {
  const outcome = await runHistory(service, h);
  const text = outcome.divergence && [...outcome.divergence.problems, ...outcome.divergence.calls].join('\n');
  if (process.env.SHOW_DIVERGENCE) console.log(text);
  return text;
}

test('the rollback of an update that created a pool and a set replacement using it deletes the set first (driver: one cleanup, both templates)', async () => {
  const h = history([
    { version: [set('Set1', { name: 'set-b' })], fault: none },
    // The test fails (no dashboard): the rollback must delete the new set-a before the new pool it uses.
    { version: [pool('Pool0', 'pool-a'), set('Set1', { name: 'set-a', pool: 'Pool0' }), test0], fault: none },
  ]);
  expect(await divergence(h)).toBeUndefined();
}, 60_000);

// Issue 14 item 11: a set RETAIN'd and removed, then declared again with other options and tags, is taken back as it is.
test.failing('a RETAIN set removed and declared again ends in its declared state (issue 14 item 11)', async () => {
  const h = history([
    { version: [set('Set0', { name: 'set-a', tls: 'REQUIRE', tags: { team: 'a' } }, true)], fault: none },
    { version: [], fault: none },
    { version: [set('Set0', { name: 'set-a', tags: { team: 'b' } })], fault: none },
  ]);
  expect(await divergence(h)).toBeUndefined();
}, 60_000);

// Found by the fuzzer, open: CloudFormation never gets the Create's answer; its rollback's Delete carries a placeholder
// id, the handler makes no call, and the pool stays.
test.failing('a Create whose response is lost leaves nothing after the rollback (open)', async () => {
  const h = history([
    { version: [pool('Pool0', 'pool-a')], fault: { kind: 'lose-response', at: 0 } },
    { version: [], fault: none },
  ]);
  expect(await divergence(h)).toBeUndefined();
}, 60_000);

// Found by the fuzzer, open: the same for a rename (replacement) whose answer is lost: the new pool stays.
test.failing('a replacing Update whose response is lost leaves nothing after the rollback (open)', async () => {
  const h = history([
    { version: [pool('Pool0', 'pool-a')], fault: none },
    { version: [pool('Pool0', 'pool_b')], fault: { kind: 'lose-response', at: 0 } },
  ]);
  expect(await divergence(h)).toBeUndefined();
}, 60_000);

// Found by the fuzzer, open: a dashboard found enabled gets this stack's domain; the create's rollback (or a later
// delete) makes no call, and the domain stays subscribed.
test.failing('the rollback of a dashboard found enabled takes back the domains it subscribed (open)', async () => {
  const h = history([
    {
      version: [
        { kind: 'DeliverabilityDashboard', id: 'Dashboard', retain: false, props: { domains: ['alpha.example.com'] } },
        set('Set0', { name: 'set-a' }),
      ],
      fault: none,
    },
    { version: [], fault: none },
  ], { foreignDashboard: true, foreign: [{ kind: 'ConfigurationSet', name: 'set-a' }] });
  expect(await divergence(h)).toBeUndefined();
}, 60_000);

test('a fault never outlives its request', () => {
  const calls: string[] = [];
  const fake = { failNext: (op: string) => calls.push(op), resetFaults: () => calls.push('reset'), iam: { propagationMs: 0 } } as any;
  const plan = new FaultPlan({ kind: '400', at: 0, op: 0 }, fake, () => ['CreateDedicatedIpPool']);
  expect(plan.invocation('UPDATE_IN_PROGRESS', 'T', 'Create')).toBeUndefined();
  plan.after();
  expect(plan.invocation('UPDATE_ROLLBACK_IN_PROGRESS', 'T', 'Update')).toBeUndefined();
  expect(calls).toEqual(['CreateDedicatedIpPool', 'reset']);
});

// Found by the fuzzer, fixed (lambda/resources/email-identity.ts): an address identity's rename to a domain failed at
// its first call; the rollback compared the address with the domain's properties and turned DKIM signing on for it.
test('the rollback of a failed identity replacement compares with the live identity, not with the replacement', async () => {
  const identity = (name: string, extra: Record<string, unknown> = {}): Decl => ({ kind: 'EmailIdentity', id: 'Identity0', retain: false, props: { name, tags: {}, ...extra } });
  const h = history([
    { version: [identity('ops@alpha.example.com')], fault: none },
    { version: [identity('alpha.example.com', { dkim: false })], fault: { kind: '400', at: 0, op: 0 } },
  ]);
  expect(await divergence(h)).toBeUndefined();
}, 60_000);
