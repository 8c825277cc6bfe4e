/**
 * A stack history: foreign resources seeded before it, 2 to 10 versions of one stack (each deployed, some with a
 * fault), foreign tags put on the stack's resources between deploys, then the stack's deletion.
 */
import * as fc from 'fast-check';
import { FAULT, Fault, STATUS_THROTTLE } from './faults';
import { IMPORTED_POOL, KINDS, kindNamed, VERIFY_AFTER_MS } from './kinds';
import { apiOf, apiPlanArb, withApis } from './ses-v2';
import type { EmailApiVersion } from '../../src';

/** One resource of a version: a construct of a kind, its props, whether it is RETAIN. */
export interface Decl {
  readonly kind: string;
  readonly id: string;
  readonly retain: boolean;
  readonly props: any;
}

export interface Step {
  readonly version: readonly Decl[];
  readonly fault: Fault;
  /** Before the deploy, someone else tags the n-th resource of the stack (foreign and `aws:` keys). */
  readonly foreignTag?: number;
  /** The API of the version (the context key `cdk-pinpoint-email:api`); unset: Pinpoint Email, the default. */
  readonly api?: EmailApiVersion;
  /** DNS answers: the identities that exist are verified before the deploy, those it creates this long after; never when absent. */
  readonly verifyAfterMs?: number;
  /** Before the deploy, someone else moves the n-th dedicated IP in the stack's pools to their pool. */
  readonly foreignIpMove?: number;
  /** CloudFormation throttles the handler's first n reads of its stack's status in this deploy (faults.ts). */
  readonly statusThrottle?: number;
}

export interface ForeignSeed {
  readonly kind: string;
  readonly name: string;
}

export interface History {
  readonly foreign: readonly ForeignSeed[];
  /** The account's dashboard is enabled before the history, by someone else (with a domain of theirs). */
  readonly foreignDashboard: boolean;
  readonly steps: readonly Step[];
}

/** The tags of every foreign resource, `aws:` keys included. */
export const FOREIGN_TAGS = { 'owner': 'someone-else', 'aws:cloudformation:stack-name': 'OtherStack' };
/** What the foreign tagger adds to a stack resource between deploys. */
export const FOREIGN_EDIT = { 'foreign-cost': 'shared', 'aws:createdBy': 'console' };

/** Present with the kind's frequency; shrinks towards absent, then towards simpler props and no RETAIN. */
const declArb = (kindName: string, id: string): fc.Arbitrary<Decl | undefined> => {
  const kind = kindNamed(kindName);
  const present = fc.record({ retain: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, fc.constant(true)), props: kind.props() })
    .map(({ props, retain }): Decl => ({ kind: kindName, id, retain, props }));
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: Math.round((1 - kind.frequency) * 10) },
    { arbitrary: present, weight: Math.round(kind.frequency * 10) },
  );
};

/** A version: each construct id of each kind present or not; names unique per kind (the stack could not deploy otherwise). */
export const versionArb: fc.Arbitrary<readonly Decl[]> = fc.tuple(
  ...KINDS.flatMap((kind) => kind.constructIds.map((id) => declArb(kind.name, id))),
).map((decls) => {
  const seen = new Set<string>();
  const kept: Decl[] = [];
  // A RETAIN set that uses a pool the stack deletes is a stack that cannot be deleted, in AWS too.
  const retainable = (d: Decl) => !d.props.pool || d.props.pool === IMPORTED_POOL;
  for (const declared of decls.map((d) => (d?.retain && !retainable(d) ? { ...d, retain: false } : d))) {
    if (!declared) continue;
    const kind = kindNamed(declared.kind);
    // (props that name another declaration of the version: an event destination's set)
    const props = kind.resolve ? kind.resolve(declared.props, declared.id, (id) => kept.find((x) => x.id === id)) : declared.props;
    if (props === undefined) continue;
    const d = props === declared.props ? declared : { ...declared, props };
    const key = `${d.kind}/${kind.key(d.props)}`;
    if (kind.keyedBy === 'name' && seen.has(key)) continue;
    seen.add(key);
    kept.push(d);
  }
  return kept;
});

const stepArb: fc.Arbitrary<Step> = fc.record({
  version: versionArb,
  fault: FAULT,
  foreignTag: fc.option(fc.nat(5), { nil: undefined, freq: 4 }),
  verifyAfterMs: fc.oneof({ arbitrary: fc.constantFrom(...VERIFY_AFTER_MS), weight: 3 }, fc.constant(undefined)),
  foreignIpMove: fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, fc.nat(1)),
  statusThrottle: STATUS_THROTTLE,
}, { requiredKeys: ['version', 'fault', 'verifyAfterMs'] });

const foreignArb: fc.Arbitrary<readonly ForeignSeed[]> = fc.subarray(
  KINDS.filter((k) => k.seedForeign).flatMap((k) => k.names.map((name) => ({ kind: k.name, name }))), { maxLength: 3 },
);

export const historyArb: fc.Arbitrary<History> = fc.record({
  foreign: foreignArb,
  foreignDashboard: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 2, maxLength: 10 }),
  apis: apiPlanArb,
}).map(({ apis, ...h }) => ({ ...h, steps: withApis(h.steps, apis) }));

/** The history as a reader wants it: one line per version, its resources and the fault of its deploy. */
export function describeHistory(history: History): string {
  const lines = [
    `foreign: ${history.foreign.map((f) => `${f.kind} ${f.name}`).join(', ') || 'none'}; dashboard ${history.foreignDashboard ? 'enabled by someone else' : 'disabled'}`,
  ];
  history.steps.forEach((step, i) => {
    const before = [
      ...(step.foreignTag !== undefined ? [`foreign tags on stack resource #${step.foreignTag} first`] : []),
      ...(step.foreignIpMove !== undefined ? [`someone else moves stack IP #${step.foreignIpMove} first`] : []),
      ...(step.statusThrottle !== undefined ? [`the first ${step.statusThrottle} stack status reads throttled`] : []),
      step.verifyAfterMs !== undefined ? `DNS after ${step.verifyAfterMs} ms` : 'no DNS',
    ];
    lines.push(`v${i + 1} on ${apiOf(step)} (${before.join('; ')}), fault ${describeFault(step.fault)}:`);
    // (a kind with its own oracle has no removal policy of its own: a dedicated IP has its pool's)
    for (const d of step.version) lines.push(`  ${d.kind} ${d.id}${d.retain && kindNamed(d.kind).keyedBy !== 'own' ? ' RETAIN' : ''} ${JSON.stringify(d.props)}`);
    if (step.version.length === 0) lines.push('  (no resources)');
  });
  lines.push('then destroy');
  return lines.join('\n');
}

export function describeFault(fault: Fault): string {
  return fault.kind === 'none' ? 'none' : JSON.stringify(fault);
}
