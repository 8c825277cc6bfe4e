/**
 * Property-based tests of the four constructs' props (fast-check): random props (valid and invalid names, domains and
 * addresses, unicode, empty strings, boundary lengths, 48/49/50 tags, reserved tag keys, tokens) either
 *   - synthesize a template that the local service then accepts: it is deployed through the driver (and destroyed, with
 *     nothing left behind); cases with tokens only have to synthesize, since validation cannot read a token (a Lazy
 *     resolved at synth may still break a rule that involves another prop, such as a MAIL FROM domain that must be a
 *     subdomain of a token identity); or
 *   - fail synthesis with CDK's validation error, every entry of which names the construct path and the prop
 *     (`[R/Subject] tags: ...`): never a crash (a TypeError, a stack trace) and never a template the service rejects.
 */
import { CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { DEFAULT_TIMEOUT_MS, reliabilityHarness, STACK_NAME, synth } from './harness';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityTest, EmailIdentity, Identity, MailFromBehaviorOnMxFailure, TestContent, TlsPolicy,
} from '../../src';

const h = reliabilityHarness();

const RUNS = 60;
/**
 * A fixed seed: the checks below also count how the runs fell (deployed, rejected...), which a random seed made fail
 * now and then. Another seed explores other props: `FC_SEED=<n>` picks one, and a failure prints the seed it used.
 */
const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
/** The construct ids: errors must be reported on these paths. */
const SUBJECT = 'Subject';
const POOL = 'Pool';

// ---- strings that may be tokens ----

/** A literal, a Lazy that resolves at synth (to a value that must be valid), or a parameter's Ref (unresolvable). */
type Text = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'lazy'; readonly value: string } | { readonly kind: 'param' };

const literal = (arb: fc.Arbitrary<string>): fc.Arbitrary<Text> => arb.map((value) => ({ kind: 'literal', value }));
const token = (valid: fc.Arbitrary<string>): fc.Arbitrary<Text> => fc.oneof(
  valid.map((value): Text => ({ kind: 'lazy', value })),
  fc.constant<Text>({ kind: 'param' }),
);

/** Whether the case being built used a token (then it is synthesized, not deployed). */
let usedToken = false;

/** Builds a Text in `stack`: the literal, a Lazy.string, or Token.asString of a parameter's Ref. */
function text(stack: Stack, t: Text): string {
  if (t.kind === 'literal') return t.value;
  usedToken = true;
  if (t.kind === 'lazy') return Lazy.string({ produce: () => t.value });
  const parameter = new CfnParameter(stack, `TokenParam${stack.node.children.length}`);
  return Token.asString({ Ref: parameter.logicalId });
}

/** The value a Text has once deployed (undefined for a parameter). */
const valueOf = (t: Text | undefined): string | undefined => (t === undefined || t.kind === 'param' ? undefined : t.value);

const junk = fc.string({ unit: 'grapheme', maxLength: 70 });
/** Mostly valid values (so that many cases deploy), sometimes invalid ones, sometimes tokens. */
const mostly = (valid: fc.Arbitrary<Text>, ...others: Array<fc.Arbitrary<Text>>): fc.Arbitrary<Text> =>
  fc.oneof({ arbitrary: valid, weight: 4 * others.length }, ...others);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

// ---- tags ----

const validTagKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 _.:/=+-]{1,24}$/),
  fc.string({ unit: fc.constantFrom('é', '漢', 'Ω', 'ß', 'ж', '٣', ' ', '\u00a0', '_', '=', 'x'), minLength: 1, maxLength: 12 }),
  fc.constant('k'.repeat(128)),
).filter((key) => !/^(aws:|cdk-pinpoint-email:)/i.test(key));
const tagKey = fc.oneof(
  { arbitrary: validTagKey, weight: 30 },
  fc.constantFrom('', 'aws:owner', 'AWS:Team', 'cdk-pinpoint-email:owner', 'CDK-Pinpoint-Email:x', 'a\tb', 'line\nbreak', 'at@sign', 'k'.repeat(129), 'emoji😀'),
  junk,
);
const validTagValue = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 _.:/=+-]{0,24}$/),
  fc.constantFrom('', 'v'.repeat(256), 'Ünïcødé 漢字'),
).filter((value) => !/^aws:/i.test(value));
const tagValue: fc.Arbitrary<Text> = fc.oneof(
  { arbitrary: literal(validTagValue), weight: 30 },
  literal(fc.constantFrom('v'.repeat(257), 'aws:value', 'tab\there', '#hash')),
  literal(junk),
  token(validTagValue),
);

