/**
 * One entry per construct the library exports: how the generator draws its props, how a version of the app declares
 * it, and what the service must then hold. A new construct is one more entry (a file here, listed in index.ts).
 */
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import type { SesV2Options } from './ses-v2-options';
import { OWNER_TAG_KEY } from '../../../src/private/contract';
import type { DriverResult } from '../../support/lifecycle-driver';
import { AccountState } from '../../support/local-service';
import type { Decl, Step } from '../history';
import type { Limit } from '../limits';
import type { StepRequest } from '../model';
import type { World } from '../world';

export type Tags = Record<string, string>;

/** One resource of the service as the oracle compares it: options normalized (API defaults filled in), tags apart. */
export interface Observed {
  readonly options: Readonly<Record<string, unknown>>;
  /** Its tags without the handler's ownership tag. */
  readonly tags: Tags;
  /** The ownership tag's marker (its value without the request and take-back fields), if any. */
  readonly owner?: string;
}

/** Another resource of the same version, by construct id (references between resources). */
export type Lookup = (constructId: string) => { readonly props: any; readonly construct?: Construct } | undefined;

export interface Kind<P = any> {
  readonly name: string;
  /** The construct ids a version may use for it (their logical ids start with them). */
  readonly constructIds: readonly string[];
  /** Each construct id is declared in a version with this probability. */
  readonly frequency: number;
  readonly resourceType: string;
  /**
   * `name`: keyed by its name in the service; `physicalId`: by the id the handler returned; `singleton`: one per account;
   * `own`: as its own oracle says.
   */
  readonly keyedBy: 'name' | 'physicalId' | 'singleton' | 'own';
  /** Every API operation its handler may call (faults pick from them). */
  readonly operations: readonly string[];
  /** Names the generator draws from; foreign resources are seeded with them, so that some collide. */
  readonly names: readonly string[];
  /** Its options that only the SES API v2 has (kinds/ses-v2-options.ts). */
  readonly sesV2?: SesV2Options<P>;
  /** It has no tags, so no ownership marker either (an event destination, the account): the oracle expects neither. */
  readonly untagged?: boolean;
  /** What `seed` places that is someone else's: foreign resources, of any kind, by key. */
  readonly seededForeign?: ReadonlyArray<{ readonly kind: string; readonly name: string }>;
  /** Random valid props at their edges. */
  props(): fc.Arbitrary<P>;
  /** The service key of a declared resource (its name; the kind's name for a singleton; '' when keyed by physical id). */
  key(props: P): string;
  /** Declares it in a version of the app. */
  build(stack: Stack, id: string, props: P, removalPolicyRetain: boolean, lookup: Lookup): Construct;
  /** The options the service must hold once it is deployed, normalized as `observe` gives them. */
  expected(props: P, lookup: Lookup): Readonly<Record<string, unknown>>;
  /** The declared tags (what the service must hold besides foreign tags and the ownership tag). */
  tags(props: P): Tags;
  /** Every resource of this kind in the service, by key. */
  observe(state: AccountState): Record<string, Observed>;
  /** Places a resource that the stack does not own. */
  seedForeign?(state: AccountState, name: string, tags: Tags): void;
  /** Completes props from the other declarations of its version (those kept before it); undefined drops it. */
  resolve?(props: P, id: string, lookup: Lookup): P | undefined;
  /** What it lives in: it goes when that goes (an event destination, with its set). */
  parentOf?(key: string): { readonly kind: string; readonly key: string };
  /** The service key of a physical id that its handler returned (default: the physical id). */
  keyOfPhysicalId?(physicalId: string): string;
  /** Places what exists before every history (what no API creates: dedicated IPs; sets that versions import). */
  seed?(state: AccountState, foreignTags: Tags): void;
  /** What happens in the service before a deploy, besides the deploy (someone else's change, DNS answering). */
  beforeDeploy?(state: AccountState, step: Step): void;
  /**
   * A kind that the generic oracle of model.ts does not fit (no resource of its own keyed by name or physical id) has
   * its own: the generic oracle then leaves its declarations and its slice of the world to it.
   */
  oracle?(): KindOracle;
}

/** One deploy of a history, or its deletion (no step, an empty version), as a kind's own oracle sees it. */
export interface Operation {
  readonly step?: Step;
  readonly version: readonly Decl[];
  readonly before: World;
  readonly world: World;
  readonly result: DriverResult;
  readonly requests: readonly StepRequest[];
  /** Counts a limit of CloudFormation or of the API that the history met (limits.ts). */
  met(limit: Limit): void;
}

export interface KindOracle {
  /** Why deploying `version` may fail for a reason of the history itself (see Model.mayFail). */
  mayFail(version: readonly Decl[], world: World, step: Step): string | undefined;
  /** Divergences after an operation; the oracle then moves on to its outcome. */
  after(op: Operation): string[];
}

/** Tags as the service holds them, split into the user's and the ownership tag. */
export function splitTags(tags: Tags): { tags: Tags; owner?: string } {
  const { [OWNER_TAG_KEY]: value, ...rest } = tags;
  return { tags: rest, owner: value?.split(' ')[0] };
}

export const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });

// ---- tags: 0 to 49, keys and values at their limits, unicode, empty values; never `aws:` (synth rejects it) ----

const tagKey = fc.oneof(
  { arbitrary: fc.constantFrom('team', 'env', 'cost-center', 'Name'), weight: 6 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:/=+-]{1,24}$/), weight: 2 },
  fc.string({ unit: fc.constantFrom('é', '漢', 'Ω', 'ß', 'ж', '٣', ' ', '_', '=', 'x'), minLength: 1, maxLength: 12 }).map((s) => `k${s}`),
  fc.constant('k'.repeat(128)),
).filter((key) => !/^(aws:|cdk-pinpoint-email:|foreign-)/i.test(key));
const tagValue = fc.oneof(
  { arbitrary: fc.constantFrom('mail', 'ops', 'prod'), weight: 6 },
  fc.constantFrom('', 'v'.repeat(256), 'Ünïcødé 漢字'),
  fc.stringMatching(/^[A-Za-z0-9 _.:/=+-]{0,24}$/),
);
const manyTags = (n: number): Tags => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key-${i}`, `value-${i}`]));

export const tagsArb: fc.Arbitrary<Tags> = fc.oneof(
  { arbitrary: fc.dictionary(tagKey, tagValue, { maxKeys: 4, noNullPrototype: true }), weight: 12 },
  fc.constantFrom(48, 49).map(manyTags),
);
