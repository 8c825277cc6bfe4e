/**
 * DedicatedIpPool through CloudFormation's lifecycle (the lifecycle driver running the built handler) against the local
 * Pinpoint Email service: after each step, the service's state and the exact API calls it recorded.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, ignoringOwnerRequests, lifecycleHarness, snapshot, tagList } from './harness';
import { ConfigurationSet, DedicatedIpPool, DedicatedIpPoolProps } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  const NAME = 'transactional';
  const ARN = `arn:aws:ses:us-east-1:123456789012:dedicated-ip-pool/${NAME}`;

  function poolStack(props: DedicatedIpPoolProps) {
    return (stack: Stack) => {
      new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: NAME, ...props });
    };
  }

  describe('create, update, replace, roll back, delete', () => {
    test('create sends the tags in one CreateDedicatedIpPool', async () => {
      const result = await h.deployApp(poolStack({ tags: { purpose: 'transactional', team: 'payments' } }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['CreateDedicatedIpPool', { PoolName: NAME, Tags: tagList({ purpose: 'transactional', team: 'payments', ...h.ownerTag('Pool') }) }],
      ]);
      expect(h.state().dedicatedIpPools).toEqual(new Map([[NAME, { name: NAME, tags: { purpose: 'transactional', team: 'payments', ...h.ownerTag('Pool') } }]]));
      expect(result.resources.get(result.events[0].logicalId)).toMatchObject({ physicalId: NAME, data: { PoolName: NAME, Arn: ARN } });
    });

    test('an update of tags only sends one UntagResource and one TagResource, without reading the live tags', async () => {
      await h.deployApp(poolStack({ tags: { purpose: 'transactional', team: 'payments' } }));

      const result = await h.deployApp(poolStack({ tags: { team: 'billing', tier: 'critical' } }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['UntagResource', { ResourceArn: ARN, TagKeys: ['purpose'] }],
        ['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'billing' }, { Key: 'tier', Value: 'critical' }] }],
      ]);
      expect(h.state().dedicatedIpPools.get(NAME)!.tags).toEqual({ team: 'billing', tier: 'critical', ...h.ownerTag('Pool') });
    });

    test('a tag added by someone else survives a tag update', async () => {
      await h.deployApp(poolStack({ tags: { team: 'payments' } }));
      h.state().dedicatedIpPools.get(NAME)!.tags.owner = 'ops';

      await h.deployApp(poolStack({ tags: {} }));

      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([['UntagResource', { ResourceArn: ARN, TagKeys: ['team'] }]]);
      expect(h.state().dedicatedIpPools.get(NAME)!.tags).toEqual({ owner: 'ops', ...h.ownerTag('Pool') });
    });

    test('a rename is a replacement: the new pool is created, then the old one deleted in cleanup', async () => {
      await h.deployApp(poolStack({ dedicatedIpPoolName: 'pool-v1', tags: { team: 'payments' } }));

      const result = await h.deployApp(poolStack({ dedicatedIpPoolName: 'pool-v2', tags: { team: 'payments' } }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.events.map((e) => [e.phase, e.requestType, e.physicalId])).toEqual([
        ['UPDATE_IN_PROGRESS', 'Update', 'pool-v2'],
        ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Delete', 'pool-v1'],
      ]);
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['CreateDedicatedIpPool', { PoolName: 'pool-v2', Tags: tagList({ team: 'payments', ...h.ownerTag('Pool') }) }],
        ['ListTagsForResource', { ResourceArn: 'arn:aws:ses:us-east-1:123456789012:dedicated-ip-pool/pool-v1' }],
        ['DeleteDedicatedIpPool', { PoolName: 'pool-v1' }],
      ]);
      expect(h.state().dedicatedIpPools).toEqual(new Map([['pool-v2', { name: 'pool-v2', tags: { team: 'payments', ...h.ownerTag('Pool') } }]]));
    });

    test('renaming a pool that a configuration set uses moves the set to the new pool before the old pool is deleted', async () => {
      const build = (poolName: string) => (stack: Stack) => {
        const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: poolName });
        new ConfigurationSet(stack, 'Set', { configurationSetName: 'orders', dedicatedIpPool: pool });
      };
      await h.deployApp(build('pool-v1'));

      const result = await h.deployApp(build('pool-v2'));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['CreateDedicatedIpPool', { PoolName: 'pool-v2', Tags: tagList(h.ownerTag('Pool')) }],
        ['PutConfigurationSetDeliveryOptions', { ConfigurationSetName: 'orders', TlsPolicy: 'OPTIONAL', SendingPoolName: 'pool-v2' }],
        ['ListTagsForResource', { ResourceArn: 'arn:aws:ses:us-east-1:123456789012:dedicated-ip-pool/pool-v1' }],
        ['DeleteDedicatedIpPool', { PoolName: 'pool-v1' }],
      ]);
      expect([...h.state().dedicatedIpPools.keys()]).toEqual(['pool-v2']);
      expect(h.state().configurationSets.get('orders')!.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL', SendingPoolName: 'pool-v2' });
    });

    test('a failed TagResource rolls the update back to the previous tags', async () => {
      await h.deployApp(poolStack({ tags: { keep: '1', drop: '2' } }));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

      const result = await h.deployApp(poolStack({ tags: { keep: '1', add: '3' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe(`Dedicated IP pool "${NAME}": TagResource failed: BadRequestException: Injected: tag rejected.`);
      expect(h.service.calls.map((c) => [c.operation, c.status, c.input])).toEqual([
        ['UntagResource', 200, { ResourceArn: ARN, TagKeys: ['drop'] }],
        ['TagResource', 400, { ResourceArn: ARN, Tags: [{ Key: 'add', Value: '3' }] }],
        // the rollback, without a read: 'add' never got on (UntagResource ignores it), 'drop' comes back
        ['UntagResource', 200, { ResourceArn: ARN, TagKeys: ['add'] }],
        ['TagResource', 200, { ResourceArn: ARN, Tags: [{ Key: 'drop', Value: '2' }] }],
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a rename rolled back because another resource failed restores the old pool and deletes the new one', async () => {
      const build = (poolName: string, team: string) => (stack: Stack) => {
        const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: poolName, tags: { team: 'payments' } });
        new DedicatedIpPool(stack, 'Later', { dedicatedIpPoolName: 'later', tags: { team } }).node.addDependency(pool);
      };
      await h.deployApp(build('pool-v1', 'a'));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');

      const result = await h.deployApp(build('pool-v2', 'b'));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(h.callsOf('CreateDedicatedIpPool').map((c) => [c.input.PoolName, c.status])).toEqual([['pool-v2', 200], ['pool-v1', 400]]);
      expect(h.callsOf('DeleteDedicatedIpPool').map((c) => c.input.PoolName)).toEqual(['pool-v2']);
      expect(ignoringOwnerRequests(snapshot(h.state()))).toEqual(ignoringOwnerRequests(before));
    });

    test('delete removes the pool', async () => {
      await h.deployApp(poolStack({ tags: { team: 'payments' } }));

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([['ListTagsForResource', { ResourceArn: ARN }], ['DeleteDedicatedIpPool', { PoolName: NAME }]]);
      expect(h.state().dedicatedIpPools.size).toBe(0);
    });
  });

  describe('safety', () => {
    test('a pool that existed before the stack is neither adopted nor deleted when the create rolls back', async () => {
      h.state().addDedicatedIpPool(NAME, { owner: 'other-team' });
      h.state().addDedicatedIp('192.0.2.10', NAME);
      const before = snapshot(h.state());
      const ipsBefore = structuredClone(h.state().dedicatedIps);

      const result = await h.deployApp(poolStack({ tags: { team: 'payments' } }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain(`Dedicated IP pool "${NAME}": already exists and is not managed by this stack`);
      expect(result.failure!.reason).toContain(`DedicatedIpPool.fromDedicatedIpPoolName(this, 'Imported', '${NAME}')`);
      expect(result.events.map((e) => [e.phase, e.requestType, e.status])).toEqual([
        ['CREATE_IN_PROGRESS', 'Create', 'FAILED'],
        ['ROLLBACK_IN_PROGRESS', 'Delete', 'SUCCESS'],
      ]);
      // The create, then a read of the existing pool's tags: no ownership marker of this stack, so it is not its own.
      expect(h.service.calls.map((c) => [c.operation, c.status, c.errorName])).toEqual([
        ['CreateDedicatedIpPool', 400, 'AlreadyExistsException'],
        ['ListTagsForResource', 200, undefined],
      ]);
      expect(snapshot(h.state())).toEqual(before);
      expect(h.state().dedicatedIps).toEqual(ipsBefore);
    });
  });

  test('a hard quota (50 pools per region) fails the create at once with the API\'s message, not after retrying', async () => {
    for (let i = 0; i < 50; i++) h.state().addDedicatedIpPool(`existing-${i}`);
    const started = Date.now();
    const result = await h.deployApp(poolStack({}));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(h.callsOf('CreateDedicatedIpPool')).toHaveLength(1);
    expect(result.failure?.reason).toBe(`Dedicated IP pool "${NAME}": CreateDedicatedIpPool failed: LimitExceededException: ` +
      'An account can have at most 50 dedicated IP pools per region. (a quota of the account and region, not throttling: it was not retried)');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(h.state().dedicatedIpPools.size).toBe(50);
  }, 60_000);
});