type TagsSpec = ReadonlyArray<readonly [string, Text]>;
const manyTags = (n: number): TagsSpec => Array.from({ length: n }, (_, i) => [`key-${i}`, { kind: 'literal', value: `value-${i}` }] as const);
const tags: fc.Arbitrary<TagsSpec | undefined> = maybe(fc.oneof(
  { arbitrary: fc.uniqueArray(fc.tuple(tagKey, tagValue), { maxLength: 4, selector: ([key]) => key }), weight: 6 },
  fc.constantFrom(48, 49, 50).map(manyTags),
  fc.tuple(fc.constantFrom(47, 48, 49), fc.tuple(tagKey, tagValue)).map(([n, extra]) => [...manyTags(n), extra]),
));

function buildTags(stack: Stack, spec: TagsSpec | undefined): Record<string, string> | undefined {
  return spec && Object.fromEntries(spec.map(([key, value]) => [key, text(stack, value)]));
}

// ---- names, domains and addresses ----

const domain = fc.domain();
const badDomain = fc.oneof(
  fc.constantFrom('', 'localhost', 'not a domain', 'a..b.com', '-a.example.com', 'a-.example.com', 'example.123', 'example.com.', 'ünï.example.com',
    `${'a'.repeat(64)}.example.com`, `${'abcdefghi.'.repeat(26)}com`),
  junk,
);
// Addresses may contain `*`, `?` and `$` (valid RFC 5322 characters): the handler's policy writes them as IAM's
// escapes (src/private/policy-arn.ts).
const address = fc.emailAddress();
const badAddress = fc.oneof(
  fc.constantFrom('', 'no-at-sign', 'a@b', 'a@example.123', 'Name <a@example.com>', 'ü@example.com', 'a@ex_ample.com', '.a@example.com',
    'a..b@example.com', `${'a'.repeat(65)}@example.com`, 'a@-b.com', 'a b@example.com'),
  junk,
);
const domainOf = (value: string): string => value.slice(value.lastIndexOf('@') + 1);

// ---- the outcome every case must have ----

