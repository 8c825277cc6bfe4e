import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeliverabilityDashboard, DeliverabilityTest, TestContent } from '../src';
import { newStack, synthErrors } from './support/synth';

const TYPE = 'Custom::PinpointEmailDeliverabilityDashboard';

function newTest(stack: Stack, id: string): DeliverabilityTest {
  return new DeliverabilityTest(stack, id, { fromEmailAddress: 'test@example.com', content: TestContent.simple({ subject: 's', text: 't' }) });
}

test('renders the domains, and is disabled on removal by default', () => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com', 'example.org'] });

  const resources = Object.values(Template.fromStack(stack).findResources(TYPE));
  expect(resources).toHaveLength(1);
  const { ServiceToken: _token, ...properties } = resources[0].Properties;
  expect(properties).toEqual({ ServiceTimeout: '660', SchemaVersion: '2', SubscribedDomains: ['example.com', 'example.org'] });
  expect(resources[0]).not.toHaveProperty('DeletionPolicy'); // Delete, CloudFormation's default for a custom resource
});

test('omits the domains when there are none, and RETAIN keeps it enabled', () => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'Dashboard', { removalPolicy: RemovalPolicy.RETAIN });

  const resource = Object.values(Template.fromStack(stack).findResources(TYPE))[0];
  expect(resource.Properties.SubscribedDomains).toBeUndefined();
  expect(resource.DeletionPolicy).toBe('Retain');
});

test('grants Get and Put on "*", the only resource these actions accept', () => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'Dashboard');

  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
  expect(statements).toEqual([{
    Sid: 'AccountLevelOperations',
    Action: ['ses:GetDeliverabilityDashboardOptions', 'ses:PutDeliverabilityDashboardOption'],
    Effect: 'Allow',
    Resource: '*',
  }]);
});

test('tests of the stack are created after the dashboard, whichever is declared first', () => {
  const stack = newStack();
  const before = newTest(stack, 'Before');
  const dashboard = new DeliverabilityDashboard(stack, 'Dashboard');
  const after = newTest(stack, 'After');

  const template = Template.fromStack(stack).toJSON();
  const dashboardId = stack.getLogicalId(dashboard.node.defaultChild as CfnResource);
  for (const test of [before, after]) {
    expect(template.Resources[stack.getLogicalId(test.node.defaultChild as CfnResource)].DependsOn).toContain(dashboardId);
  }
});

test('a stack has at most one dashboard', () => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'One');
  new DeliverabilityDashboard(stack, 'Two');

  expect(synthErrors(stack)).toContain('[Demo/Two] a stack can have only one DeliverabilityDashboard, and Demo/One is one already');
});

test.each([
  ['not a domain', 'localhost', '"localhost" is not a domain name'],
  ['an address', 'test@example.com', '"test@example.com" is not a domain name'],
  ['twice', 'example.com', '"EXAMPLE.com" is listed more than once'],
])('a subscribed domain that is %s fails synth', (_name, domain, message) => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: _name === 'twice' ? [domain, 'EXAMPLE.com'] : [domain] });

  expect(synthErrors(stack)).toContain(`[Demo/Dashboard] subscribedDomains: ${message}`);
});

test('valid domains pass', () => {
  const stack = newStack();
  new DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com', 'mail.xn--bcher-kva.example'] });
  expect(synthErrors(stack)).toBe('');
});
