/**
 * DeliverabilityDashboard's inbox placement tracking, and TestContent.template, through CloudFormation's lifecycle
 * against the local service with IAM enforced.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness, snapshot } from './harness';
import { ConfigurationSet, DeliverabilityDashboard, DeliverabilityDashboardProps, DeliverabilityTest, TestContent } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  function dashboard(props: DeliverabilityDashboardProps, extra: (stack: Stack, d: DeliverabilityDashboard) => void = () => {}) {
    return (stack: Stack) => extra(stack, new DeliverabilityDashboard(stack, 'Dashboard', props));
  }

  const TRACKED = { global: true, trackedIsps: ['Gmail', 'Yahoo'] };
  const TRACKED_INPUT = { Global: true, TrackedIsps: ['Gmail', 'Yahoo'] };

  function puts() {
    return h.callsOf('PutDeliverabilityDashboardOption').map((c) => c.input);
  }

  describe('inbox placement tracking', () => {
    test('create enables the dashboard with each domain\'s tracking', async () => {
      const result = await h.deployApp(dashboard({ subscribedDomains: ['example.com', 'example.org'], inboxPlacementTracking: { 'example.com': TRACKED } }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.operations()).toEqual(['GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption']);
      expect(puts()).toEqual([{
        DashboardEnabled: true,
        SubscribedDomains: [{ Domain: 'example.com', InboxPlacementTrackingOption: TRACKED_INPUT }, { Domain: 'example.org' }],
      }]);
    });

    test('a tracking change is applied in place, keeping the domains someone else subscribed and their options; no change, no write', async () => {
      h.state().enableDashboard([{ Domain: 'theirs.example', InboxPlacementTrackingOption: { Global: true, TrackedIsps: ['AOL'] } }]);
      await h.deployApp(dashboard({ subscribedDomains: ['example.com'] }));
      expect(puts()).toEqual([{ DashboardEnabled: true, SubscribedDomains: [{ Domain: 'theirs.example', InboxPlacementTrackingOption: { Global: true, TrackedIsps: ['AOL'] } }, { Domain: 'example.com' }] }]);

      await h.deployApp(dashboard({ subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': TRACKED } }));
      expect(puts()).toEqual([{
        DashboardEnabled: true,
        SubscribedDomains: [
          { Domain: 'theirs.example', InboxPlacementTrackingOption: { Global: true, TrackedIsps: ['AOL'] } },
          { Domain: 'example.com', InboxPlacementTrackingOption: TRACKED_INPUT },
        ],
      }]);

      // The same ISPs in another order: CloudFormation sends an Update, which changes nothing and makes no call.
      await h.deployApp(dashboard({ subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': { global: true, trackedIsps: ['Yahoo', 'Gmail'] } } }));
      expect(h.operations()).toEqual([]);

      // No longer declared: cleared (the domain stays subscribed).
      await h.deployApp(dashboard({ subscribedDomains: ['example.com'] }));
      expect(puts()).toEqual([{
        DashboardEnabled: true,
        SubscribedDomains: [{ Domain: 'theirs.example', InboxPlacementTrackingOption: { Global: true, TrackedIsps: ['AOL'] } }, { Domain: 'example.com' }],
      }]);
    });

    test('a failed update rolls the tracking back', async () => {
      await h.deployApp(dashboard({ subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': TRACKED } }));
      const before = snapshot(h.state());
      h.service.failNext('CreateConfigurationSet', 1, 'BadRequestException', 'Injected: rejected.');

      const result = await h.deployApp(dashboard({ subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': { global: false } } }, (stack, d) => {
        new ConfigurationSet(stack, 'Set', { configurationSetName: 'later' }).node.addDependency(d);
      }));

      expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(snapshot(h.state())).toEqual(before);
    });

    test('delete disables the dashboard it enabled', async () => {
      await h.deployApp(dashboard({ subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': TRACKED } }));
      await h.destroy();
      expect(puts()).toEqual([{ DashboardEnabled: false }]);
      expect(h.state().dashboard.enabled).toBe(false);
    });
  });

  describe('TestContent.template', () => {
    const TEMPLATE_ARN = 'arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/EMAIL';

    test('creates the report from the template and its data; a change of data is a new report', async () => {
      h.state().enableDashboard();
      h.state().addEmailIdentity('example.com', { verified: true });
      const build = (data: string) => (stack: Stack) => {
        new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: TestContent.template(TEMPLATE_ARN, data) });
      };

      const result = await h.deployApp(build('{"name":"Ana"}'));
      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.callsOf('CreateDeliverabilityTestReport').map((c) => c.input.Content))
        .toEqual([{ Template: { TemplateArn: TEMPLATE_ARN, TemplateData: '{"name":"Ana"}' } }]);

      await h.deployApp(build('{"name":"Ana"}'));
      expect(h.operations()).toEqual([]);

      await h.deployApp(build('{"name":"Bo"}'));
      expect(h.callsOf('CreateDeliverabilityTestReport')).toHaveLength(1);
      expect(h.state().deliverabilityTestReports.size).toBe(2);
    });
  });
});
