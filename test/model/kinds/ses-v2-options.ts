/**
 * The options that only the SES API v2 has (docs/decisions.md, "Options of the SES API v2"), for the kinds that have
 * them: their props (drawn on every version, removed from a version on Pinpoint Email, where synth refuses them), how
 * a version declares them, what the service holds for them (the API's defaults filled in), and the handler's Put
 * calls that carry them, which the model follows to know when a deploy changes them (test/model/ses-v2.ts).
 *
 * Observed values: a member the service does not hold is the API's default when the API documents one (`OPTIONAL`,
 * `STANDARD`, Easy DKIM with 2048-bit keys), else `null` ("unset": the account's settings, or the API's own limit).
 */
import { Duration } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { nameOf } from './imports';
import type { Lookup } from './kind';
import { ConfigurationSet, DkimIdentity, EasyDkimSigningKeyLength, HttpsPolicy, SuppressionReasons } from '../../../src';
import type { ConfigurationSetRecord, DedicatedIpPoolRecord, EmailIdentityRecord } from '../../support/local-service';

/** The SES-v2-only options of a kind, and the handler's Put calls that carry them. */
export interface SesV2Options<P = any> {
  /** The props that set them: a version on Pinpoint Email never has them. */
  readonly props: readonly string[];
  readonly groups: readonly SesV2Group<P>[];
  /**
   * The rollback of a replacement that failed before it made anything compares the live resource with the old props
   * (an email identity): it then makes no SES v2 call. Otherwise it compares the attempted props with the old ones.
   */
  readonly failedReplacementRollbackReadsLive?: boolean;
  /**
   * The props on Pinpoint Email when removing `props` is not enough: a value of a prop that only SES v2 has (an
   * EventBridge destination, SES-v2-only event types) made into one that Pinpoint Email has. Deterministic.
   */
  onPinpointEmail?<Q extends P>(props: Q): Q;
}

/** One Put of the handler that carries SES-v2-only options (with others, for a Put that both APIs have). */
export interface SesV2Group<P = any> {
  readonly operation: string;
  /** The observed options that only SES v2 has, among those this Put sets. */
  readonly options: readonly string[];
  /** Pinpoint Email has this Put too: there it cannot send these members, and the service then resets them. */
  readonly onPinpointEmail: boolean;
  /** Whether the handler's update calls the Put between these props (compared with the API's defaults, as it does). */
  changed(from: P, to: P, fromLookup: Lookup, toLookup: Lookup): boolean;
  /** The API refuses to go from the live value to this one (a MANAGED pool made STANDARD). */
  refuses?(live: unknown, wanted: unknown): boolean;
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 });
/** `o` without its undefined members, so that a version prints, compares and caches the same whatever drew it. */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---- ConfigurationSet ----

export type SuppressionChoice = keyof typeof SuppressionReasons | 'none';

export interface SetSesV2Props {
  /** With `redirect` only (synth refuses it without). */
  readonly https?: keyof typeof HttpsPolicy;
  /** Seconds, 300 to 50,400. */
  readonly maxDelivery?: number;
  /** A `SuppressionReasons` member, or `none`: `disableSuppressionList: true`. */
  readonly suppression?: SuppressionChoice;
  readonly vdm?: { readonly engagement?: boolean; readonly shared?: boolean };
}

const SUPPRESSED: Record<SuppressionChoice, string[]> = {
  BOUNCES_AND_COMPLAINTS: ['BOUNCE', 'COMPLAINT'], BOUNCES_ONLY: ['BOUNCE'], COMPLAINTS_ONLY: ['COMPLAINT'], none: [],
};
const feature = (on: boolean | undefined) => (on === undefined ? null : on ? 'ENABLED' : 'DISABLED');

