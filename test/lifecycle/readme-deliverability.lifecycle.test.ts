/**
 * The README's deliverability example, exactly as written there (examples/deliverability.ts holds the same code), through
 * CloudFormation's lifecycle against the local service: it deploys (waiting for the sender's verification, which the
 * service grants after a delay), updates and destroys. And the wait's bounded failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack, Tags } from 'aws-cdk-lib';
import { BACKENDS, lifecycleHarness } from './harness';
import { buildDeliverabilityExample } from '../../examples/deliverability';
import { EmailIdentity, Identity } from '../../src';

describe.each(BACKENDS)('on %s', (api) => {
  const h = lifecycleHarness({ api });

  /** The code of the README's deliverability block, without its imports. */
  function readmeExample(): string {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### DeliverabilityTest and DeliverabilityDashboard'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
    return block.split('\n').filter((line) => !line.startsWith('import ')).join('\n').trim();
  }

  /** The code between the markers of examples/deliverability.ts, unindented. */
  function exampleFile(): string {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'deliverability.ts'), 'utf8');
    const body = source.slice(source.indexOf('// README:begin\n') + '// README:begin\n'.length, source.indexOf('  // README:end'));
    return body.split('\n').map((line) => line.replace(/^ {2}/, '')).join('\n').trim();
  }

  test('the README shows exactly the code of examples/deliverability.ts', () => {
    expect(readmeExample()).toBe(exampleFile());
  });

  test('the README example deploys, waiting for the sender to be verified, then updates and destroys', async () => {
    h.state().verifyNewIdentitiesAfter(1500);
    const created = await h.deployApp((stack) => buildDeliverabilityExample(stack));

    expect(created.status).toBe('CREATE_COMPLETE');
    const order = created.events.map((e) => e.logicalId.replace(/[0-9A-F]{8}$/, ''));
    expect(order.indexOf('SenderVerificationStep1')).toBeGreaterThan(order.indexOf('Sender'));
    expect(order.indexOf('LaunchMail')).toBeGreaterThan(order.indexOf('SenderVerificationStep6'));
    // The first step polled until the service verified the identity; the five after it made no call.
    const polls = h.callsOf('GetEmailIdentity').filter((c) => c.input.EmailIdentity === 'example.net');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.length).toBeLessThanOrEqual(4);
    expect(h.callsOf('CreateDeliverabilityTestReport').map((c) => [c.input.FromEmailAddress, c.status])).toEqual([['news@example.net', 200]]);
    const wait = [...created.resources.values()].find((r) => r.logicalId.startsWith('SenderVerificationStep6'))!;
    expect(wait.data).toMatchObject({ Verified: 'true', VerifiedForSendingStatus: 'true', DkimStatus: 'SUCCESS' });
    const sender = [...created.resources.values()].find((r) => r.logicalId.startsWith('Sender') && r.type === 'Custom::PinpointEmailIdentity')!;
    expect(sender.data).toMatchObject({ VerifiedForSendingStatus: 'false', DkimStatus: 'PENDING' }); // as read at its create

    const updated = await h.deployApp((stack) => {
      buildDeliverabilityExample(stack);
      Tags.of(stack).add('stage', 'two');
    });
    expect(updated.status).toBe('UPDATE_COMPLETE');
    expect(h.callsOf('CreateDeliverabilityTestReport')).toEqual([]); // a tag change keeps the report
    expect([...h.state().deliverabilityTestReports.values()][0].tags).toMatchObject({ campaign: 'launch', stage: 'two' });
    expect(h.state().emailIdentities.get('example.net')!.tags).toMatchObject({ stage: 'two' });

    const destroyed = await h.destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(h.state().emailIdentities.size).toBe(0);
    expect(h.state().dashboard.enabled).toBe(false);
    expect(h.state().deliverabilityTestReports.size).toBe(1); // no API deletes a report
  }, 60_000);

  test('a wait that times out fails with the DKIM status and the records to publish; the rollback leaves nothing', async () => {
    const started = Date.now();
    const result = await h.deployApp((stack: Stack) => {
      new EmailIdentity(stack, 'Sender', { identity: Identity.domain('example.net') }).waitForVerification({ timeout: Duration.seconds(3) });
    });

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(Date.now() - started).toBeLessThan(15_000);
    const tokens = result.events.find((e) => e.requestType === 'Create' && e.resourceType === 'Custom::PinpointEmailIdentity')!.data!;
    expect(result.failure?.reason).toBe('Verification of email identity "example.net": not verified for sending after 3 seconds ' +
      '(the timeout of waitForVerification): its DKIM status is PENDING, not SUCCESS. To verify example.net, publish these DNS records: ' +
      [1, 2, 3].map((i) => `${tokens[`DkimToken${i}`]}._domainkey.example.net CNAME ${tokens[`DkimToken${i}`]}.dkim.amazonses.com`).join('; ') +
      '; DNS changes can take up to 72 hours. Then deploy again, or give waitForVerification a longer timeout.');
    // Polled 1, 2... seconds apart, within the 3 seconds; then the identity was deleted by the rollback.
    expect(h.callsOf('GetEmailIdentity').filter((c) => c.input.EmailIdentity === 'example.net').length).toBeLessThanOrEqual(5);
    expect(h.state().emailIdentities.size).toBe(0);
  }, 30_000);

  test('verification on a test\'s command: an address identity verified while the wait polls', async () => {
    const deploying = h.deployApp((stack: Stack) => {
      new EmailIdentity(stack, 'Sender', { identity: Identity.email('news@example.net') }).waitForVerification({ timeout: Duration.seconds(20) });
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    h.state().verifyIdentity('news@example.net');
    const result = await deploying;

    expect(result.status).toBe('CREATE_COMPLETE');
  }, 30_000);
});
