/**
 * DeliverabilityTest and DeliverabilityDashboard through CloudFormation's lifecycle (the lifecycle driver running the
 * built handler) against the local Pinpoint Email service.
 */
import { Stack } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness } from './harness';
import { OWNER_TAG_KEY } from '../../lambda/ownership';
import { ConfigurationSet, DeliverabilityDashboard, DeliverabilityTest, DeliverabilityTestProps, TestContent } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  const MIME = 'From: test@example.com\r\nSubject: Launch\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße\r\n';

  function testStack(props: Partial<DeliverabilityTestProps>, dashboard = false) {
    return (stack: Stack) => {
      if (dashboard) new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
      new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: TestContent.raw(MIME), ...props });
    };
  }

  /** The marker of a report that request `requestId` created: the owner, the request and the content key. */
  function markerOf(requestId: string): RegExp {
    return new RegExp(`^[0-9a-f-]{36}:[0-9a-f]{32} request=${requestId} key=[0-9a-f]{16}$`);
  }

  function reports() {
    return [...h.state().deliverabilityTestReports.values()];
  }

  describe('with the dashboard enabled and the domain verified', () => {
    beforeEach(() => {
      h.state().enableDashboard();
      h.state().addEmailIdentity('example.com', { verified: true });
    });

    test('create is one call: the report with the raw message, the tags and the marker of its request', async () => {
      const result = await h.deployApp(testStack({ reportName: 'launch', tags: { team: 'mail' } }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(h.operations()).toEqual(['CreateDeliverabilityTestReport']);
      expect(reports()).toHaveLength(1);
      const report = reports()[0];
      expect(report).toMatchObject({ reportName: 'launch', fromEmailAddress: 'test@example.com', subject: 'Launch', message: MIME });
      expect(report.tags).toEqual({ team: 'mail', [OWNER_TAG_KEY]: expect.stringMatching(markerOf(result.events[0].request.RequestId)) });
      expect([...result.resources.values()][0]).toMatchObject({
        physicalId: report.reportId,
        data: {
          ReportId: report.reportId,
          Arn: `arn:aws:ses:us-east-1:123456789012:deliverability-test-report/${report.reportId}`,
          DeliverabilityTestStatus: 'IN_PROGRESS',
        },
      });
    });

    test('a tag-only update keeps the report; a content change creates a new one and keeps the old; destroy releases the report', async () => {
      await h.deployApp(testStack({ tags: { team: 'mail' } }));
      const first = reports()[0].reportId;

      const tagged = await h.deployApp(testStack({ tags: { team: 'ops' } }));
      expect(tagged.status).toBe('UPDATE_COMPLETE');
      expect(h.operations()).toEqual(['TagResource']);
      expect(reports().map((r) => [r.reportId, r.tags.team])).toEqual([[first, 'ops']]);

      const replaced = await h.deployApp(testStack({ tags: { team: 'ops' }, content: TestContent.simple({ subject: 'Launch 2', text: 'Hi' }) }));
      expect(replaced.status).toBe('UPDATE_COMPLETE');
      // The marker of the current report (is this the rollback of a replacement?), the create; then the cleanup
      // Delete of the old report removes its marker.
      expect(h.operations()).toEqual(['ListTagsForResource', 'CreateDeliverabilityTestReport', 'ListTagsForResource', 'UntagResource']);
      expect(reports()).toHaveLength(2);
      const second = reports()[1];
      expect(second).toMatchObject({ subject: 'Launch 2', tags: { team: 'ops' } });
      expect(reports()[0].tags).toEqual({ team: 'ops' });
      expect(replaced.events.map((e) => [e.requestType, e.physicalId])).toEqual([['Update', second.reportId], ['Delete', first]]);

      const destroyed = await h.destroy();
      expect(destroyed.status).toBe('DELETE_COMPLETE');
      expect(h.operations()).toEqual(['ListTagsForResource', 'UntagResource']);
      expect(reports()).toHaveLength(2);
      expect(reports().map((r) => r.tags)).toEqual([{ team: 'ops' }, { team: 'ops' }]);
    });

    test('the rollback of a replacement returns the report it replaced, even a day old, and creates no other report', async () => {
      await h.deployApp(testStack({ tags: { team: 'mail' } }));
      const [first] = reports();
      first.createDate = new Date(Date.now() - 24 * 60 * 60_000);

      // The content changes (a new report), and another resource of the update fails after it (its name is taken).
      h.state().addConfigurationSet('taken');
      const failed = await h.deployApp((stack) => {
        testStack({ tags: { team: 'mail' }, content: TestContent.simple({ subject: 'Launch 2', text: 'Hi' }) })(stack);
        const breaker = new ConfigurationSet(stack, 'Breaker', { configurationSetName: 'taken' });
        breaker.node.addDependency(stack.node.findChild('Test'));
      });

      expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
      expect(failed.rollbackFailure).toBeUndefined();
      expect(reports()).toHaveLength(2); // the old one and the replacement; the rollback made none
      expect(h.callsOf('CreateDeliverabilityTestReport')).toHaveLength(1);
      expect([...failed.resources.values()].find((r) => r.type === 'Custom::PinpointEmailDeliverabilityTest')?.physicalId).toBe(first.reportId);
      // The old report is the resource's own again; the replacement was released by the rollback's cleanup.
      expect(reports()[0].tags).toEqual({ team: 'mail', ...h.ownerTag('Test') });
      expect(reports()[1].tags[OWNER_TAG_KEY]).toBeUndefined();

      // A later update to the same new content makes a new report: the released one is not taken back.
      const again = await h.deployApp(testStack({ tags: { team: 'mail' }, content: TestContent.simple({ subject: 'Launch 2', text: 'Hi' }) }));
      expect(again.status).toBe('UPDATE_COMPLETE');
      expect(reports()).toHaveLength(3);
    });
  });

  test('without the dashboard, create fails with what to do and creates nothing', async () => {
    h.state().addEmailIdentity('example.com', { verified: true });
    const result = await h.deployApp(testStack({}));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toContain('the Deliverability dashboard is not enabled in account 123456789012, region us-east-1');
    expect(result.failure?.reason).toContain('you pay a monthly subscription charge');
    // The create is tried first; only its failure makes the handler read the dashboard, to say why.
    expect(h.operations()).toEqual(['CreateDeliverabilityTestReport', 'GetDeliverabilityDashboardOptions']);
    expect(reports()).toHaveLength(0);
  });

  test('with an unverified sender, create fails with what to do and creates nothing', async () => {
    h.state().enableDashboard();
    h.state().addEmailIdentity('example.com');
    const result = await h.deployApp(testStack({}));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.failure?.reason).toContain('example.com is an email identity in account 123456789012, region us-east-1 but not verified for sending');
    expect(reports()).toHaveLength(0);
  });

  test('a dashboard declared in the stack is enabled before the test, and disabled again on destroy', async () => {
    h.state().addEmailIdentity('example.com', { verified: true });
    const result = await h.deployApp(testStack({}, true));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.operations()).toEqual([
      'GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption', 'CreateDeliverabilityTestReport',
    ]);
    expect(h.state().dashboard).toMatchObject({ enabled: true, subscribedDomains: [{ Domain: 'example.com' }] });

    await h.destroy();
    expect(h.operations()).toEqual(['ListTagsForResource', 'UntagResource', 'PutDeliverabilityDashboardOption']);
    expect(h.state().dashboard.enabled).toBe(false);
    expect(reports()).toHaveLength(1);
  });

  test('a dashboard that was already enabled stays enabled on destroy', async () => {
    h.state().enableDashboard([{ Domain: 'other.com' }]);
    h.state().addEmailIdentity('example.com', { verified: true });
    await h.deployApp(testStack({}, true));
    expect(h.state().dashboard.subscribedDomains.map((d) => d.Domain)).toEqual(['other.com', 'example.com']);

    await h.destroy();
    // The test's report is released; the dashboard stays, without the domain this stack subscribed.
    expect(h.operations()).toEqual(['ListTagsForResource', 'UntagResource', 'GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption']);
    expect(h.state().dashboard.enabled).toBe(true);
    expect(h.state().dashboard.subscribedDomains.map((d) => d.Domain)).toEqual(['other.com']);
  });

  test('a dashboard found PENDING_EXPIRATION (disabled, still reading as enabled) is enabled again, and disabled again on destroy', async () => {
    h.state().enableDashboard([{ Domain: 'example.com' }]);
    Object.assign(h.state().dashboard, { enabled: false, accountStatus: 'PENDING_EXPIRATION', subscriptionExpiryDate: new Date(Date.now() + 86_400_000) });
    const result = await h.deployApp((stack) => new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.operations()).toEqual(['GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption']);
    expect([...result.resources.values()][0].physicalId).toBe('pinpoint-email-deliverability-dashboard:enabled-here');
    expect(h.state().dashboard).toMatchObject({ enabled: true, accountStatus: 'ACTIVE' });

    await h.destroy();
    expect(h.operations()).toEqual(['PutDeliverabilityDashboardOption']);
    expect(h.state().dashboard).toMatchObject({ enabled: false, accountStatus: 'PENDING_EXPIRATION' });
  });
});
