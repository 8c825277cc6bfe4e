/**
 * ConfigurationSetEventDestination through CloudFormation's lifecycle (the lifecycle driver running the built handler,
 * IAM enforced) against the local Pinpoint Email service: for each destination kind, create, in-place update, no-op,
 * rename, the rollback of a failed update and delete; then ownership (a foreign destination, on an imported set above
 * all, is never adopted, changed or deleted; the retry of a killed create takes its first attempt's destination on a
 * set of the stack) and the delete order.
 */
import { EventDestinationDefinition } from '@aws-sdk/client-sesv2'; // the local service holds SES v2's definitions
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BACKENDS, lifecycleHarness, snapshot } from './harness';
import {
  CloudWatchDimensionSource, ConfigurationSet, ConfigurationSetEventDestination, EmailSendingEvent, EventDestination,
  EmailApiVersion, IConfigurationSet,
} from '../../src';
import { ResourceTypes } from '../../src/private/contract';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });
  /** Through Pinpoint Email, a reused destination is also updated to exactly its definition (its Get hides SES v2's event types). */
  const madeExact = <T extends unknown[]>(call: T): T[] => (api === EmailApiVersion.PINPOINT_EMAIL ? [call] : []);

  const SET = 'orders';
  const STREAM_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/events';
  const APP_ARN = 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef';

  interface Kind {
    readonly kind: string;
    /** The destination in version 1 or 2 of the stack (version 2 changes what the destination points at). */
    readonly destination: (stack: Stack, version: 1 | 2) => EventDestination;
    /** The destination part of the definition the service holds, matched loosely (ARNs of the app's own resources). */
    readonly wire: (version: 1 | 2) => Partial<EventDestinationDefinition>;
  }

  const KINDS: Kind[] = [
    {
      kind: 'SNS topic',
      destination: (stack, version) => EventDestination.snsTopic(new sns.Topic(stack, `Topic${version}`)),
      wire: (version) => ({ SnsDestination: { TopicArn: expect.stringMatching(new RegExp(`^arn:aws:sns:us-east-1:123456789012:Topic${version}`)) } }),
    },
    {
      kind: 'Firehose stream',
      destination: (stack, version) => EventDestination.firehoseDeliveryStream(
        firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream', `${STREAM_ARN}${version}`)),
      wire: (version) => ({
        KinesisFirehoseDestination: { DeliveryStreamArn: `${STREAM_ARN}${version}`, IamRoleArn: expect.stringMatching(/^arn:aws:iam::123456789012:role\/DestinationFirehoseRole/) },
      }),
    },
    {
      kind: 'CloudWatch dimensions',
      destination: (_stack, version) => EventDestination.cloudWatchDimensions([
        { name: 'campaign', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: version === 1 ? 'none' : 'unknown' },
      ]),
      wire: (version) => ({
        CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: 'campaign', DimensionValueSource: 'MESSAGE_TAG', DefaultDimensionValue: version === 1 ? 'none' : 'unknown' }] },
      }),
    },
    {
      kind: 'Pinpoint application',
      destination: (_stack, version) => EventDestination.pinpointApplication(`${APP_ARN}${version}`),
      wire: (version) => ({ PinpointDestination: { ApplicationArn: `${APP_ARN}${version}` } }),
    },
  ];

  interface Version {
    readonly destination?: 1 | 2;
    readonly name?: string;
    readonly events?: EmailSendingEvent[];
    readonly enabled?: boolean;
  }

  /** A stack with the set `orders` and one destination `Destination` of `kind` on it. */
  function stackOf(kind: Kind, version: Version = {}) {
    return (stack: Stack) => {
      const set = new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
      new ConfigurationSetEventDestination(stack, 'Destination', {
        configurationSet: set,
        destination: kind.destination(stack, version.destination ?? 1),
        configurationSetEventDestinationName: version.name ?? 'events',
        events: version.events ?? [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
        enabled: version.enabled,
      });
    };
  }

  function destinations(setName = SET): Map<string, EventDestinationDefinition> {
    return h.state().configurationSets.get(setName)!.eventDestinations;
  }

  describe.each(KINDS)('an event destination to a $kind', (kind) => {
    test('create: one CreateConfigurationSetEventDestination with the definition', async () => {
      const result = await h.deployApp(stackOf(kind));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.operations()).toEqual(['CreateConfigurationSet', 'CreateConfigurationSetEventDestination']);
      expect(destinations()).toEqual(new Map([['events', { Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], ...kind.wire(1) }]]));
    });

    test.each<[string, Version]>([
      ['the events', { events: [EmailSendingEvent.BOUNCE] }],
      ['enabled', { enabled: false }],
      ['the destination', { destination: 2 }],
    ])('a change of %s: one UpdateConfigurationSetEventDestination, in place', async (_change, version) => {
      await h.deployApp(stackOf(kind));

      const result = await h.deployApp(stackOf(kind, version));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.operations()).toEqual(['UpdateConfigurationSetEventDestination']);
      expect(destinations()).toEqual(new Map([['events', {
        Enabled: version.enabled ?? true,
        MatchingEventTypes: version.events ?? ['BOUNCE', 'COMPLAINT'],
        ...kind.wire(version.destination ?? 1),
      }]]));
    });

    test('no change, or the same events in another order: no call', async () => {
      await h.deployApp(stackOf(kind));

      await h.deployApp(stackOf(kind));
      expect(h.operations()).toEqual([]);
      await h.deployApp(stackOf(kind, { events: [EmailSendingEvent.COMPLAINT, EmailSendingEvent.BOUNCE] }));
      expect(h.operations()).toEqual([]);
    });

    test('a rename is a replacement: the new destination is created, then the old one deleted in cleanup', async () => {
      await h.deployApp(stackOf(kind));

      const result = await h.deployApp(stackOf(kind, { name: 'events-v2' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input.EventDestinationName])).toEqual([
        ['CreateConfigurationSetEventDestination', 'events-v2'],
        ['DeleteConfigurationSetEventDestination', 'events'],
      ]);
      expect([...destinations().keys()]).toEqual(['events-v2']);
    });

    test('a failed update is rolled back to the old definition', async () => {
      await h.deployApp(stackOf(kind));
      const before = snapshot(h.state());
      h.service.failNext('UpdateConfigurationSetEventDestination', 1, 'BadRequestException', 'Injected: destination rejected.');

      const result = await h.deployApp(stackOf(kind, { destination: 2, enabled: false }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe('Event destination "events" of configuration set "orders": ' +
        'UpdateConfigurationSetEventDestination failed: BadRequestException: Injected: destination rejected.');
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([
        ['UpdateConfigurationSetEventDestination', 400],
        ['UpdateConfigurationSetEventDestination', 200], // the rollback writes the old definition again
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('delete: one DeleteConfigurationSetEventDestination, before the set', async () => {
      await h.deployApp(stackOf(kind));

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input])).toEqual([
        ['DeleteConfigurationSetEventDestination', { ConfigurationSetName: SET, EventDestinationName: 'events' }],
        // The set's Delete reads its ownership tag first (issue 14, item 11).
        ['ListTagsForResource', { ResourceArn: `arn:aws:ses:us-east-1:123456789012:configuration-set/${SET}` }],
        ['DeleteConfigurationSet', { ConfigurationSetName: SET }],
      ]);
      expect(h.state().configurationSets.size).toBe(0);
    });
  });

  const PINPOINT = KINDS[3];
  const FOREIGN: EventDestinationDefinition = { Enabled: true, MatchingEventTypes: ['SEND'], SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:theirs' } };

  /** A stack with the imported set `shared` and destinations on it (name -> id). */
  function importedStack(names: Record<string, string>) {
    return (stack: Stack) => {
      const set = ConfigurationSet.fromConfigurationSetName(stack, 'Shared', 'shared');
      for (const [id, name] of Object.entries(names)) {
        set.addEventDestination(id, { destination: EventDestination.pinpointApplication(APP_ARN), configurationSetEventDestinationName: name });
      }
    };
  }

  describe('ownership: a destination someone else made is never adopted, changed or deleted', () => {
    beforeEach(() => {
      h.state().addConfigurationSet('shared', { tags: { owner: 'other-team' } }).eventDestinations.set('theirs', structuredClone(FOREIGN));
    });

    test('a create onto a foreign destination\'s name on an imported set fails, and the rollback leaves it alone', async () => {
      const before = snapshot(h.state());
      h.setTimeoutMs(32_000);

      const result = await h.deployApp(importedStack({ Mine: 'theirs' }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe('Event destination "theirs" of configuration set "shared": already exists and is not managed by this ' +
        'stack resource, so it was neither adopted, changed nor deleted. Choose another configurationSetEventDestinationName, or remove the ' +
        'existing destination from the set first.');
      // The set's tags are read (it is not this stack's); no other read, no delete.
      expect(h.operations()).toEqual(['CreateConfigurationSetEventDestination', 'ListTagsForResource']);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a rename onto a foreign destination\'s name fails without reading the destinations, and the rollback keeps both as they were', async () => {
      await h.deployApp(importedStack({ Mine: 'mine' }));
      const before = snapshot(h.state());

      const result = await h.deployApp(importedStack({ Mine: 'theirs' }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain('Event destination "theirs" of configuration set "shared": already exists and is not managed by this stack resource');
      expect(h.operations()).toEqual(['CreateConfigurationSetEventDestination', 'ListTagsForResource']);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('destinations of this stack on an imported set come and go beside the foreign one; the set stays', async () => {
      h.setTimeoutMs(32_000); // a denial would fail in 2 s
      await h.deployApp(importedStack({ A: 'a', B: 'b' }));
      expect([...destinations('shared').keys()]).toEqual(['theirs', 'a', 'b']);

      // One of two removed: the grant on the set stays in force for the cleanup's delete.
      const removed = await h.deployApp(importedStack({ A: 'a' }));
      expect(removed.status).toBe('UPDATE_COMPLETE');
      expect(removed.cleanupFailures).toEqual([]);
      expect([...destinations('shared').keys()]).toEqual(['theirs', 'a']);

      const destroyed = await h.destroy();
      expect(destroyed.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input.EventDestinationName])).toEqual([['DeleteConfigurationSetEventDestination', 'a']]);
      expect(destinations('shared')).toEqual(new Map([['theirs', FOREIGN]]));
    });

    test('the last destination on one imported set removed while another set keeps one: its delete is still authorized', async () => {
      h.state().addConfigurationSet('other');
      h.setTimeoutMs(32_000); // a denial would fail in 2 s
      const build = (both: boolean) => (stack: Stack) => {
        importedStack({ Kept: 'kept' })(stack);
        if (both) {
          ConfigurationSet.fromConfigurationSetName(stack, 'Other', 'other')
            .addEventDestination('Moved', { destination: EventDestination.pinpointApplication(APP_ARN), configurationSetEventDestinationName: 'gone' });
        }
      };
      await h.deployApp(build(true));

      const result = await h.deployApp(build(false));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([['DeleteConfigurationSetEventDestination', 200]]);
      expect(destinations('other').size).toBe(0);
    });
  });

  describe('a create killed after its create call, which Lambda runs again with the same event', () => {
    /** The request type of a destination whose first invocation the driver kills after its first API call. */
    let killing: 'Create' | 'Update' | undefined;
    beforeEach(() => {
      killing = undefined;
      h.replaceDriver({
        timeoutMs: 32_000, // a denial of the retry's reads would fail in 2 s
        invocationFault: ({ event }) => event.ResourceType === ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION && event.RequestType === killing
          ? { kind: 'kill' as const, afterCalls: 1 } : undefined,
      });
    });
    const wanted = { Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], ...PINPOINT.wire(1) };

    test('a Create: the retry takes the destination its first attempt made, on this stack\'s set (its reads allowed by IAM); the stack\'s delete removes it', async () => {
      killing = 'Create';

      const result = await h.deployApp(stackOf(PINPOINT));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([
        ['CreateConfigurationSet', 200],
        ['CreateConfigurationSetEventDestination', 200], // the first attempt, killed before it could answer
        ['CreateConfigurationSetEventDestination', 400], // the retry: it exists,
        ['ListTagsForResource', 200], // on a set with this stack's ownership tag,
        ['GetConfigurationSetEventDestinations', 200], // with exactly the declared definition
        ...madeExact(['UpdateConfigurationSetEventDestination', 200]),
      ]);
      expect(h.service.callsOf('ListTagsForResource')[0].roleArn).toBeDefined(); // signed by the handler's role: IAM evaluated it
      expect(result.events.filter((e) => e.resourceType === ResourceTypes.CONFIGURATION_SET_EVENT_DESTINATION).map((e) => [e.status, e.physicalId]))
        .toEqual([['SUCCESS', `${SET}/events`]]);
      expect(destinations()).toEqual(new Map([['events', wanted]]));

      const destroyed = await h.destroy();
      expect(destroyed.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.filter((c) => c.operation.includes('EventDestination')).map((c) => [c.operation, c.input.EventDestinationName, c.status]))
        .toEqual([['DeleteConfigurationSetEventDestination', 'events', 200]]);
      expect(h.state().configurationSets.size).toBe(0);
    });

    test('a rename: the retry takes the new destination its first attempt made, and the cleanup deletes the old one', async () => {
      await h.deployApp(stackOf(PINPOINT));
      killing = 'Update';

      const result = await h.deployApp(stackOf(PINPOINT, { name: 'events-v2' }));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(h.service.calls.map((c) => [c.operation, c.input.EventDestinationName, c.status])).toEqual([
        ['CreateConfigurationSetEventDestination', 'events-v2', 200], // the first attempt, killed
        ['CreateConfigurationSetEventDestination', 'events-v2', 400],
        ['ListTagsForResource', undefined, 200],
        ['GetConfigurationSetEventDestinations', undefined, 200],
        ...madeExact(['UpdateConfigurationSetEventDestination', 'events-v2', 200]),
        ['DeleteConfigurationSetEventDestination', 'events', 200], // the cleanup
      ]);
      expect(result.events.filter((e) => e.requestType === 'Update').map((e) => [e.status, e.physicalId]))
        .toEqual([['SUCCESS', `${SET}/events-v2|replaced:${SET}/events`]]);
      expect(destinations()).toEqual(new Map([['events-v2', wanted]]));
    });

    test('a Create on a set this stack created and retained, imported since: the retry takes the destination, its read granted by the destinations\' policy', async () => {
      await h.deployApp((stack) => {
        new ConfigurationSet(stack, 'Set', { configurationSetName: SET, removalPolicy: RemovalPolicy.RETAIN });
      });
      await h.deployApp((stack) => {
        new sns.Topic(stack, 'Other'); // the set leaves the stack, and the policy of the stack's sets goes with it
      });
      killing = 'Create';
      const build = (stack: Stack) => {
        ConfigurationSet.fromConfigurationSetName(stack, 'Imported', SET).addEventDestination('Destination', {
          destination: PINPOINT.destination(stack, 1), configurationSetEventDestinationName: 'events', events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
        });
      };

      const result = await h.deployApp(build);

      expect([result.status, result.failure?.reason]).toEqual(['UPDATE_COMPLETE', undefined]);
      const policies = Object.values(h.synth(build).Resources).filter((r: any) => r.Type === 'AWS::IAM::Policy').map((r: any) => r.Properties.PolicyName);
      expect(policies.sort()).toEqual(['PinpointEmailConfigurationSetEventDestination', `PinpointEmailEventDestinationsOf-${SET}`]);
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([
        ['CreateConfigurationSetEventDestination', 200],
        ['CreateConfigurationSetEventDestination', 400],
        ['ListTagsForResource', 200], // the set still carries this stack's ownership tag
        ['GetConfigurationSetEventDestinations', 200],
        ...madeExact(['UpdateConfigurationSetEventDestination', 200]),
      ]);
      expect(destinations()).toEqual(new Map([['events', wanted]]));
    });

    // The accepted limit (docs/decisions.md, "Event destinations"): an imported set carries no ownership tag of this
    // stack, so the retry cannot tell its first attempt's destination from someone else's.
    test('a Create on an imported set: the retry refuses the destination, and the rollback leaves it there', async () => {
      h.state().addConfigurationSet('shared');
      killing = 'Create';

      const result = await h.deployApp(importedStack({ Mine: 'mine' }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toContain('Event destination "mine" of configuration set "shared": already exists and is not managed by this stack resource');
      expect(h.operations()).toEqual(['CreateConfigurationSetEventDestination', 'CreateConfigurationSetEventDestination', 'ListTagsForResource']);
      expect([...destinations('shared').keys()]).toEqual(['mine']);
    });
  });

  describe('a destination moved to another construct id under the same name', () => {
    const movedTo = (id: string) => (stack: Stack) => {
      const set = new ConfigurationSet(stack, 'Set', { configurationSetName: SET });
      new ConfigurationSetEventDestination(stack, id, {
        configurationSet: set,
        destination: PINPOINT.destination(stack, 1),
        configurationSetEventDestinationName: 'events',
        events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
      });
    };
    const wanted = { Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], ...PINPOINT.wire(1) };

    test('the new resource takes it, and the old one\'s Delete leaves it: another resource of the stack holds it (its read allowed by IAM)', async () => {
      await h.deployApp(movedTo('Destination'));

      const result = await h.deployApp(movedTo('Moved'));

      expect([result.status, result.cleanupFailures]).toEqual(['UPDATE_COMPLETE', []]);
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([
        ['CreateConfigurationSetEventDestination', 400], // it exists,
        ['ListTagsForResource', 200], // on a set with this stack's ownership tag,
        ['GetConfigurationSetEventDestinations', 200], // with exactly the declared definition
        ...madeExact(['UpdateConfigurationSetEventDestination', 200]),
        // and no Delete: the cleanup's Delete of Destination listed the stack's resources and found Moved holding it
      ]);
      expect(h.driver.stackResourceListings).toBe(1); // answered once authorized: IAM evaluated it
      expect(destinations()).toEqual(new Map([['events', wanted]]));

      const destroyed = await h.destroy();
      expect(destroyed.status).toBe('DELETE_COMPLETE');
      expect(h.operations().filter((o) => o.includes('EventDestination'))).toEqual(['DeleteConfigurationSetEventDestination']);
      expect(h.state().configurationSets.size).toBe(0);
    });
  });

  describe('replacements rolled back, and deletes', () => {
    /** `Destination` is renamed (or moved to set `later`'s neighbour); `Later` (deployed after it) fails, so the stack rolls back. */
    async function replaceThenFail(first: (stack: Stack) => IConfigurationSet, second: (stack: Stack) => IConfigurationSet, name: [string, string]) {
      const build = (setOf: (stack: Stack) => IConfigurationSet, destinationName: string, team: string) => (stack: Stack) => {
        const destination = new ConfigurationSetEventDestination(stack, 'Destination', {
          configurationSet: setOf(stack), destination: PINPOINT.destination(stack, 1), configurationSetEventDestinationName: destinationName,
        });
        new ConfigurationSet(stack, 'Later', { configurationSetName: 'later', tags: { team } }).node.addDependency(destination);
      };
      await h.deployApp(build(first, name[0], 'a'));
      const before = snapshot(h.state());
      h.service.failNext('TagResource', 1, 'BadRequestException', 'Injected: tag rejected.');
      const result = await h.deployApp(build(second, name[1], 'b'));
      return { before, result };
    }

    const importedSet = (name: string) => (stack: Stack) => ConfigurationSet.fromConfigurationSetName(stack, 'Set', name);

    test('a rename rolled back: the old destination is recognized as this resource\'s own (it replaced it, same definition) and kept', async () => {
      h.state().addConfigurationSet('shared');
      const { before, result } = await replaceThenFail(importedSet('shared'), importedSet('shared'), ['v1', 'v2']);

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(h.service.calls.filter((c) => c.operation.includes('EventDestination')).map((c) => [c.operation, c.input.EventDestinationName, c.status])).toEqual([
        ['CreateConfigurationSetEventDestination', 'v2', 200],
        ['CreateConfigurationSetEventDestination', 'v1', 400], // the rollback: v1 exists,
        ['GetConfigurationSetEventDestinations', undefined, 200], // is read, has the wanted definition: this resource's own
        ...madeExact(['UpdateConfigurationSetEventDestination', 'v1', 200]),
        ['DeleteConfigurationSetEventDestination', 'v2', 200],
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a rename rolled back onto an old destination that someone changed meanwhile: the rollback fails and changes nothing', async () => {
      h.state().addConfigurationSet('shared');
      // Someone disables v1 while the update runs: once the destination has been renamed to v2.
      h.replaceDriver({
        timeoutMs: 32_000,
        onEvent: (event) => {
          if (event.requestType === 'Update' && event.physicalId?.startsWith('shared/v2')) destinations('shared').get('v1')!.Enabled = false;
        },
      });

      const { result } = await replaceThenFail(importedSet('shared'), importedSet('shared'), ['v1', 'v2']);

      expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
      expect(result.rollbackFailure!.reason).toContain('Event destination "v1" of configuration set "shared": already exists and is not managed by this stack resource');
      expect(destinations('shared').get('v1')!.Enabled).toBe(false);
    });

    test('a move between two sets of the stack rolled back: back on the first set, the new one deleted', async () => {
      const setsOf = (target: string) => (stack: Stack) => {
        const first = new ConfigurationSet(stack, 'First', { configurationSetName: 'first' });
        const second = new ConfigurationSet(stack, 'Second', { configurationSetName: 'second' });
        return target === 'first' ? first : second;
      };
      const { before, result } = await replaceThenFail(setsOf('first'), setsOf('second'), ['events', 'events']);

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(snapshot(h.state())).toEqual(before);
    });

    // The rollback's cleanup is one, ordered by both templates (the driver, as CloudFormation): the new destination goes
    // before the policy that the update created to grant it, so nothing is left behind.
    test('a move between two imported sets rolled back: back on the first set, the new one deleted', async () => {
      h.state().addConfigurationSet('first');
      h.state().addConfigurationSet('second');
      h.setTimeoutMs(32_000);
      const { before, result } = await replaceThenFail(importedSet('first'), importedSet('second'), ['events', 'events']);

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(result.cleanupFailures).toEqual([]);
      expect(destinations('first')).toEqual(before.configurationSets.get('first')!.eventDestinations);
      expect([...destinations('second').keys()]).toEqual([]);
    }, 30_000);

    test('a move to another set: created there, deleted from the first', async () => {
      const build = (setName: string) => (stack: Stack) => {
        new ConfigurationSet(stack, 'First', { configurationSetName: 'first' });
        new ConfigurationSet(stack, 'Second', { configurationSetName: 'second' });
        new ConfigurationSetEventDestination(stack, 'Destination', {
          configurationSet: ConfigurationSet.fromConfigurationSetName(stack, 'Target', setName),
          destination: PINPOINT.destination(stack, 1),
          configurationSetEventDestinationName: 'events',
        });
      };
      await h.deployApp(build('first'));

      const result = await h.deployApp(build('second'));

      expect(result.status).toBe('UPDATE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.input.ConfigurationSetName])).toEqual([
        ['CreateConfigurationSetEventDestination', 'second'],
        ['DeleteConfigurationSetEventDestination', 'first'],
      ]);
      expect(destinations('first').size + destinations('second').size).toBe(1);
    });

    test.each([
      ['the destination', () => destinations().delete('events')],
      ['its configuration set', () => h.state().configurationSets.delete(SET)],
    ])('a delete after %s was deleted outside CloudFormation succeeds', async (_what, vanish) => {
      h.state().addConfigurationSet(SET);
      await h.deployApp((stack) => {
        ConfigurationSet.fromConfigurationSetName(stack, 'Set', SET).addEventDestination('Destination', {
          destination: PINPOINT.destination(stack, 1), configurationSetEventDestinationName: 'events',
        });
      });
      vanish();

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(h.service.calls.map((c) => [c.operation, c.status])).toEqual([['DeleteConfigurationSetEventDestination', 404]]);
    });
  });
});
