/**
 * Integration test for real accounts (see docs/integ-tests.md): a dedicated IP pool and a configuration set that sends
 * through it, both with generated names and tags. Free of charge: no dedicated IP is leased, no email is sent.
 *
 * Asserts after deploy and after an in-place update: the tags of both (ListTagsForResource), and the set's pool and
 * TLS policy (GetConfigurationSet).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { ConfigurationSet, DedicatedIpPool, TlsPolicy } from '../src';
import { phasedTags, tagRoundTrip } from './integ-support/tag-round-trip';

// No stack traces in the metadata: the committed snapshot must not depend on where it was synthesized.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'PinpointEmailIntegConfigurationSet');

const pool = new DedicatedIpPool(stack, 'Pool', { tags: phasedTags(stack) });
const set = new ConfigurationSet(stack, 'Set', {
  dedicatedIpPool: pool,
  tlsPolicy: TlsPolicy.REQUIRE,
  reputationMetrics: true,
  tags: phasedTags(stack),
});

const integ = new IntegTest(app, 'ConfigurationSet', { testCases: [stack] });
const options = integ.assertions.awsApiCall('PinpointEmail', 'GetConfigurationSet', { ConfigurationSetName: set.configurationSetName })
  .expect(ExpectedResult.objectLike({
    DeliveryOptions: { TlsPolicy: 'REQUIRE', SendingPoolName: pool.dedicatedIpPoolName },
    ReputationOptions: { ReputationMetricsEnabled: true },
  }));
tagRoundTrip(integ, stack, [set.configurationSetArn, pool.dedicatedIpPoolArn], options);
