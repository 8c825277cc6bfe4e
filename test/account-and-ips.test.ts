/**
 * Synthesis of DedicatedIpPool.dedicatedIps, EmailAccountSettings, the dashboard's inbox placement tracking and
 * TestContent.template: the rendered properties, and the synth-time checks (each naming the construct path and the prop,
 * skipped for tokens).
 */
import { Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DedicatedIpPool, DeliverabilityDashboard, DeliverabilityTest, EmailAccountSettings, TestContent } from '../src';
import { newStack, synthErrors } from './support/synth';

function propertiesOf(stack: Stack, type: string): Array<Record<string, unknown>> {
  return Object.values(Template.fromStack(stack).findResources(type)).map((r) => {
    const { ServiceToken: _token, ServiceTimeout: _timeout, ...properties } = r.Properties;
    return properties;
  });
}

describe('DedicatedIpPool.dedicatedIps', () => {
  test('one custom resource per IP, naming the pool by its Ref, with the pool\'s removal policy', () => {
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIpPoolName: 'marketing', dedicatedIps: ['192.0.2.10'], removalPolicy: RemovalPolicy.RETAIN });
    pool.addDedicatedIp('192.0.2.11', { warmupPercentage: 0 });

    const template = Template.fromStack(stack);
    const ips = Object.values(template.findResources('Custom::PinpointEmailDedicatedIp'));
    const poolId = Object.keys(template.findResources('Custom::PinpointEmailDedicatedIpPool'))[0];
    expect(ips.map((r) => [r.Properties.Ip, r.Properties.PoolName, r.Properties.WarmupPercentage, r.DeletionPolicy])).toEqual([
      ['192.0.2.10', { Ref: poolId }, undefined, 'Retain'],
      ['192.0.2.11', { Ref: poolId }, 0, 'Retain'],
    ]);
  });

  test('an IP keeps its logical id when it moves to another pool of the stack', () => {
    const logicalIds = (poolOfIp: string) => {
      const stack = newStack();
      for (const name of ['a', 'b']) new DedicatedIpPool(stack, name, { dedicatedIpPoolName: name, dedicatedIps: name === poolOfIp ? ['192.0.2.10'] : [] });
      return Object.keys(Template.fromStack(stack).findResources('Custom::PinpointEmailDedicatedIp'));
    };
    expect(logicalIds('a')).toEqual(logicalIds('b'));
  });

  test('IPv4 addresses only, once per stack, warm-up an integer from 0 to 100: every problem at once, named by path and prop', () => {
    const stack = newStack();
    const pool = new DedicatedIpPool(stack, 'Pool', { dedicatedIps: ['192.0.2.256', '2001:db8::1', '192.0.2.01', '192.0.2.1', '192.0.2.1'] });
    new DedicatedIpPool(stack, 'Other', { dedicatedIps: ['192.0.2.1'] });
    pool.addDedicatedIp('192.0.2.2', { warmupPercentage: 101 });
    pool.addDedicatedIp('192.0.2.3', { warmupPercentage: 2.5 });

    const errors = synthErrors(stack);
    expect(errors).toContain('[Demo/Pool] dedicatedIps: "192.0.2.256" is not an IPv4 address (four numbers from 0 to 255, without leading zeros)');
    expect(errors).toContain('[Demo/Pool] dedicatedIps: "2001:db8::1" is not an IPv4 address');
    expect(errors).toContain('[Demo/Pool] dedicatedIps: "192.0.2.01" is not an IPv4 address');
    expect(errors).toContain('[Demo/Pool] dedicatedIps: "192.0.2.1" is listed more than once');
    expect(errors).toContain('[Demo/Other] dedicatedIps: "192.0.2.1" is already in Demo/Pool; a dedicated IP sends from one pool only');
    expect(errors).toContain('[Demo/Pool] warmupPercentage of 192.0.2.2: 101 is not an integer from 0 to 100');
    expect(errors).toContain('[Demo/Pool] warmupPercentage of 192.0.2.3: 2.5 is not an integer from 0 to 100');
    expect(errors).not.toContain('"192.0.2.2"');
  });

  test('tokens are not checked', () => {
    const stack = newStack();
    new DedicatedIpPool(stack, 'Pool', { dedicatedIps: [Lazy.string({ produce: () => '192.0.2.9' })] })
      .addDedicatedIp('192.0.2.8', { warmupPercentage: Token.asNumber(Lazy.number({ produce: () => 50 })) });
    expect(synthErrors(stack)).toBe('');
  });
});