const setSesV2Arb: fc.Arbitrary<SetSesV2Props> = fc.record({
  https: maybe(fc.constantFrom('REQUIRE' as const, 'REQUIRE_OPEN_ONLY' as const, 'OPTIONAL' as const)),
  maxDelivery: maybe(fc.oneof(fc.constantFrom(300, 50_400), fc.integer({ min: 301, max: 50_399 }))),
  suppression: maybe(fc.constantFrom<SuppressionChoice>('BOUNCES_AND_COMPLAINTS', 'BOUNCES_ONLY', 'COMPLAINTS_ONLY', 'none')),
  vdm: maybe(fc.record({ engagement: maybe(fc.boolean()), shared: maybe(fc.boolean()) }, { requiredKeys: [] }).map(defined)),
}, { requiredKeys: [] });

/** The kind's props with SES v2's options drawn beside them (the HTTPS policy only with a redirect domain). */
export function withSetSesV2<P extends { redirect?: string }>(props: fc.Arbitrary<P>): fc.Arbitrary<P & SetSesV2Props> {
  return fc.tuple(props, setSesV2Arb).map(([p, v]) => defined({ ...p, ...v, https: p.redirect ? v.https : undefined }));
}

export const setSesV2Construct = (p: SetSesV2Props) => ({
  customTrackingHttpsPolicy: p.https && HttpsPolicy[p.https],
  maxDeliveryDuration: p.maxDelivery === undefined ? undefined : Duration.seconds(p.maxDelivery),
  suppressionReasons: p.suppression && p.suppression !== 'none' ? SuppressionReasons[p.suppression] : undefined,
  disableSuppressionList: p.suppression === 'none' ? true : undefined,
  vdmOptions: p.vdm && { engagementMetrics: p.vdm.engagement, optimizedSharedDelivery: p.vdm.shared },
});

export const setSesV2Expected = (p: SetSesV2Props) => ({
  https: p.https ?? 'OPTIONAL',
  maxDelivery: p.maxDelivery ?? null,
  suppression: p.suppression === undefined ? null : SUPPRESSED[p.suppression],
  vdm: { engagement: feature(p.vdm?.engagement), shared: feature(p.vdm?.shared) },
});

export const setSesV2Observed = (r: ConfigurationSetRecord) => ({
  https: r.TrackingOptions?.HttpsPolicy ?? 'OPTIONAL',
  maxDelivery: r.DeliveryOptions.MaxDeliverySeconds ?? null,
  suppression: r.SuppressionOptions ? [...r.SuppressionOptions.SuppressedReasons ?? []].sort() : null,
  vdm: {
    engagement: r.VdmOptions?.DashboardOptions?.EngagementMetrics ?? null,
    shared: r.VdmOptions?.GuardianOptions?.OptimizedSharedDelivery ?? null,
  },
});

export const SET_SES_V2: SesV2Options<{ tls?: string; pool?: string; redirect?: string } & SetSesV2Props> = {
  props: ['https', 'maxDelivery', 'suppression', 'vdm'],
  groups: [
    {
      operation: 'PutConfigurationSetDeliveryOptions',
      options: ['maxDelivery'],
      onPinpointEmail: true,
      changed: (a, b, la, lb) => (a.tls ?? 'OPTIONAL') !== (b.tls ?? 'OPTIONAL') || nameOf(a.pool, la) !== nameOf(b.pool, lb) || a.maxDelivery !== b.maxDelivery,
    },
    {
      operation: 'PutConfigurationSetTrackingOptions',
      options: ['https'],
      onPinpointEmail: true,
      changed: (a, b) => a.redirect !== b.redirect || (a.https ?? 'OPTIONAL') !== (b.https ?? 'OPTIONAL'),
    },
    {
      operation: 'PutConfigurationSetSuppressionOptions',
      options: ['suppression'],
      onPinpointEmail: false,
      changed: (a, b) => JSON.stringify(a.suppression && SUPPRESSED[a.suppression]) !== JSON.stringify(b.suppression && SUPPRESSED[b.suppression]),
    },
    {
      operation: 'PutConfigurationSetVdmOptions',
      options: ['vdm'],
      onPinpointEmail: false,
      changed: (a, b) => a.vdm?.engagement !== b.vdm?.engagement || a.vdm?.shared !== b.vdm?.shared,
    },
  ],
};

