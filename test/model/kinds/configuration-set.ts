import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { IMPORTED_POOL, importedName, nameOf } from './imports';
import { Kind, Lookup, maybe, splitTags, Tags, tagsArb } from './kind';
import { SET_SES_V2, setSesV2Construct, setSesV2Expected, setSesV2Observed, SetSesV2Props, withSetSesV2 } from './ses-v2-options';
import { ConfigurationSet, DedicatedIpPool, IDedicatedIpPool, TlsPolicy } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';

export interface SetProps extends SetSesV2Props {
  readonly name: string;
  readonly redirect?: string;
  /** The construct id of a pool of the same version, or `ImportedPool`: someone else's pool, imported by name. */
  readonly pool?: string;
  readonly tls?: 'REQUIRE' | 'OPTIONAL';
  readonly reputation?: boolean;
  readonly sending?: boolean;
  readonly tags: Tags;
}

const NAMES = ['set-a', 'set-b', 'Set_C', `set-${'x'.repeat(60)}`];

/** The pool a set sends from: someone else's, imported, or one of its version. */
function poolOf(stack: Stack, id: string, p: SetProps, lookup: Lookup): IDedicatedIpPool | undefined {
  const imported = importedName(p.pool);
  if (imported) return DedicatedIpPool.fromDedicatedIpPoolName(stack, `${id}ImportedPool`, imported);
  return p.pool ? lookup(p.pool)?.construct as DedicatedIpPool | undefined : undefined;
}

export const configurationSet: Kind<SetProps> = {
  name: 'ConfigurationSet',
  constructIds: ['Set0', 'Set1'],
  frequency: 0.6,
  resourceType: ResourceTypes.CONFIGURATION_SET,
  keyedBy: 'name',
  operations: [
    'CreateConfigurationSet', 'PutConfigurationSetDeliveryOptions', 'PutConfigurationSetReputationOptions',
    'PutConfigurationSetSendingOptions', 'PutConfigurationSetTrackingOptions', 'TagResource', 'UntagResource',
    'ListTagsForResource', 'DeleteConfigurationSet', 'PutConfigurationSetSuppressionOptions', 'PutConfigurationSetVdmOptions',
  ],
  names: NAMES,
  props: () => withSetSesV2(fc.record({
    name: fc.constantFrom(...NAMES),
    redirect: maybe(fc.constantFrom('track.example.com', `${'t'.repeat(63)}.example.com`)),
    pool: maybe(fc.constantFrom('Pool0', 'Pool1', IMPORTED_POOL)),
    tls: maybe(fc.constantFrom('REQUIRE' as const, 'OPTIONAL' as const)),
    reputation: maybe(fc.boolean()),
    sending: maybe(fc.boolean()),
    tags: tagsArb,
  }, { requiredKeys: ['name', 'tags'] })),
  key: (p) => p.name,
  build: (stack, id, p, retain, lookup) => new ConfigurationSet(stack, id, {
    configurationSetName: p.name,
    customTrackingRedirectDomain: p.redirect,
    dedicatedIpPool: poolOf(stack, id, p, lookup),
    tlsPolicy: p.tls && TlsPolicy[p.tls],
    reputationMetrics: p.reputation,
    sendingEnabled: p.sending,
    tags: p.tags,
    removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
    ...setSesV2Construct(p),
  }),
  expected: (p, lookup) => ({
    tls: p.tls ?? 'OPTIONAL',
    pool: nameOf(p.pool, lookup) ?? null,
    reputation: p.reputation ?? false,
    sending: p.sending ?? true,
    redirect: p.redirect ?? null,
    ...setSesV2Expected(p),
  }),
  tags: (p) => p.tags,
  observe: (state) => Object.fromEntries([...state.configurationSets].map(([name, r]) => [name, {
    options: {
      tls: r.DeliveryOptions.TlsPolicy ?? 'OPTIONAL',
      pool: r.DeliveryOptions.SendingPoolName ?? null,
      reputation: r.ReputationOptions.ReputationMetricsEnabled ?? false,
      sending: r.SendingOptions.SendingEnabled ?? true,
      redirect: r.TrackingOptions?.CustomRedirectDomain ?? null,
      ...setSesV2Observed(r),
    },
    ...splitTags(r.tags),
  }])),
  sesV2: SET_SES_V2,
  seedForeign: (state, name, tags) => {
    state.addConfigurationSet(name, { DeliveryOptions: { TlsPolicy: 'REQUIRE' }, tags: { ...tags } });
  },
};