describe('EmailAccountSettings', () => {
  test('renders only the declared settings', () => {
    const stack = newStack();
    new EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: false });
    expect(propertiesOf(stack, 'Custom::PinpointEmailAccountSettings')).toEqual([{ SchemaVersion: '2', AutoWarmupEnabled: false }]);
  });

  test('one per stack: the second one fails synth, naming the first', () => {
    const stack = newStack();
    new EmailAccountSettings(stack, 'Account', { sendingEnabled: true });
    new EmailAccountSettings(stack, 'Again', { sendingEnabled: false });
    expect(synthErrors(stack)).toContain('[Demo/Again] a stack can have only one EmailAccountSettings, and Demo/Account is one already: the settings belong to the whole account and region');
  });
});

describe('DeliverabilityDashboard.inboxPlacementTracking', () => {
  test('renders each domain\'s option', () => {
    const stack = newStack();
    new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'], inboxPlacementTracking: { 'example.com': { global: true, trackedIsps: ['Gmail'] } } });
    expect(propertiesOf(stack, 'Custom::PinpointEmailDeliverabilityDashboard')).toEqual([{
      SchemaVersion: '2', SubscribedDomains: ['example.com'], InboxPlacementTracking: [{ Domain: 'example.com', Global: true, TrackedIsps: ['Gmail'] }],
    }]);
  });

  test('a domain that is not subscribed, an empty or repeated ISP fail synth', () => {
    const stack = newStack();
    new DeliverabilityDashboard(stack, 'Dashboard', {
      subscribedDomains: ['example.com'],
      inboxPlacementTracking: { 'example.org': { global: true }, 'example.com': { trackedIsps: ['Gmail', 'Gmail', ' '] } },
    });
    const errors = synthErrors(stack);
    expect(errors).toContain('[Demo/Dashboard] inboxPlacementTracking: "example.org" is not one of subscribedDomains');
    expect(errors).toContain('[Demo/Dashboard] inboxPlacementTracking: "example.com" lists trackedIsps "Gmail" more than once');
    expect(errors).toContain('[Demo/Dashboard] inboxPlacementTracking: "example.com" has an empty trackedIsps entry');
  });
});

describe('TestContent.template', () => {
  const ARN = 'arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/EMAIL';
  const declare = (stack: Stack, id: string, content: TestContent) => new DeliverabilityTest(stack, id, { fromEmailAddress: 'test@example.com', content });

  test('renders the template and its data', () => {
    const stack = newStack();
    declare(stack, 'Test', TestContent.template(ARN, '{"name":"Ana"}'));
    expect(propertiesOf(stack, 'Custom::PinpointEmailDeliverabilityTest')[0].Content).toEqual({ Template: { TemplateArn: ARN, TemplateData: '{"name":"Ana"}' } });
  });

  test('an ARN that is not an email template, data that is not a JSON object or too long fail synth; tokens are not checked', () => {
    const stack = newStack();
    declare(stack, 'Sms', TestContent.template('arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/SMS'));
    declare(stack, 'List', TestContent.template(ARN, '["Ana"]'));
    declare(stack, 'Long', TestContent.template(ARN, JSON.stringify({ v: 'x'.repeat(262_144) })));
    declare(stack, 'Token', TestContent.template(Lazy.string({ produce: () => 'x' }), Lazy.string({ produce: () => 'y' })));
    const errors = synthErrors(stack);
    expect(errors).toContain('[Demo/Sms] content: TestContent.template templateArn "arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/SMS" is not the ARN of an Amazon Pinpoint email template');
    expect(errors).toContain('[Demo/List] content: TestContent.template templateData must be a JSON object of the template\'s variables');
    expect(errors).toContain('[Demo/Long] content: TestContent.template templateData has 262152 characters; at most 262144');
    expect(errors).not.toContain('Demo/Token');
  });
});
