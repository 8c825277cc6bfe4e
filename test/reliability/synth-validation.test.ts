/**
 * Synth-time validation that was wrong against the API's rules (found by construct-props.property.test.ts and by
 * comparing with the local service): each case below used to synthesize and then fail at deploy, or the reverse.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { reliabilityHarness, synth } from './harness';
import { seedSender } from './stacks';
import { ConfigurationSet, DeliverabilityDashboard, DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../../src';

function errors(build: (stack: Stack) => void): string {
  const stack = new Stack(new App(), 'Demo');
  build(stack);
  try {
    Template.fromStack(stack);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('ConfigurationSet customTrackingRedirectDomain must be a domain name (CreateConfigurationSet rejects anything else)', () => {
  test.each(['', 'not a domain', 'localhost', 'links.example.123', 'links..example.com', 'https://links.example.com'])('"%s" fails synthesis', (domain) => {
    expect(errors((stack) => new ConfigurationSet(stack, 'Set', { customTrackingRedirectDomain: domain })))
      .toContain(`[Demo/Set] customTrackingRedirectDomain "${domain}" is not a valid domain name: labels of letters, digits and hyphens`);
  });

  test.each(['links.example.com', 'xn--bcher-kva.example', '0x.example.co'])('"%s" is valid', (domain) => {
    expect(errors((stack) => new ConfigurationSet(stack, 'Set', { customTrackingRedirectDomain: domain }))).toBe('');
  });
});

describe('a domain\'s last label must start with a letter, as the API requires', () => {
  test('a deliverability test\'s sender', () => {
    expect(errors((stack) => new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'a@example.123', content: TestContent.simple({ subject: 's', text: 't' }) })))
      .toContain('[Demo/Test] fromEmailAddress "a@example.123" is invalid');
  });

  test('a dashboard\'s domain', () => {
    expect(errors((stack) => new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.1com'] })))
      .toContain('[Demo/Dashboard] subscribedDomains: "example.1com" is not a domain name');
  });

  test('an identity (unchanged: it already did)', () => {
    expect(errors((stack) => new EmailIdentity(stack, 'Identity', { identity: Identity.domain('example.123') })))
      .toContain('[Demo/Identity] identity "example.123" is not a valid domain name');
  });
});

describe('a raw test message separated by lone CRs has no blank line (RFC 5322 line breaks are CRLF; the API splits on CRLF or LF)', () => {
  test.each([
    ['lone CRs', 'Subject: Hi\r\rBody\r', false],
    ['CRLF', 'Subject: Hi\r\n\r\nBody\r\n', true],
    ['LF', 'Subject: Hi\n\nBody\n', true],
  ])('%s', (_what, message, valid) => {
    const problems = errors((stack) => new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'a@example.com', content: TestContent.raw(message) }));
    if (valid) expect(problems).toBe('');
    else expect(problems).toContain('[Demo/Test] content: TestContent.raw message has no blank line');
  });
});

describe('what synth now accepts, the local service accepts at deploy', () => {
  const h = reliabilityHarness();

  test('a set with a tracking domain, and a raw message with LF line breaks from a sender of a subdomain', async () => {
    seedSender(h.state());
    h.state().addEmailIdentity('mail.example.org', { verified: true });
    const template = synth((stack) => {
      new ConfigurationSet(stack, 'Set', { customTrackingRedirectDomain: '0x.example.co' });
      new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'a@mail.example.org', content: TestContent.raw('Subject: Hi\n\nBody\n') });
    });

    const result = await h.driver.deploy(template);

    expect(result.status).toBe('CREATE_COMPLETE');
  });
});
