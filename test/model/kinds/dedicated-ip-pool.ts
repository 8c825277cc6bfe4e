import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { listedIps } from './dedicated-ip';
import { Kind, splitTags, Tags, tagsArb } from './kind';
import { POOL_SES_V2, poolSesV2Expected, poolSesV2Observed, PoolSesV2Props, withPoolSesV2 } from './ses-v2-options';
import { DedicatedIpPool, ScalingMode } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';

export interface PoolProps extends PoolSesV2Props {
  readonly name: string;
  readonly tags: Tags;
}

const NAMES = ['pool-a', 'pool_b', `pool-${'p'.repeat(59)}`];

export const dedicatedIpPool: Kind<PoolProps> = {
  name: 'DedicatedIpPool',
  constructIds: ['Pool0', 'Pool1'],
  frequency: 0.5,
  resourceType: ResourceTypes.DEDICATED_IP_POOL,
  keyedBy: 'name',
  operations: [
    'CreateDedicatedIpPool', 'TagResource', 'UntagResource', 'ListTagsForResource', 'DeleteDedicatedIpPool', 'GetDedicatedIpPool',
    'PutDedicatedIpPoolScalingAttributes',
  ],
  names: NAMES,
  props: () => withPoolSesV2(fc.record({ name: fc.constantFrom(...NAMES), tags: tagsArb })),
  key: (p) => p.name,
  build: (stack, id, p, retain, lookup) => new DedicatedIpPool(stack, id, {
    dedicatedIpPoolName: p.name,
    tags: p.tags,
    removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
    scalingMode: p.scaling && ScalingMode[p.scaling],
    dedicatedIps: listedIps(id, lookup),
  }),
  expected: (p) => ({ ...poolSesV2Expected(p) }),
  tags: (p) => p.tags,
  observe: (state) => Object.fromEntries([...state.dedicatedIpPools].map(([name, r]) => [name, {
    options: { ...poolSesV2Observed(r) }, ...splitTags(r.tags),
  }])),
  sesV2: POOL_SES_V2,
  seedForeign: (state, name, tags) => {
    state.addDedicatedIpPool(name, { ...tags });
  },
};
