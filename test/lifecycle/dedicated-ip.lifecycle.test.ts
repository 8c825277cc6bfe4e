/**
 * DedicatedIpPool.dedicatedIps through CloudFormation's lifecycle against the local service, with IAM enforced: which
 * pool each leased IP is in after each step, and the exact calls (one PutDedicatedIpInPool per moved IP).
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness, snapshot } from './harness';
import { ConfigurationSet, DedicatedIpPool, DedicatedIpPoolProps } from '../../src';

const IP_A = '192.0.2.10';
const IP_B = '192.0.2.11';
const IP_C = '192.0.2.12';
const DEFAULT_POOL = 'ses-default-dedicated-pool';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ leasedDedicatedIps: [IP_A, IP_B, IP_C], api });

  function poolOf(ip: string): string | undefined {
    return h.state().dedicatedIps.get(ip)?.poolName;
  }

  function pools(ips: Record<string, string>, extra: (stack: Stack) => void = () => {}) {
    return (stack: Stack) => {
      const byPool = new Map<string, string[]>();
      for (const [ip, pool] of Object.entries(ips)) byPool.set(pool, [...(byPool.get(pool) ?? []), ip]);
      for (const name of ['marketing', 'transactional']) {
        new DedicatedIpPool(stack, name, { dedicatedIpPoolName: name, dedicatedIps: byPool.get(name) } as DedicatedIpPoolProps);
      }
      extra(stack);
    };
  }

  function calls() {
    return h.service.calls.map((c) => [c.operation, c.input]);
  }

  describe('create, update, no-op, delete', () => {
    test('create reads each IP, then moves it: two calls per IP after the pool', async () => {
      const result = await h.deployApp(pools({ [IP_A]: 'marketing' }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(calls().filter(([op]) => op !== 'CreateDedicatedIpPool')).toEqual([
        ['GetDedicatedIp', { Ip: IP_A }],
        ['PutDedicatedIpInPool', { Ip: IP_A, DestinationPoolName: 'marketing' }],
      ]);
      expect(poolOf(IP_A)).toBe('marketing');
      expect(poolOf(IP_B)).toBe(DEFAULT_POOL);
      const ipEvent = result.events.find((e) => e.resourceType === 'Custom::PinpointEmailDedicatedIp')!;
      expect(ipEvent.physicalId).toBe(`dedicated-ip:${IP_A}:from:${DEFAULT_POOL}`);
    });

    test('an update that changes nothing makes no call', async () => {
      await h.deployApp(pools({ [IP_A]: 'marketing' }));

      const result = await h.deployApp(pools({ [IP_A]: 'marketing' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(calls()).toEqual([]);
    });

    test('moving an IP to another pool of the stack is one call, and it keeps where it came from', async () => {
      await h.deployApp(pools({ [IP_A]: 'marketing' }));

      const result = await h.deployApp(pools({ [IP_A]: 'transactional' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(calls()).toEqual([['PutDedicatedIpInPool', { Ip: IP_A, DestinationPoolName: 'transactional' }]]);
      expect(poolOf(IP_A)).toBe('transactional');

      await h.destroy();
      expect(poolOf(IP_A)).toBe(DEFAULT_POOL);
    });

    test('removing an IP puts it back in the pool it came from, not in the default pool', async () => {
      h.state().addDedicatedIpPool('legacy');
      h.state().dedicatedIps.get(IP_B)!.poolName = 'legacy';
      await h.deployApp(pools({ [IP_A]: 'marketing', [IP_B]: 'marketing' }));
      expect(poolOf(IP_B)).toBe('marketing');

      const result = await h.deployApp(pools({ [IP_A]: 'marketing' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(calls()).toEqual([
        ['GetDedicatedIp', { Ip: IP_B }],
        ['PutDedicatedIpInPool', { Ip: IP_B, DestinationPoolName: 'legacy' }],
      ]);
      expect(poolOf(IP_B)).toBe('legacy');
      expect(poolOf(IP_A)).toBe('marketing');
    });

    test('an IP whose first pool was deleted since goes to ses-default-dedicated-pool', async () => {
      h.state().addDedicatedIpPool('legacy');
      h.state().dedicatedIps.get(IP_B)!.poolName = 'legacy';
      await h.deployApp(pools({ [IP_B]: 'marketing' }));
      h.state().dedicatedIpPools.delete('legacy');

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      // The pools' Deletes (each reads the pool's ownership tag first) are not what this test is about.
      expect(calls().filter(([op]) => op !== 'DeleteDedicatedIpPool' && op !== 'ListTagsForResource')).toEqual([
        ['GetDedicatedIp', { Ip: IP_B }],
        ['PutDedicatedIpInPool', { Ip: IP_B, DestinationPoolName: 'legacy' }],
        ['PutDedicatedIpInPool', { Ip: IP_B, DestinationPoolName: DEFAULT_POOL }],
      ]);
      expect(poolOf(IP_B)).toBe(DEFAULT_POOL);
    });

    test('removing the last IP of a stack that keeps its pools: the IP policy outlives the IP', async () => {
      h.setTimeoutMs(32_000); // 2 s of AccessDenied retries, should the policy be gone
      await h.deployApp(pools({ [IP_A]: 'marketing' }));

      const result = await h.deployApp(pools({}));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(h.service.calls.filter((c) => c.errorName === 'AccessDeniedException')).toEqual([]);
      expect(poolOf(IP_A)).toBe(DEFAULT_POOL);
    }, 60_000);

    test('delete returns every IP, then deletes the pools', async () => {
      await h.deployApp(pools({ [IP_A]: 'marketing', [IP_C]: 'transactional' }));

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(poolOf(IP_A)).toBe(DEFAULT_POOL);
      expect(poolOf(IP_C)).toBe(DEFAULT_POOL);
      expect(h.state().dedicatedIpPools.size).toBe(0);
      // Each IP is returned before its pool is deleted.
      const ops = h.operations();
      expect(ops.lastIndexOf('PutDedicatedIpInPool')).toBeLessThan(ops.indexOf('DeleteDedicatedIpPool'));
    });

    test('a warm-up percentage is set on create and on change only', async () => {
      const build = (warmupPercentage: number) => (stack: Stack) => {
        new DedicatedIpPool(stack, 'marketing', { dedicatedIpPoolName: 'marketing' }).addDedicatedIp(IP_A, { warmupPercentage });
      };
      await h.deployApp(build(40));
      expect(h.callsOf('PutDedicatedIpWarmupAttributes').map((c) => c.input)).toEqual([{ Ip: IP_A, WarmupPercentage: 40 }]);
      expect(h.state().dedicatedIps.get(IP_A)).toMatchObject({ poolName: 'marketing', warmupPercentage: 40, warmupStatus: 'IN_PROGRESS' });

      await h.deployApp(build(40));
      expect(calls()).toEqual([]);

      await h.deployApp(build(70));
      expect(calls()).toEqual([['PutDedicatedIpWarmupAttributes', { Ip: IP_A, WarmupPercentage: 70 }]]);
    });
  });

  describe('rollback and safety', () => {
    test('a failed update rolls the moved IP back to its pool', async () => {
      await h.deployApp(pools({ [IP_A]: 'marketing' }));
      const before = snapshot(h.state());
      h.service.failNext('CreateConfigurationSet', 1, 'BadRequestException', 'Injected: rejected.');

      const result = await h.deployApp(pools({ [IP_A]: 'transactional' }, (stack) => {
        const set = new ConfigurationSet(stack, 'Set', { configurationSetName: 'later' });
        set.node.addDependency(stack.node.findChild('PinpointEmailDedicatedIps'));
      }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(h.callsOf('PutDedicatedIpInPool').map((c) => c.input.DestinationPoolName)).toEqual(['transactional', 'marketing']);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('an IP the account does not have fails the deploy with a message naming it, and changes nothing', async () => {
      const before = snapshot(h.state());

      const result = await h.deployApp(pools({ '198.51.100.7': 'marketing' }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe('Dedicated IP 198.51.100.7: the account has no dedicated IP 198.51.100.7 in us-east-1 ' +
        '(GetDedicatedIp: NotFoundException); list its dedicated IPs with GetDedicatedIps, or lease one from AWS first');
      expect(h.callsOf('PutDedicatedIpInPool')).toEqual([]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('an IP that someone moved out of the pool stays where they put it', async () => {
      h.state().addDedicatedIpPool('theirs');
      await h.deployApp(pools({ [IP_A]: 'marketing' }));
      h.state().dedicatedIps.get(IP_A)!.poolName = 'theirs';

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.callsOf('PutDedicatedIpInPool')).toEqual([]);
      expect(poolOf(IP_A)).toBe('theirs');
    });

    test('only a stack with dedicated IPs has the dedicated IP permissions, in a policy of their own', () => {
      const policies = (template: Record<string, any>) => Object.values(template.Resources as Record<string, any>)
        .filter((r) => r.Type === 'AWS::IAM::Policy').map((r) => r.Properties.PolicyName as string);
      expect(JSON.stringify(h.synth(pools({})))).not.toContain('DedicatedIp"');
      expect(policies(h.synth(pools({})))).not.toContain('PinpointEmailDedicatedIp');
      expect(policies(h.synth(pools({ [IP_A]: 'marketing' })))).toContain('PinpointEmailDedicatedIp');
    });
  });
});