// ---- DedicatedIpPool ----

export interface PoolSesV2Props {
  readonly scaling?: 'STANDARD' | 'MANAGED';
}

export function withPoolSesV2<P>(props: fc.Arbitrary<P>): fc.Arbitrary<P & PoolSesV2Props> {
  return fc.tuple(props, maybe(fc.constantFrom('STANDARD' as const, 'MANAGED' as const))).map(([p, scaling]) => defined({ ...p, scaling }));
}

export const poolSesV2Expected = (p: PoolSesV2Props) => ({ scaling: p.scaling ?? 'STANDARD' });
export const poolSesV2Observed = (r: DedicatedIpPoolRecord) => ({ scaling: r.scalingMode ?? 'STANDARD' });

export const POOL_SES_V2: SesV2Options<PoolSesV2Props> = {
  props: ['scaling'],
  groups: [{
    operation: 'PutDedicatedIpPoolScalingAttributes',
    options: ['scaling'],
    onPinpointEmail: false,
    changed: (a, b) => (a.scaling ?? 'STANDARD') !== (b.scaling ?? 'STANDARD'),
    refuses: (live, wanted) => live === 'MANAGED' && wanted === 'STANDARD',
  }],
};

// ---- EmailIdentity ----

/** The secrets that hold BYODKIM keys (test/model/byodkim.ts puts them in the local Secrets Manager). */
export const BYODKIM_SECRETS = ['dkim-key-a', 'dkim-key-b'] as const;

/** Each secret holds two versions (test/model/byodkim.ts): `<secret>-v1`, now `AWSPREVIOUS`, and `<secret>-v2`, `AWSCURRENT`. */
export const BYODKIM_VERSIONS = ['v1', 'v2'] as const;
export type ByoDkimVersion = typeof BYODKIM_VERSIONS[number];

/** How the oracle names the key of a secret's version: the current one by the secret's name alone. */
export const keyLabel = (secret: string, version: ByoDkimVersion): string => (version === 'v2' ? secret : `${secret}@${version}`);

/** Which version of its secret a BYODKIM key is read from: by staging label or by id; unset, `AWSCURRENT`. */
export type KeyVersion = { readonly stage: 'AWSCURRENT' | 'AWSPREVIOUS' } | { readonly id: ByoDkimVersion };

export type Signing =
  /** `DkimIdentity.easyDkim(length)`; no length: SES's default. */
  | { readonly keyLength?: keyof typeof EasyDkimSigningKeyLength }
  | { readonly selector: string; readonly secret: typeof BYODKIM_SECRETS[number]; readonly version?: KeyVersion };

const versionOf = (v: KeyVersion | undefined): ByoDkimVersion => {
  if (v && 'id' in v) return v.id;
  return v?.stage === 'AWSPREVIOUS' ? 'v1' : 'v2';
};

export interface IdentitySesV2Props {
  /** A configuration set of the same version, by construct id. */
  readonly set?: string;
  /** Domains only. */
  readonly signing?: Signing;
}

const signingArb: fc.Arbitrary<Signing> = fc.oneof(
  fc.record({ keyLength: maybe(fc.constantFrom('RSA_1024_BIT' as const, 'RSA_2048_BIT' as const)) }, { requiredKeys: [] }).map(defined),
  fc.record({
    selector: fc.constantFrom('s1', 'mail-2026', `k${'9'.repeat(61)}z`),
    secret: fc.constantFrom(...BYODKIM_SECRETS),
    version: maybe(fc.oneof(
      fc.record({ stage: fc.constantFrom('AWSCURRENT' as const, 'AWSPREVIOUS' as const) }),
      fc.record({ id: fc.constantFrom(...BYODKIM_VERSIONS) }),
    )),
  }, { requiredKeys: ['selector', 'secret'] }),
);

