/**
 * ConfigurationSet through CloudFormation's lifecycle (the lifecycle driver running the built handler) against the local
 * Pinpoint Email service: after each step, the service's state and the exact API calls it recorded.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, ignoringOwnerRequests, lifecycleHarness, onlyInput, snapshot, tagList } from './harness';
import { OWNER_TAG_KEY, takenFlag } from '../../lambda/ownership';
import { ConfigurationSet, ConfigurationSetProps, DedicatedIpPool, TlsPolicy } from '../../src';
import { SCHEMA_VERSION } from '../../src/private/contract';

/** A schema version newer than this handler's. */
const FUTURE_VERSION = String(Number(SCHEMA_VERSION) + 1);

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  const NAME = 'orders';
  const ARN = `arn:aws:ses:us-east-1:123456789012:configuration-set/${NAME}`;

  /** A stack with one configuration set named NAME (unless props name another). */
  function setStack(props: ConfigurationSetProps) {
    return (stack: Stack) => {
      new ConfigurationSet(stack, 'Set', { configurationSetName: NAME, ...props });
    };
  }

  describe('create, update, replace, roll back, delete', () => {
    test('create sends the options and tags in one CreateConfigurationSet', async () => {
      const result = await h.deployApp(setStack({
        customTrackingRedirectDomain: 'links.example.com',
        tlsPolicy: TlsPolicy.REQUIRE,
        reputationMetrics: true,
        sendingEnabled: false,
        tags: { team: 'payments', env: 'prod' },
      }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.operations()).toEqual(['CreateConfigurationSet']);
      expect(h.state().configurationSets).toEqual(new Map([[NAME, {
        name: NAME,
        TrackingOptions: { CustomRedirectDomain: 'links.example.com' },
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: false },
        eventDestinations: new Map(),
        tags: { team: 'payments', env: 'prod', ...h.ownerTag('Set') },
      }]]));
      expect(result.resources.get(result.events[0].logicalId)).toMatchObject({ physicalId: NAME, data: { ConfigurationSetName: NAME, Arn: ARN } });
    });

    test('create without options leaves the API defaults', async () => {
      const result = await h.deployApp(setStack({}));

      expect(result.status).toBe('CREATE_COMPLETE');
      // The only tag is the handler's ownership marker.
      expect(onlyInput(h.service.calls, 'CreateConfigurationSet')).toEqual({ ConfigurationSetName: NAME, Tags: tagList(h.ownerTag('Set')) });
      expect(h.state().configurationSets.get(NAME)).toEqual({
        name: NAME,
        DeliveryOptions: { TlsPolicy: 'OPTIONAL' },
        ReputationOptions: { ReputationMetricsEnabled: false },
        SendingOptions: { SendingEnabled: true },
        eventDestinations: new Map(),
        tags: h.ownerTag('Set'),
      });
    });

    const TAG_UPDATES: Array<{ change: string; tags: Record<string, string>; calls: Array<[string, Record<string, unknown>]> }> = [
      {
        change: 'adding a tag',
        tags: { team: 'payments', tier: 'critical' },
        calls: [['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'tier', Value: 'critical' }] }]],
      },
      {
        change: 'removing a tag',
        tags: {},
        calls: [['UntagResource', { ResourceArn: ARN, TagKeys: ['team'] }]],
      },
      {
        change: 'changing a tag and adding another',
        tags: { team: 'billing', env: 'prod' },
        calls: [
          // the construct renders tags sorted by key
          ['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'billing' }] }],
        ],
      },
    ];
    test.each(TAG_UPDATES)('an update of tags only ($change) reconciles tags with exact calls and no Put', async ({ tags, calls }) => {
      await h.deployApp(setStack({ tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'payments' } }));
      const options = { ...structuredClone(h.state().configurationSets.get(NAME)!), tags: undefined };

      const result = await h.deployApp(setStack({ tlsPolicy: TlsPolicy.REQUIRE, tags }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.events.map((e) => [e.requestType, e.status])).toEqual([['Update', 'SUCCESS']]);
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual(calls);
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ ...tags, ...h.ownerTag('Set') });
      expect({ ...h.state().configurationSets.get(NAME)!, tags: undefined }).toEqual(options);
    });

    test('an update that removes one tag and changes another sends one UntagResource and one TagResource', async () => {
      await h.deployApp(setStack({ tags: { team: 'payments', env: 'prod' } }));

      await h.deployApp(setStack({ tags: { team: 'billing' } }));

      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['UntagResource', { ResourceArn: ARN, TagKeys: ['env'] }],
        ['TagResource', { ResourceArn: ARN, Tags: [{ Key: 'team', Value: 'billing' }] }],
      ]);
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ team: 'billing', ...h.ownerTag('Set') });
    });

    test('an update of options only sends only the changed Put calls and no tag call', async () => {
      const tags = { team: 'payments' };
      await h.deployApp(setStack({ customTrackingRedirectDomain: 'links.example.com', tlsPolicy: TlsPolicy.REQUIRE, tags }));

      const result = await h.deployApp(setStack({ tlsPolicy: TlsPolicy.REQUIRE, reputationMetrics: true, tags }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['PutConfigurationSetReputationOptions', { ConfigurationSetName: NAME, ReputationMetricsEnabled: true }],
        ['PutConfigurationSetTrackingOptions', { ConfigurationSetName: NAME }],
      ]);
      expect(h.state().configurationSets.get(NAME)).toEqual({
        name: NAME,
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
        eventDestinations: new Map(),
        tags: { ...tags, ...h.ownerTag('Set') },
      });
    });

    test('removing an option puts its default back', async () => {
      await h.deployApp(setStack({ tlsPolicy: TlsPolicy.REQUIRE, sendingEnabled: false }));

      await h.deployApp(setStack({ sendingEnabled: false }));

      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['PutConfigurationSetDeliveryOptions', { ConfigurationSetName: NAME, TlsPolicy: 'OPTIONAL' }],
      ]);
      expect(h.state().configurationSets.get(NAME)).toMatchObject({ DeliveryOptions: { TlsPolicy: 'OPTIONAL' }, SendingOptions: { SendingEnabled: false } });
    });

    test('a rename is a replacement: the new set is created, then the old one deleted in cleanup', async () => {
      const props = { tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'payments' } };
      await h.deployApp(setStack({ ...props, configurationSetName: 'orders-v1' }));

      const result = await h.deployApp(setStack({ ...props, configurationSetName: 'orders-v2' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.events.map((e) => [e.phase, e.requestType, e.oldPhysicalId, e.physicalId, e.status])).toEqual([
        ['UPDATE_IN_PROGRESS', 'Update', 'orders-v1', 'orders-v2', 'SUCCESS'],
        ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Delete', undefined, 'orders-v1', 'SUCCESS'],
      ]);
      expect(h.service.calls.map((c) => [c.operation, c.input.ConfigurationSetName])).toEqual([
        ['CreateConfigurationSet', 'orders-v2'],
        ['ListTagsForResource', undefined], // the Delete reads the old set's tags first
        ['DeleteConfigurationSet', 'orders-v1'],
      ]);
      expect([...h.state().configurationSets.keys()]).toEqual(['orders-v2']);
      expect(h.state().configurationSets.get('orders-v2')!.DeliveryOptions).toEqual({ TlsPolicy: 'REQUIRE' });
      // The same stack resource: the same ownership marker.
      expect(h.state().configurationSets.get('orders-v2')!.tags).toEqual({ team: 'payments', ...h.ownerTag('Set') });
    });

    test('a failed TagResource rolls the update back to the previous options and tags', async () => {
      await h.deployApp(setStack({ tags: { keep: '1', drop: '2' } }));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag value rejected.');

      const result = await h.deployApp(setStack({ reputationMetrics: true, tags: { keep: '1', add: '3' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure).toMatchObject({ requestType: 'Update', physicalId: NAME });
      expect(result.failure!.reason).toContain('Injected: tag value rejected.');
      expect(result.failure!.reason).toContain(`Configuration set "${NAME}"`);
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([
        // the update
        ['PutConfigurationSetReputationOptions', 200],
        ['UntagResource', 200],
        ['TagResource', 400],
        // the rollback: back to the old template (the untag of "add", never applied, is ignored by the API)
        ['PutConfigurationSetReputationOptions', 200],
        ['UntagResource', 200],
        ['TagResource', 200],
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a tags-only update applied halfway (UntagResource done, TagResource failed) rolls back to exactly the old tags, without a read', async () => {
      await h.deployApp(setStack({ tags: { keep: '1', drop: '2', change: 'old' } }));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag value rejected.');

      const result = await h.deployApp(setStack({ tags: { keep: '1', change: 'new', add: '3' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain(`Configuration set "${NAME}": TagResource failed: BadRequestException: Injected: tag value rejected.`);
      expect(h.service.calls.map((c) => [c.operation, c.status, c.input])).toEqual([
        // the update: "drop" is removed, then the write of "change" and "add" fails
        ['UntagResource', 200, { ResourceArn: ARN, TagKeys: ['drop'] }],
        ['TagResource', 400, { ResourceArn: ARN, Tags: [{ Key: 'add', Value: '3' }, { Key: 'change', Value: 'new' }] }],
        // the rollback, from the failed template's tags to the old ones: "add" was never applied (the API ignores it),
        // "change" still has its old value, which is written again
        ['UntagResource', 200, { ResourceArn: ARN, TagKeys: ['add'] }],
        ['TagResource', 200, { ResourceArn: ARN, Tags: [{ Key: 'change', Value: 'old' }, { Key: 'drop', Value: '2' }] }],
      ]);
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ keep: '1', drop: '2', change: 'old', ...h.ownerTag('Set') });
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a failed Put rolls the update back, the Put that succeeded included', async () => {
      await h.deployApp(setStack({ tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'payments' } }));
      const before = snapshot(h.state());
      h.service.failNext('PutConfigurationSetSendingOptions', 1, 'BadRequestException', 'Injected: sending cannot be paused now.');

      const result = await h.deployApp(setStack({ sendingEnabled: false, tags: { team: 'billing' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain('PutConfigurationSetSendingOptions failed: BadRequestException: Injected: sending cannot be paused now.');
      expect(h.operations()).toEqual([
        'PutConfigurationSetDeliveryOptions', 'PutConfigurationSetSendingOptions', // the update, stopped by the failure: no tag call
        // the rollback: both Puts back, then the tags from the failed template's to the old one's (rewriting the value the
        // failed update never wrote)
        'PutConfigurationSetDeliveryOptions', 'PutConfigurationSetSendingOptions', 'TagResource',
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    describe('a rename rolled back because another resource failed', () => {
      /** `Renamed` goes from orders-v1 to orders-v2; `Later` (deployed after it) fails its tag update, so the stack rolls back. */
      async function renameThenFail() {
        const build = (name: string, team: string) => (stack: Stack) => {
          const renamed = new ConfigurationSet(stack, 'Renamed', { configurationSetName: name, tags: { team: 'payments' } });
          new ConfigurationSet(stack, 'Later', { configurationSetName: 'later', tags: { team } }).node.addDependency(renamed);
        };
        await h.deployApp(build('orders-v1', 'a'));
        const before = snapshot(h.state());
        h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');
        const result = await h.deployApp(build('orders-v2', 'b'));
        return { before, result };
      }

      test('never deletes or changes the old set', async () => {
        const { before, result } = await renameThenFail();

        expect(result.failure).toMatchObject({ logicalId: expect.stringMatching(/^Later/), requestType: 'Update' });
        expect(h.callsOf('CreateConfigurationSet').map((c) => c.input.ConfigurationSetName)).toContain('orders-v2');
        expect(h.callsOf('DeleteConfigurationSet').map((c) => c.input.ConfigurationSetName)).not.toContain('orders-v1');
        expect(ignoringOwnerRequests(snapshot(h.state())).configurationSets.get('orders-v1'))
          .toEqual(ignoringOwnerRequests(before).configurationSets.get('orders-v1'));
      });

      // CloudFormation rolls the replaced resource back with an Update to the old name on the new physical id: the old set
      // exists, and carries this resource's ownership marker, so it is the stack's own again.
      test('restores the old set and deletes the new one (UPDATE_ROLLBACK_COMPLETE)', async () => {
        const { before, result } = await renameThenFail();

        expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
        expect(result.events.filter((e) => e.logicalId === h.logicalId('Renamed')).map((e) => [e.phase, e.requestType, e.physicalId, e.status])).toEqual([
          ['UPDATE_IN_PROGRESS', 'Update', 'orders-v2', 'SUCCESS'],
          ['UPDATE_ROLLBACK_IN_PROGRESS', 'Update', 'orders-v1', 'SUCCESS'],
          ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'Delete', 'orders-v2', 'SUCCESS'],
        ]);
        expect(h.callsOf('CreateConfigurationSet').map((c) => [c.input.ConfigurationSetName, c.status])).toEqual([['orders-v2', 200], ['orders-v1', 400]]);
        expect(h.callsOf('DeleteConfigurationSet').map((c) => c.input.ConfigurationSetName)).toEqual(['orders-v2']);
        // The old set is back as it was; its ownership tag now says the rollback took it back from orders-v2.
        expect(ignoringOwnerRequests(snapshot(h.state()))).toEqual(ignoringOwnerRequests(before));
        expect(h.state().configurationSets.get('orders-v1')!.tags[OWNER_TAG_KEY]).toMatch(new RegExp(`${takenFlag('orders-v2')}$`));
      });
    });

    test('delete removes the set', async () => {
      await h.deployApp(setStack({ tags: { team: 'payments' } }));

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['ListTagsForResource', { ResourceArn: ARN }], // kept only if released by the rollback of a take-back
        ['DeleteConfigurationSet', { ConfigurationSetName: NAME }],
      ]);
      expect(h.state().configurationSets.size).toBe(0);
    });

    test('a configuration set using a pool of the same stack is created after it and deleted before it', async () => {
      const build = (stack: Stack) => {
        const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'transactional' });
        new ConfigurationSet(stack, 'Set', { configurationSetName: NAME, dedicatedIpPool: pool });
      };

      const created = await h.deployApp(build);

      expect(created.status).toBe('CREATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['CreateDedicatedIpPool', { PoolName: 'transactional', Tags: tagList(h.ownerTag('Pool')) }],
        ['CreateConfigurationSet', { ConfigurationSetName: NAME, DeliveryOptions: { SendingPoolName: 'transactional' }, Tags: tagList(h.ownerTag('Set')) }],
      ]);
      expect(h.state().configurationSets.get(NAME)!.DeliveryOptions).toEqual({ TlsPolicy: 'OPTIONAL', SendingPoolName: 'transactional' });

      const deleted = await h.destroy();

      expect(deleted.status).toBe('DELETE_COMPLETE');
      expect(h.operations()).toEqual(['ListTagsForResource', 'DeleteConfigurationSet', 'ListTagsForResource', 'DeleteDedicatedIpPool']);
      expect(h.state().configurationSets.size + h.state().dedicatedIpPools.size).toBe(0);
    });
  });

  describe('safety', () => {
    test('a set that existed before the stack is neither adopted nor deleted when the create rolls back', async () => {
      h.state().addConfigurationSet('shared', { SendingOptions: { SendingEnabled: false }, tags: { owner: 'other-team' } });
      const before = snapshot(h.state());

      const result = await h.deployApp((stack) => {
        new ConfigurationSet(stack, 'Fresh', { configurationSetName: 'fresh' });
        new ConfigurationSet(stack, 'Shared', { configurationSetName: 'shared', tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'payments' } });
      });

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.requestType).toBe('Create');
      expect(result.failure!.reason).toContain('Configuration set "shared": already exists and is not managed by this stack');
      expect(result.failure!.reason).toContain("ConfigurationSet.fromConfigurationSetName(this, 'Imported', 'shared')");
      // Both creates were tried; the rollback deleted only the set this stack created.
      expect(h.callsOf('CreateConfigurationSet').map((c) => [c.input.ConfigurationSetName, c.status]).sort()).toEqual([['fresh', 200], ['shared', 400]]);
      expect(h.callsOf('DeleteConfigurationSet').map((c) => c.input.ConfigurationSetName)).toEqual(['fresh']);
      // The one other call reads the existing set's tags: no ownership marker of this stack, so it is not its own.
      expect(h.service.calls.filter((c) => !['CreateConfigurationSet', 'DeleteConfigurationSet'].includes(c.operation)).map((c) => [c.operation, c.input]))
        .toEqual([
          ['ListTagsForResource', { ResourceArn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/shared' }],
          ['ListTagsForResource', { ResourceArn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/fresh' }],
        ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a rename onto a set that exists outside the stack fails, and the rollback leaves both sets as they were', async () => {
      await h.deployApp(setStack({ configurationSetName: 'orders-v1', tags: { team: 'payments' } }));
      h.state().addConfigurationSet('shared', { tags: { owner: 'other-team' } });
      const before = snapshot(h.state());

      const result = await h.deployApp(setStack({ configurationSetName: 'shared', tags: { team: 'payments' } }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain('Configuration set "shared": already exists and is not managed by this stack');
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([['CreateConfigurationSet', 400], ['ListTagsForResource', 200]]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a tag added by someone else survives updates of tags and of options', async () => {
      await h.deployApp(setStack({ tags: { team: 'payments', env: 'prod' } }));
      h.state().configurationSets.get(NAME)!.tags.owner = 'ops';

      await h.deployApp(setStack({ tags: { team: 'billing' } }));

      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ team: 'billing', owner: 'ops', ...h.ownerTag('Set') });
      expect(onlyInput(h.service.calls, 'UntagResource')).toEqual({ ResourceArn: ARN, TagKeys: ['env'] });

      await h.deployApp(setStack({ reputationMetrics: true, tags: { team: 'billing' } }));

      expect(h.operations()).toEqual(['PutConfigurationSetReputationOptions']);
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ team: 'billing', owner: 'ops', ...h.ownerTag('Set') });

      await h.deployApp(setStack({ reputationMetrics: true }));

      expect(onlyInput(h.service.calls, 'UntagResource')).toEqual({ ResourceArn: ARN, TagKeys: ['team'] });
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ owner: 'ops', ...h.ownerTag('Set') });
    });
  });

  describe('faults', () => {
    test('20 sets created at once under a limit of 2 requests per second all succeed', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `bulk-${i + 1}`);
      h.service.setRateLimit(2);
      // About 20 s of backoff for the last of the 20 (80-90 throttled calls): a 90 s Lambda leaves the handler 60 s of retries.
      h.setTimeoutMs(90_000);

      const result = await h.deployApp((stack) => {
        names.forEach((name) => new ConfigurationSet(stack, name, { configurationSetName: name, tags: { batch: 'bulk' } }));
      });

      expect(result.failure).toBeUndefined();
      expect(result.status).toBe('CREATE_COMPLETE');
      expect([...h.state().configurationSets.keys()].sort()).toEqual([...names].sort());
      expect([...h.state().configurationSets.values()].every((cs) => cs.tags.batch === 'bulk')).toBe(true);
      const creates = h.callsOf('CreateConfigurationSet');
      expect(creates.filter((c) => c.status === 200)).toHaveLength(20);
      // The limit did bite: the handler rode out throttling.
      expect(creates.filter((c) => c.status === 429).length).toBeGreaterThan(0);
      expect(creates.every((c) => c.status === 200 || c.errorName === 'TooManyRequestsException')).toBe(true);
    }, 120_000);

    test('five ConcurrentModificationException (500) in a row are ridden out', async () => {
      h.service.failNext('CreateConfigurationSet', 5, 'ConcurrentModificationException');

      const result = await h.deployApp(setStack({ tags: { team: 'payments' } }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.callsOf('CreateConfigurationSet').map((c) => c.status)).toEqual([500, 500, 500, 500, 500, 200]);
      expect(h.state().configurationSets.get(NAME)!.tags).toEqual({ team: 'payments', ...h.ownerTag('Set') });
    }, 60_000);

    test('a BadRequestException (400) fails the create at once with the API message', async () => {
      h.service.failNext('CreateConfigurationSet', 1, 'BadRequestException', 'Injected: the tracking domain is not allowed.');

      const result = await h.deployApp(setStack({ customTrackingRedirectDomain: 'links.example.com' }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(h.callsOf('CreateConfigurationSet')).toHaveLength(1);
      expect(result.failure!.reason).toBe(
        `Configuration set "${NAME}": CreateConfigurationSet failed: BadRequestException: Injected: the tracking domain is not allowed.`);
      // The rollback's Delete of the failed create calls nothing.
      expect(h.operations()).toEqual(['CreateConfigurationSet']);
      expect(h.state().configurationSets.size).toBe(0);
    });
  });

  describe('connections', () => {
    test('the invocations of a warm handler share its connection to the API: one for five sets created one at a time', async () => {
      h.replaceDriver({ concurrency: 1 });
      const names = ['first', 'second', 'third', 'fourth', 'fifth'];

      const result = await h.deployApp((stack) => {
        names.forEach((name) => new ConfigurationSet(stack, name, { configurationSetName: name, tags: { team: 'mail' } }));
      });

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(result.events.filter((e) => e.requestType === 'Create')).toHaveLength(names.length);
      expect(h.callsOf('CreateConfigurationSet')).toHaveLength(names.length);
      expect([...new Set(h.service.calls.map((c) => c.connection))]).toHaveLength(1);
    });
  });

  describe('the rollback of an update whose properties the handler rejects (old properties are read leniently)', () => {
    /** The template of setStack(props), with the set's properties changed by `patch` (what a parameter or another version renders). */
    function patched(props: ConfigurationSetProps, patch: (properties: Record<string, unknown>) => void) {
      const template = h.synth(setStack(props));
      for (const resource of Object.values(template.Resources as Record<string, any>)) {
        if (resource.Type === 'Custom::PinpointEmailConfigurationSet') patch(resource.Properties);
      }
      return template;
    }

    test.each([
      ['a name taken from a parameter updated to ""', (p: Record<string, unknown>) => { p.ConfigurationSetName = ''; }, 'property ConfigurationSetName is required', ['TagResource']],
      ['a newer SchemaVersion (a library upgrade, then a downgrade)', (p: Record<string, unknown>) => { p.SchemaVersion = FUTURE_VERSION; p.TlsPolicy = 'REQUIRE_SOMETHING_NEW'; },
        `SchemaVersion ${FUTURE_VERSION} is newer`,
        ['PutConfigurationSetDeliveryOptions', 'TagResource']],
    ])('%s: the update fails, and its rollback completes and restores the set', async (_what, patch, reason, calls) => {
      const props: ConfigurationSetProps = { tlsPolicy: TlsPolicy.REQUIRE, tags: { team: 'a' } };
      expect((await h.deployApp(setStack(props))).status).toBe('CREATE_COMPLETE');
      const before = snapshot(h.state());

      h.service.clearCalls();
      const updated = await h.driver.deploy(patched({ ...props, tags: { team: 'b' } }, patch));

      expect(updated.failure?.reason).toContain(reason);
      expect(updated.rollbackFailure).toBeUndefined();
      expect(updated.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(snapshot(h.state())).toEqual(before);
      // What could not be read counts as changed, so it is put back (the unreadable TlsPolicy); the rest is compared.
      expect(h.operations()).toEqual(calls);
    });
  });
});
