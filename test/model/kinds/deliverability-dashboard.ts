import { RemovalPolicy } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { Kind } from './kind';
import { DeliverabilityDashboard } from '../../../src';
import { ResourceTypes } from '../../../src/private/contract';

export interface DashboardProps {
  readonly domains: readonly string[];
}

export const DASHBOARD_KEY = 'dashboard';

export const deliverabilityDashboard: Kind<DashboardProps> = {
  name: 'DeliverabilityDashboard',
  constructIds: ['Dashboard'],
  frequency: 0.3,
  resourceType: ResourceTypes.DELIVERABILITY_DASHBOARD,
  keyedBy: 'singleton',
  operations: ['GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption'],
  names: [],
  props: () => fc.record({ domains: fc.subarray(['alpha.example.com', 'news.example.org']) }),
  key: () => DASHBOARD_KEY,
  build: (stack, id, p, retain) => new DeliverabilityDashboard(stack, id, {
    subscribedDomains: p.domains.length > 0 ? [...p.domains] : undefined, removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
  }),
  // The declared domains are among the subscribed ones (a dashboard found enabled keeps the others'); checked by the oracle.
  expected: (p) => ({ enabled: true, domains: [...p.domains].sort() }),
  tags: () => ({}),
  observe: (state) => ({
    [DASHBOARD_KEY]: {
      options: {
        enabled: state.dashboard.enabled,
        domains: state.dashboard.enabled ? state.dashboard.subscribedDomains.map((d) => d.Domain ?? '').sort() : [],
      },
      tags: {},
    },
  }),
};
