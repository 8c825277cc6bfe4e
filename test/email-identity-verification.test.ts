/** EmailIdentity.waitForVerification at synth: the chain of steps, its order after the records, and bad timeouts. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DeliverabilityTest, EmailIdentity, Identity, TestContent } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'Mail');
}

function steps(stack: Stack): Array<[string, any]> {
  return Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
    .filter(([, r]) => r.Type === 'Custom::PinpointEmailIdentityVerification');
}

test.each([
  [Duration.seconds(3), ['3']],
  [Duration.minutes(8), ['480']],
  [Duration.minutes(30), ['480', '480', '480', '360']],
  [Duration.hours(1), ['480', '480', '480', '480', '480', '480', '480', '240']],
])('a timeout of %s is a chain of steps of at most 8 minutes, each after the previous one, the last one final', (timeout, seconds) => {
  const stack = newStack();
  new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') }).waitForVerification({ timeout });
  const chain = steps(stack);

  expect(chain.map(([, r]) => r.Properties.StepSeconds)).toEqual(seconds);
  expect(chain.map(([, r]) => r.Properties.Final)).toEqual(seconds.map((_s, i) => i === seconds.length - 1));
  chain.forEach(([, r], i) => {
    expect(r.Properties.EmailIdentity).toEqual({ Ref: expect.stringMatching(/^Domain/) });
    if (i > 0) expect(r.Properties.PreviousVerified).toEqual({ 'Fn::GetAtt': [chain[i - 1][0], 'Verified'] });
    if (i > 0) expect(r.Properties.PreviousDkimStatus).toEqual({ 'Fn::GetAtt': [chain[i - 1][0], 'DkimStatus'] });
  });
});

test('the wait starts after the identity\'s records in its zone, and a test of the same stack waits for it on its own', () => {
  const stack = newStack();
  const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
  const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.publicHostedZone(zone), mailFromDomain: 'mail.example.com' });
  new DeliverabilityTest(stack, 'Test', { fromIdentity: identity, fromLocalPart: 'news', content: TestContent.simple({ subject: 's', text: 't' }) });

  const chain = steps(stack);
  expect(chain).toHaveLength(4); // the default timeout, 30 minutes
  const records = Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
    .filter(([, r]) => r.Type === 'AWS::Route53::RecordSet').map(([id]) => id);
  expect(records).toHaveLength(5);
  // After the records, and (as every custom resource of the identity) after the identities' policy.
  const policy = Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.PolicyName === 'PinpointEmailEmailIdentity').map(([id]) => id);
  expect(policy).toHaveLength(1);
  expect([...chain[0][1].DependsOn].sort()).toEqual([...records, ...policy].sort());
  const test = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
    .find((r) => r.Type === 'Custom::PinpointEmailDeliverabilityTest');
  expect(test.DependsOn).toEqual(expect.arrayContaining(chain.map(([id]) => id)));
  expect(identity.waitForVerification()).toBe(identity.waitForVerification());
});

test.each([
  [Duration.millis(500), 'timeout 0.5 seconds is invalid'],
  [Duration.hours(2), 'timeout 7200 seconds is invalid'],
])('a timeout of %s fails synthesis, naming the construct and the prop', (timeout, message) => {
  const stack = newStack();
  new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') }).waitForVerification({ timeout });
  expect(() => Template.fromStack(stack)).toThrow(new RegExp(`\\[Mail/Domain/Verification\\] ${message.replace('.', '\\.')}: waitForVerification waits at least 1 second and at most 1 hour`));
});

test('two different timeouts for one identity fail synthesis', () => {
  const stack = newStack();
  const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
  identity.waitForVerification({ timeout: Duration.minutes(10) });
  identity.waitForVerification({ timeout: Duration.minutes(20) });
  expect(() => Template.fromStack(stack)).toThrow(/\[Mail\/Domain\] timeout: waitForVerification was called twice with different timeouts \(600 and 1200 seconds\)/);
});

test('the identity exposes the verification state read by its last create or update', () => {
  const stack = newStack();
  const identity = new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });
  expect(stack.resolve(identity.verifiedForSending)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Domain/), 'VerifiedForSendingStatus'] });
  expect(stack.resolve(identity.dkimStatus)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Domain/), 'DkimStatus'] });
});
