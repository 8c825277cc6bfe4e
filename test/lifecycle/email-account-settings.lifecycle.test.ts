/**
 * EmailAccountSettings through CloudFormation's lifecycle against the local service, with IAM enforced: the account's
 * settings after each step, the exact calls, and the values found at create put back on delete.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness, snapshot } from './harness';
import { ConfigurationSet, EmailAccountSettings, EmailAccountSettingsProps } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  function settingsStack(props: EmailAccountSettingsProps, extra: (stack: Stack, settings: EmailAccountSettings) => void = () => {}) {
    return (stack: Stack) => extra(stack, new EmailAccountSettings(stack, 'Account', props));
  }

  function calls() {
    return h.service.calls.map((c) => [c.operation, c.input]);
  }

  function settings() {
    const { sendingEnabled, dedicatedIpAutoWarmupEnabled } = h.state().settings;
    return { sendingEnabled, autoWarmupEnabled: dedicatedIpAutoWarmupEnabled };
  }

  describe('create, update, no-op, delete', () => {
    test('create reads the account and sets only the declared values that differ', async () => {
      const result = await h.deployApp(settingsStack({ autoWarmupEnabled: false, sendingEnabled: true }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(calls()).toEqual([['GetAccount', {}], ['PutAccountDedicatedIpWarmupAttributes', { AutoWarmupEnabled: false }]]);
      expect(settings()).toEqual({ sendingEnabled: true, autoWarmupEnabled: false });
      expect(result.events[0].physicalId).toBe('pinpoint-email-account-settings:sending-enabled=true:auto-warmup-enabled=true');
    });

    test('an undeclared setting is never written', async () => {
      h.state().settings.dedicatedIpAutoWarmupEnabled = false;
      await h.deployApp(settingsStack({ sendingEnabled: false }));
      expect(calls()).toEqual([['GetAccount', {}], ['PutAccountSendingAttributes', { SendingEnabled: false }]]);

      await h.destroy();
      expect(calls()).toEqual([['PutAccountSendingAttributes', { SendingEnabled: true }]]);
      expect(settings()).toEqual({ sendingEnabled: true, autoWarmupEnabled: false });
    });

    test('an update changes only what changed, without reading; no change, no call', async () => {
      await h.deployApp(settingsStack({ sendingEnabled: true, autoWarmupEnabled: false }));

      await h.deployApp(settingsStack({ sendingEnabled: false, autoWarmupEnabled: false }));
      expect(calls()).toEqual([['PutAccountSendingAttributes', { SendingEnabled: false }]]);

      await h.deployApp(settingsStack({ sendingEnabled: false, autoWarmupEnabled: false }));
      expect(calls()).toEqual([]);
    });

    test('a setting removed from the props gets back the value found at create', async () => {
      h.setTimeoutMs(32_000); // 2 s of AccessDenied retries, should the new policy lack the write
      await h.deployApp(settingsStack({ autoWarmupEnabled: false }));

      await h.deployApp(settingsStack({}));

      expect(calls()).toEqual([['PutAccountDedicatedIpWarmupAttributes', { AutoWarmupEnabled: true }]]);
      expect(settings()).toEqual({ sendingEnabled: true, autoWarmupEnabled: true });
    }, 60_000);

    test('delete puts back the values in force before the stack', async () => {
      Object.assign(h.state().settings, { sendingEnabled: false, dedicatedIpAutoWarmupEnabled: false });
      const before = snapshot(h.state());
      await h.deployApp(settingsStack({ sendingEnabled: true, autoWarmupEnabled: true }));
      expect(settings()).toEqual({ sendingEnabled: true, autoWarmupEnabled: true });

      const result = await h.destroy();

      expect(result.status).toBe('DELETE_COMPLETE');
      expect(calls()).toEqual([
        ['PutAccountSendingAttributes', { SendingEnabled: false }],
        ['PutAccountDedicatedIpWarmupAttributes', { AutoWarmupEnabled: false }],
      ]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a declared value equal to the one found makes no call on create or delete', async () => {
      await h.deployApp(settingsStack({ sendingEnabled: true }));
      expect(calls()).toEqual([['GetAccount', {}]]);
      await h.destroy();
      expect(calls()).toEqual([]);
    });
  });

  describe('rollback', () => {
    test('a failed update rolls the settings back', async () => {
      await h.deployApp(settingsStack({ sendingEnabled: true }));
      const before = snapshot(h.state());
      h.service.failNext('CreateConfigurationSet', 1, 'BadRequestException', 'Injected: rejected.');

      const result = await h.deployApp(settingsStack({ autoWarmupEnabled: false }, (stack, account) => {
        new ConfigurationSet(stack, 'Set', { configurationSetName: 'later' }).node.addDependency(account);
      }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(h.callsOf('PutAccountDedicatedIpWarmupAttributes').map((c) => c.input)).toEqual([{ AutoWarmupEnabled: false }, { AutoWarmupEnabled: true }]);
      expect(snapshot(h.state())).toEqual(before);
    });

    test('a failed write during create puts back what it already changed, and the deploy fails naming the API message', async () => {
      const before = snapshot(h.state());
      h.service.failNext('PutAccountDedicatedIpWarmupAttributes', 1, 'BadRequestException', 'Injected: rejected.');

      const result = await h.deployApp(settingsStack({ sendingEnabled: false, autoWarmupEnabled: false }));

      expect(result.status).toBe('ROLLBACK_COMPLETE');
      expect(result.failure!.reason).toBe('Email account settings: PutAccountDedicatedIpWarmupAttributes failed: BadRequestException: Injected: rejected.');
      expect(snapshot(h.state())).toEqual(before);
    });
  });
});
