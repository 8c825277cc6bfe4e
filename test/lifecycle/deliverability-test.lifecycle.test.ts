/**
 * DeliverabilityTest and DeliverabilityDashboard through CloudFormation's lifecycle (the lifecycle driver running the
 * built handler) against the local Pinpoint Email service.
 */
import { Stack } from 'aws-cdk-lib';
import { lifecycleHarness } from './harness';
import { DeliverabilityDashboard, DeliverabilityTest, DeliverabilityTestProps, TestContent } from '../../src';

const h = lifecycleHarness();

const MIME = 'From: test@example.com\r\nSubject: Launch\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße\r\n';

function testStack(props: Partial<DeliverabilityTestProps>, dashboard = false) {
  return (stack: Stack) => {
    if (dashboard) new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'test@example.com', content: TestContent.raw(MIME), ...props });
  };
}

function reports() {
  return [...h.state().deliverabilityTestReports.values()];
}

describe('with the dashboard enabled and the domain verified', () => {
  beforeEach(() => {
    h.state().enableDashboard();
    h.state().addEmailIdentity('example.com', { verified: true });
  });

  test('create checks both preconditions, then creates the report with the raw message and tags', async () => {
    const result = await h.deployApp(testStack({ reportName: 'launch', tags: { team: 'mail' } }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(h.operations()).toEqual(['GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'GetEmailIdentity', 'CreateDeliverabilityTestReport']);
    expect(reports()).toHaveLength(1);
    const report = reports()[0];
    expect(report).toMatchObject({ reportName: 'launch', fromEmailAddress: 'test@example.com', subject: 'Launch', message: MIME, tags: { team: 'mail', ...h.ownerTag('Test') } });
    expect([...result.resources.values()][0]).toMatchObject({
      physicalId: report.reportId,
      data: {
        ReportId: report.reportId,
        Arn: `arn:aws:ses:us-east-1:123456789012:deliverability-test-report/${report.reportId}`,
        DeliverabilityTestStatus: 'IN_PROGRESS',
      },
    });
  });

  test('a tag-only update keeps the report; a content change creates a new one and keeps the old; destroy calls nothing', async () => {
    await h.deployApp(testStack({ tags: { team: 'mail' } }));
    const first = reports()[0].reportId;

    const tagged = await h.deployApp(testStack({ tags: { team: 'ops' } }));
    expect(tagged.status).toBe('UPDATE_COMPLETE');
    expect(h.operations()).toEqual(['TagResource']);
    expect(reports().map((r) => [r.reportId, r.tags])).toEqual([[first, { team: 'ops', ...h.ownerTag('Test') }]]);

    const replaced = await h.deployApp(testStack({ tags: { team: 'ops' }, content: TestContent.simple({ subject: 'Launch 2', text: 'Hi' }) }));
    expect(replaced.status).toBe('UPDATE_COMPLETE');
    expect(h.operations()).toEqual(['GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'GetEmailIdentity', 'CreateDeliverabilityTestReport']);
    expect(reports()).toHaveLength(2);
    const second = reports()[1];
    expect(second).toMatchObject({ subject: 'Launch 2', tags: { team: 'ops' } });
    expect(replaced.events.map((e) => [e.requestType, e.physicalId])).toEqual([['Update', second.reportId], ['Delete', first]]);

    const destroyed = await h.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(h.operations()).toEqual([]);
    expect(reports()).toHaveLength(2);
  });
});

test('without the dashboard, create fails with what to do and creates nothing', async () => {
  h.state().addEmailIdentity('example.com', { verified: true });
  const result = await h.deployApp(testStack({}));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(result.failure?.reason).toContain('the Deliverability dashboard is not enabled in account 123456789012, region us-east-1');
  expect(result.failure?.reason).toContain('you pay a monthly subscription charge');
  expect(h.operations()).toEqual(['GetDeliverabilityDashboardOptions']);
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
    'GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption',
    'GetDeliverabilityDashboardOptions', 'ListDeliverabilityTestReports', 'GetEmailIdentity', 'GetEmailIdentity',
    'CreateDeliverabilityTestReport',
  ]);
  expect(h.state().dashboard).toMatchObject({ enabled: true, subscribedDomains: [{ Domain: 'example.com' }] });

  await h.destroy();
  expect(h.operations()).toEqual(['PutDeliverabilityDashboardOption']);
  expect(h.state().dashboard.enabled).toBe(false);
  expect(reports()).toHaveLength(1);
});

test('a dashboard that was already enabled stays enabled on destroy', async () => {
  h.state().enableDashboard([{ Domain: 'other.com' }]);
  h.state().addEmailIdentity('example.com', { verified: true });
  await h.deployApp(testStack({}, true));
  expect(h.state().dashboard.subscribedDomains.map((d) => d.Domain)).toEqual(['other.com', 'example.com']);

  await h.destroy();
  expect(h.operations()).toEqual([]);
  expect(h.state().dashboard.enabled).toBe(true);
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
