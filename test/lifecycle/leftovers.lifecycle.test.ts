/**
 * Leftovers: a resource that carries this stack resource's ownership tag from before, left in the account by
 * RemovalPolicy.RETAIN and a removal from the app, by RETAIN and a rename away, or by a cleanup Delete that failed. A
 * create that meets one tells it from a retry of itself (the tag names the request that created the resource): a
 * Create refuses it without changing it, a rename takes it back to exactly the declared state, and no rollback ever
 * deletes a resource that existed before the event that met it.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness } from './harness';
import { OWNER_TAG_KEY, takenFlag } from '../../lambda/ownership';
import { ConfigurationSet, ConfigurationSetProps, DedicatedIpPool, TlsPolicy } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  function setStack(props: ConfigurationSetProps | undefined, more?: (stack: Stack) => void) {
    return (stack: Stack) => {
      if (props) new ConfigurationSet(stack, 'Set', props);
      more?.(stack);
    };
  }

  /** A construct whose create fails: its name belongs to a set that someone else made. */
  function breaker(stack: Stack, after: string) {
    const set = new ConfigurationSet(stack, 'Breaker', { configurationSetName: 'someone-elses' });
    set.node.addDependency(stack.node.findChild(after));
  }

  const OLD: ConfigurationSetProps = { configurationSetName: 'set-a', tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'a' }, removalPolicy: RemovalPolicy.RETAIN };

  test('retained and removed from the app, then declared again: the create fails, saying so, and the set is left as it was', async () => {
    await h.deployApp(setStack(OLD));
    expect((await h.deployApp(setStack(undefined, (stack) => new DedicatedIpPool(stack, 'Other')))).retained).toHaveLength(1);
    const leftover = structuredClone(h.state().configurationSets.get('set-a'));

    const again = await h.deployApp(setStack({ configurationSetName: 'set-a', tags: { team: 'b' } }, (stack) => new DedicatedIpPool(stack, 'Other')));

    expect(again.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(again.failure?.reason).toContain('Configuration set "set-a": already exists and carries this stack resource\'s ownership tag from before');
    expect(again.failure?.reason).toContain("ConfigurationSet.fromConfigurationSetName(this, 'Imported', 'set-a')");
    expect(h.callsOf('DeleteConfigurationSet')).toEqual([]);
    expect(h.state().configurationSets.get('set-a')).toEqual(leftover);
  });

  test('left by a cleanup Delete that failed, then declared again: the create fails, and the set is left as it was', async () => {
    await h.deployApp(setStack({ ...OLD, removalPolicy: RemovalPolicy.DESTROY }));
    h.service.failNext('DeleteConfigurationSet', 40, 'BadRequestException', 'Injected: the delete fails');
    const removed = await h.deployApp(setStack(undefined, (stack) => new DedicatedIpPool(stack, 'Other')));
    expect(removed.cleanupFailures).toHaveLength(1);
    h.service.resetFaults();
    const leftover = structuredClone(h.state().configurationSets.get('set-a'));

    const again = await h.deployApp(setStack({ configurationSetName: 'set-a' }, (stack) => new DedicatedIpPool(stack, 'Other')));

    expect(again.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(again.failure?.reason).toContain('it was left in the account by RemovalPolicy.RETAIN, a rename, or a delete that failed');
    expect(h.state().configurationSets.get('set-a')).toEqual(leftover);
  });

  test('retained and renamed away, then renamed back with other options and tags: taken back in exactly the declared state', async () => {
    await h.deployApp(setStack(OLD));
    const renamed = await h.deployApp(setStack({ ...OLD, configurationSetName: 'set-b' }));
    expect(renamed.retained).toHaveLength(1);

    const back = await h.deployApp(setStack({ configurationSetName: 'set-a', tags: { team: 'b' } }));

    expect(back.status).toBe('UPDATE_COMPLETE');
    const set = h.state().configurationSets.get('set-a')!;
    expect(set.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL' }); // not REQUIRE, which the leftover had
    expect(set.tags).toEqual({ team: 'b', [OWNER_TAG_KEY]: expect.stringMatching(new RegExp(`${takenFlag('set-b')}$`)) });
    expect(h.state().configurationSets.has('set-b')).toBe(false); // the cleanup deleted the set it was renamed from

    // Later tag diffs start from the tags that were applied.
    const retagged = await h.deployApp(setStack({ configurationSetName: 'set-a', tags: { team: 'c' } }));
    expect(retagged.status).toBe('UPDATE_COMPLETE');
    expect(h.state().configurationSets.get('set-a')!.tags.team).toBe('c');
  });

  test('a rename onto a set that a rollback left reads the stack\'s status through CloudFormation\'s throttling: the set it moves from is deleted', async () => {
    h.state().addConfigurationSet('someone-elses');
    const setAs = (name: string, retain: boolean, fail = false) => (stack: Stack) => {
      new ConfigurationSet(stack, 'Set', { configurationSetName: name, removalPolicy: retain ? RemovalPolicy.RETAIN : undefined });
      if (fail) breaker(stack, 'Set');
    };
    await h.deployApp(setAs('set-a', true));
    // The rollback takes set-a back from set-b, which RETAIN keeps, and flags set-a as taken from set-b.
    expect((await h.deployApp(setAs('set-b', true, true))).status).toBe('UPDATE_ROLLBACK_COMPLETE');
    h.driver.failStatusReads(2);

    const moved = await h.deployApp(setAs('set-b', false));

    expect([moved.status, moved.cleanupFailures]).toEqual(['UPDATE_COMPLETE', []]);
    expect(h.state().configurationSets.has('set-a')).toBe(false); // not released: the cleanup deleted it
    expect(h.state().configurationSets.get('set-b')?.tags).toEqual(h.ownerTag('Set'));
    expect(h.driver.statusReadsFailed).toEqual(['Throttling', 'Throttling']);
    expect(h.driver.statusesRead.at(-1)).toBe('UPDATE_IN_PROGRESS'); // read on the third attempt: a forward update
  }, 30_000); // two backoffs of up to 3 s each

  test('a pool left by a failed cleanup Delete, renamed back in an update that fails: the rollback never deletes it', async () => {
    h.state().addConfigurationSet('someone-elses');
    const poolStack = (name: string, fail = false) => (stack: Stack) => {
      new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: name, tags: { team: name } });
      if (fail) breaker(stack, 'Pool');
    };
    await h.deployApp(poolStack('pool-a'));
    h.service.failNext('DeleteDedicatedIpPool', 40, 'BadRequestException', 'Injected: the delete fails');
    expect((await h.deployApp(poolStack('pool_b'))).cleanupFailures).toHaveLength(1);
    h.service.resetFaults();
    expect([...h.state().dedicatedIpPools.keys()].sort()).toEqual(['pool-a', 'pool_b']);

    const failed = await h.deployApp(poolStack('pool-a', true));

    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(h.driver.statusesRead).toEqual(['UPDATE_ROLLBACK_IN_PROGRESS']); // the rollback's take-back asked, once
    expect(failed.cleanupFailures).toEqual([]);
    expect(h.callsOf('DeleteDedicatedIpPool')).toEqual([]);
    // pool-a existed before the update, so its Delete kept it (and it is no longer the stack's); pool_b is the stack's again.
    expect(h.state().dedicatedIpPools.get('pool-a')?.tags[OWNER_TAG_KEY]).toBeUndefined();
    expect(h.state().dedicatedIpPools.get('pool_b')?.tags).toEqual({ team: 'pool_b', ...h.ownerTag('Pool') });
    expect([...failed.resources.values()].find((r) => r.type === 'Custom::PinpointEmailDedicatedIpPool')?.physicalId).toBe('pool_b');

    // The pool still in the stack is deleted on destroy; the released one stays.
    await h.destroy();
    expect([...h.state().dedicatedIpPools.keys()]).toEqual(['pool-a']);
  });
});
