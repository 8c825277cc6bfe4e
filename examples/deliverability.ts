/**
 * The README's deliverability example (section "DeliverabilityTest and DeliverabilityDashboard"), as written there:
 * test/lifecycle/readme-deliverability.lifecycle.test.ts checks that the README shows exactly the code between the
 * markers, then deploys, updates and destroys it against the local service.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { DeliverabilityDashboard, DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../src';

export function buildDeliverabilityExample(stack: Stack): DeliverabilityTest {
  // README:begin
  // The sender: a domain whose DNS is managed elsewhere; publish sender.dkimRecords (or use Identity.publicHostedZone).
  const sender = new EmailIdentity(stack, 'Sender', { identity: Identity.domain('example.net') });
  sender.waitForVerification({ timeout: Duration.minutes(45) }); // optional: a test of the same stack waits 30 minutes by default

  // Opt-in and billed monthly (see Costs). Tests need the dashboard; a dashboard in the stack is created first.
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.net'] });

  const test = new DeliverabilityTest(stack, 'LaunchMail', {
    fromIdentity: sender, // created after the sender is verified...
    fromLocalPart: 'news', // ...sending as news@example.net (or: fromEmailAddress: 'news@example.net')
    reportName: 'launch-newsletter',
    content: TestContent.simple({ subject: 'We launched', html: '<p>Hello</p>', text: 'Hello' }),
    // or: content: TestContent.raw('Subject: We launched\r\nContent-Type: text/plain\r\n\r\nHello'),
    tags: { campaign: 'launch' },
  });
  test.reportId; // read the results with GetDeliverabilityTestReport
  test.deliverabilityTestStatus; // always IN_PROGRESS: the status at creation, never refreshed
  // README:end
  return test;
}