export function withIdentitySesV2<P extends { name: string }>(props: fc.Arbitrary<P>): fc.Arbitrary<P & IdentitySesV2Props> {
  return fc.tuple(props, maybe(fc.constantFrom('Set0', 'Set1')), maybe(signingArb))
    .map(([p, set, signing]) => defined({ ...p, set, signing: p.name.includes('@') ? undefined : signing }));
}

export function identitySesV2Construct(scope: Construct, id: string, p: IdentitySesV2Props, lookup: Lookup) {
  const s = p.signing;
  let dkimIdentity: DkimIdentity | undefined;
  if (s && 'selector' in s) {
    const privateKey = secretsmanager.Secret.fromSecretNameV2(scope, `${id}Key`, s.secret);
    const v = s.version;
    dkimIdentity = DkimIdentity.byoDkim({
      privateKey,
      selector: s.selector,
      privateKeyVersionStage: v && 'stage' in v ? v.stage : undefined,
      privateKeyVersionId: v && 'id' in v ? `${s.secret}-${v.id}` : undefined,
    });
  } else if (s) {
    dkimIdentity = DkimIdentity.easyDkim(s.keyLength && EasyDkimSigningKeyLength[s.keyLength]);
  }
  return { configurationSet: p.set ? lookup(p.set)?.construct as ConfigurationSet | undefined : undefined, dkimIdentity };
}

const setName = (p: IdentitySesV2Props, lookup: Lookup): string | null => (p.set && lookup(p.set)?.props.name) || null;
const signingOf = (name: string, s: Signing | undefined): string | null => {
  if (name.includes('@')) return null;
  return s && 'selector' in s ? `EXTERNAL ${s.selector} ${keyLabel(s.secret, versionOf(s.version))}` : (s?.keyLength ?? 'RSA_2048_BIT');
};

/** A BYODKIM key as declared, the way of naming its version included (undefined for Easy DKIM). */
const declaredKey = (s: Signing | undefined): string | undefined => (s && 'selector' in s ? JSON.stringify([s.secret, s.version ?? null]) : undefined);

export const identitySesV2Expected = (p: { name: string } & IdentitySesV2Props, lookup: Lookup) => ({
  configurationSet: setName(p, lookup),
  signing: signingOf(p.name, p.signing),
});

/** `keyName` names a BYODKIM key by its fingerprint (test/model/byodkim.ts). */
export const identitySesV2Observed = (r: EmailIdentityRecord, keyName: (sha256: string) => string) => {
  const s = r.dkimSigning;
  return {
    configurationSet: r.configurationSetName ?? null,
    signing: r.identityType !== 'DOMAIN' ? null
      : s?.origin === 'EXTERNAL' ? `EXTERNAL ${s.selector} ${keyName(s.privateKeySha256)}` : (s?.nextSigningKeyLength ?? 'RSA_2048_BIT'),
  };
};

export const IDENTITY_SES_V2: SesV2Options<{ name: string } & IdentitySesV2Props> = {
  props: ['set', 'signing'],
  failedReplacementRollbackReadsLive: true,
  groups: [
    {
      operation: 'PutEmailIdentityDkimSigningAttributes',
      options: ['signing'],
      onPinpointEmail: false,
      // (the handler compares what is declared: another way to name the same version of the key is a change too)
      changed: (a, b) => signingOf(b.name, a.signing) !== signingOf(b.name, b.signing) || declaredKey(a.signing) !== declaredKey(b.signing),
    },
    {
      operation: 'PutEmailIdentityConfigurationSetAttributes',
      options: ['configurationSet'],
      onPinpointEmail: false,
      changed: (a, b, la, lb) => setName(a, la) !== setName(b, lb),
    },
  ],
};