/** Synthesizes; on failure, checks that the error is CDK's validation error naming a prop on each entry. */
function synthOrValidationError(build: (stack: Stack) => void, props: Record<string, readonly string[]>): Record<string, any> | undefined {
  let template: Record<string, any> | undefined;
  let error: unknown;
  try {
    template = synth(build);
  } catch (e) {
    error = e;
  }
  if (template) return template;
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect((error as Error).constructor.name).toBe('UnscopedValidationError');
  expect(message.startsWith('Validation failed with the following errors:\n  [')).toBe(true);
  const entries = message.slice(message.indexOf('\n  [') + 3).split(/\n {2}(?=\[R\/)/);
  for (const entry of entries) {
    const match = /^\[R\/(\w+)\] (\w+)/.exec(entry);
    expect(match).not.toBeNull();
    expect(props[match![1]] ?? []).toContain(match![2]);
  }
  return undefined;
}

/** How the cases of each construct ended. */
const stats: Record<string, { deployed: number; rejected: number; tokensOnly: number }> = {};

/** Deploys the template on a new stack; it must succeed, and the destroy must leave only what `seeded` had put there. */
async function deployAccepted(template: Record<string, any>): Promise<void> {
  const driver = h.newDriver({ stackName: STACK_NAME, timeoutMs: DEFAULT_TIMEOUT_MS });
  try {
    const created = await driver.deploy(template);
    expect({ status: created.status, failure: created.failure?.reason }).toEqual({ status: 'CREATE_COMPLETE', failure: undefined });
  } finally {
    const destroyed = await driver.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
  }
  const state = h.state();
  expect(state.configurationSets.size + state.dedicatedIpPools.size).toBe(0);
  expect([...state.emailIdentities.values()].filter((i) => !i.tags.seeded)).toEqual([]);
}

async function check(
  construct: string, build: (stack: Stack) => void, props: Record<string, readonly string[]>, seed: () => void = () => undefined,
): Promise<void> {
  const counts = (stats[construct] ??= { deployed: 0, rejected: 0, tokensOnly: 0 });
  usedToken = false;
  const template = synthOrValidationError(build, props);
  if (!template) {
    counts.rejected++;
    return;
  }
  if (usedToken) {
    counts.tokensOnly++;
    return;
  }
  h.service.reset();
  seed();
  await deployAccepted(template);
  counts.deployed++;
}

afterAll(() => {
  // Every outcome happened for every construct: the generators are not stuck on one side.
  expect(Object.keys(stats).sort()).toEqual(['ConfigurationSet', 'DedicatedIpPool', 'DeliverabilityTest', 'EmailIdentity']);
  for (const counts of Object.values(stats)) {
    expect(counts.deployed).toBeGreaterThanOrEqual(RUNS / 5);
    expect(counts.rejected).toBeGreaterThan(0);
    expect(counts.tokensOnly).toBeGreaterThan(0);
  }
});

// ---- the four constructs ----

const POOL_PROPS = ['dedicatedIpPoolName', 'tags'];

test('ConfigurationSet', async () => {
  const validName = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  const validPoolName = fc.stringMatching(/^[a-z0-9_-]{1,64}$/).filter((n) => !n.startsWith('ses-'));
  const props = fc.record({
    name: maybe(mostly(literal(validName), literal(fc.constantFrom('', 'a'.repeat(65), 'has space', 'ünïcode', 'dot.name')), literal(junk), token(validName))),
    redirect: maybe(mostly(literal(domain), literal(badDomain), token(domain))),
    pool: maybe(mostly(literal(validPoolName), literal(fc.constantFrom('UPPER', 'ses-shared-pool', 'p'.repeat(65))), token(validPoolName))),
    tlsPolicy: maybe(fc.constantFrom(TlsPolicy.REQUIRE, TlsPolicy.OPTIONAL)),
    reputationMetrics: maybe(fc.boolean()),
    sendingEnabled: maybe(fc.boolean()),
    tags,
  });
  await fc.assert(fc.asyncProperty(props, async (p) => {
    await check('ConfigurationSet', (stack) => {
      const pool = p.pool && new DedicatedIpPool(stack, POOL, { dedicatedIpPoolName: text(stack, p.pool) });
      new ConfigurationSet(stack, SUBJECT, {
        configurationSetName: p.name && text(stack, p.name),
        customTrackingRedirectDomain: p.redirect && text(stack, p.redirect),
        dedicatedIpPool: pool,
        tlsPolicy: p.tlsPolicy,
        reputationMetrics: p.reputationMetrics,
        sendingEnabled: p.sendingEnabled,
        tags: buildTags(stack, p.tags),
      });
    }, {
      [SUBJECT]: ['configurationSetName', 'customTrackingRedirectDomain', 'dedicatedIpPool', 'tlsPolicy', 'reputationMetrics', 'sendingEnabled', 'tags'],
      [POOL]: POOL_PROPS,
    });
  }), { numRuns: RUNS, seed: SEED });
}, 60_000);

test('DedicatedIpPool', async () => {
  const validName = fc.stringMatching(/^[a-z0-9_-]{1,64}$/).filter((n) => !['ses-default-dedicated-pool', 'ses-shared-pool'].includes(n));
  const props = fc.record({
    name: maybe(mostly(
      literal(validName),
      literal(fc.constantFrom('', 'UPPER', 'p'.repeat(64), 'p'.repeat(65), 'ses-default-dedicated-pool', 'ses-shared-pool', 'with space', 'ünï')),
      literal(junk),
      token(validName),
    )),
    tags,
  });
  await fc.assert(fc.asyncProperty(props, async (p) => {
    await check('DedicatedIpPool', (stack) => {
      new DedicatedIpPool(stack, SUBJECT, { dedicatedIpPoolName: p.name && text(stack, p.name), tags: buildTags(stack, p.tags) });
    }, { [SUBJECT]: POOL_PROPS });
  }), { numRuns: RUNS, seed: SEED });
}, 60_000);

test('EmailIdentity', async () => {
  const identity = fc.oneof(
    fc.record({ type: fc.constant('domain' as const), value: mostly(literal(domain), literal(badDomain), token(domain)) }),
    fc.record({ type: fc.constant('email' as const), value: mostly(literal(address), literal(badAddress), token(address)) }),
  );
  const props = fc.record({
    identity,
    dkimSigning: maybe(fc.boolean()),
    feedbackForwarding: maybe(fc.boolean()),
    // A subdomain of the identity's domain (valid), another domain, junk, or a token.
    mailFrom: maybe(fc.oneof(
      { arbitrary: fc.constantFrom('bounce', 'mail-from', 'a-b.c').map((label) => ({ kind: 'sub' as const, label })), weight: 6 },
      literal(domain), literal(badDomain), token(domain),
    )),
    behavior: maybe(fc.constantFrom(MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE, MailFromBehaviorOnMxFailure.REJECT_MESSAGE)),
    tags,
  });
  await fc.assert(fc.asyncProperty(props, async (p) => {
    await check('EmailIdentity', (stack) => {
      const value = text(stack, p.identity.value);
      const parent = valueOf(p.identity.value);
      const mailFrom = p.mailFrom === undefined ? undefined
        : 'label' in p.mailFrom ? `${p.mailFrom.label}.${parent === undefined ? value : domainOf(parent)}`
          : text(stack, p.mailFrom);
      new EmailIdentity(stack, SUBJECT, {
        identity: p.identity.type === 'domain' ? Identity.domain(value) : Identity.email(value),
        dkimSigning: p.dkimSigning,
        feedbackForwarding: p.feedbackForwarding,
        mailFromDomain: mailFrom,
        mailFromBehaviorOnMxFailure: p.behavior,
        tags: buildTags(stack, p.tags),
      });
    }, { [SUBJECT]: ['identity', 'dkimSigning', 'feedbackForwarding', 'mailFromDomain', 'mailFromBehaviorOnMxFailure', 'tags'] });
  }), { numRuns: RUNS, seed: SEED });
}, 60_000);

test('DeliverabilityTest', async () => {
  const ascii = fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,:;!?-_()'.split('')), minLength: 1, maxLength: 40 });
  const anyText = fc.oneof(ascii, fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '   '));
  const simple = fc.record({
    kind: fc.constant('simple' as const),
    subject: mostly(literal(ascii), literal(anyText), token(ascii)),
    text: maybe(anyText),
    html: maybe(anyText.map((t) => `<p>${t}</p>`)),
    charset: maybe(fc.constantFrom('UTF-8', 'ISO-8859-1', '')),
  });
  const raw = fc.record({
    kind: fc.constant('raw' as const),
    headers: fc.array(fc.oneof(
      { arbitrary: ascii.map((s) => `Subject: ${s}`), weight: 12 }, { arbitrary: fc.constant('From: sender@example.com'), weight: 4 },
      { arbitrary: fc.constant('X-Folded: a\r\n b'), weight: 4 }, { arbitrary: fc.constant(`X-Long: ${'h'.repeat(992)}`), weight: 2 },
      fc.constant('not a header'), fc.constant(`X-Too-Long: ${'h'.repeat(992)}`),
    ), { minLength: 1, maxLength: 3 }),
    separator: fc.oneof({ arbitrary: fc.constantFrom('\r\n\r\n', '\n\n'), weight: 8 }, fc.constantFrom('\r\r', '\r\n', '')),
    body: fc.oneof({ arbitrary: ascii, weight: 8 }, anyText, fc.constant('b'.repeat(1001))),
  });
  const props = fc.record({
    from: mostly(literal(address), literal(badAddress), token(address)),
    reportName: maybe(fc.oneof(literal(fc.string({ unit: 'grapheme', maxLength: 300 })), literal(fc.constant('')), token(ascii))),
    content: fc.oneof({ arbitrary: simple, weight: 3 }, { arbitrary: raw, weight: 3 }, fc.constant({ kind: 'token' as const })),
    tags,
  });
  await fc.assert(fc.asyncProperty(props, async (p) => {
    const sender = valueOf(p.from);
    await check('DeliverabilityTest', (stack) => {
      const c = p.content;
      const testContent = c.kind === 'simple'
        ? TestContent.simple({ subject: text(stack, c.subject), text: c.text, html: c.html, charset: c.charset })
        : c.kind === 'raw'
          ? TestContent.raw(`${c.headers.join('\r\n')}${c.separator}${c.body}`)
          : TestContent.raw(text(stack, { kind: 'lazy', value: 'Subject: lazy\r\n\r\nbody' }));
      new DeliverabilityTest(stack, SUBJECT, {
        fromEmailAddress: text(stack, p.from),
        reportName: p.reportName && text(stack, p.reportName),
        content: testContent,
        tags: buildTags(stack, p.tags),
      });
    }, { [SUBJECT]: ['fromEmailAddress', 'fromIdentity', 'fromLocalPart', 'reportName', 'content', 'tags'] }, () => {
      // What the test needs: the dashboard enabled and the sender's domain verified.
      h.state().enableDashboard();
      h.state().addEmailIdentity(domainOf(sender!), { verified: true, tags: { seeded: 'yes' } });
    });
  }), { numRuns: RUNS, seed: SEED });
}, 60_000);
