/**
 * A consumer in another region or account gets the names and ARNs known at synth, as with aws-ses: no export, no
 * ExportsReader custom resource, no "cannot reference across environments" error.
 */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigurationSet, DedicatedIpPool, EmailIdentity, Identity } from '../src';

function producerAndConsumer(consumerEnv: { account: string; region: string }) {
  const app = new App();
  const producer = new Stack(app, 'Producer', { env: { account: '111111111111', region: 'us-east-1' } });
  const consumer = new Stack(app, 'Consumer', { env: consumerEnv });
  const pool = new DedicatedIpPool(producer, 'Pool', { dedicatedIpPoolName: 'transactional' });
  const named = new ConfigurationSet(producer, 'Named', { configurationSetName: 'orders', dedicatedIpPool: pool });
  const generated = new ConfigurationSet(producer, 'Generated');
  const identity = new EmailIdentity(producer, 'Domain', { identity: Identity.domain('example.com') });
  const values = {
    setName: named.configurationSetName,
    setArn: named.configurationSetArn,
    generatedName: generated.configurationSetName,
    poolName: pool.dedicatedIpPoolName,
    poolArn: pool.dedicatedIpPoolArn,
    identityName: identity.emailIdentityName,
    identityArn: identity.emailIdentityArn,
  };
  for (const [id, value] of Object.entries(values)) new CfnOutput(consumer, id, { value });
  return { producer, consumer };
}

test.each([
  ['another region', { account: '111111111111', region: 'eu-west-1' }],
  ['another account', { account: '222222222222', region: 'us-east-1' }],
])('a consumer in %s gets the names and ARNs as literals', (_what, env) => {
  const { producer, consumer } = producerAndConsumer(env);
  const outputs = Template.fromStack(consumer).toJSON().Outputs;

  expect(outputs.setName.Value).toBe('orders');
  expect(outputs.poolName.Value).toBe('transactional');
  expect(outputs.identityName.Value).toBe('example.com');
  expect(outputs.generatedName.Value).toMatch(/^Producer-[0-9a-f]{6}-Generated[0-9A-F]{8}$/);
  expect(JSON.stringify(outputs.setArn.Value)).toContain(':111111111111:configuration-set/orders');
  expect(JSON.stringify(outputs.poolArn.Value)).toContain(':111111111111:dedicated-ip-pool/transactional');
  expect(JSON.stringify(outputs.identityArn.Value)).toContain(':111111111111:identity/example.com');
  expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toMatch(/ImportValue|ExportsReader/);
  expect(Template.fromStack(producer).toJSON().Outputs ?? {}).toEqual({});
});

test('within the same environment the name stays the Ref, so the consumer depends on the resource', () => {
  const app = new App();
  const stack = new Stack(app, 'Same');
  const set = new ConfigurationSet(stack, 'Named', { configurationSetName: 'orders' });
  new CfnOutput(stack, 'Name', { value: set.configurationSetName });
  expect(Template.fromStack(stack).toJSON().Outputs.Name.Value).toEqual({ Ref: expect.stringMatching(/^Named/) });
});
