/**
 * OPT-IN integration test for real accounts (see docs/integ-tests.md): it costs money and needs a verified sender.
 *
 * - `DeliverabilityDashboard` enables the account's Deliverability dashboard, a paid monthly subscription, unless it is
 *   enabled already (then it is left as it is, and left enabled on destroy).
 * - `DeliverabilityTest` creates a predictive inbox placement test report from the sender stored in the SSM parameter
 *   `/cdk-pinpoint-email/integ/sender`, which must be a verified identity (or an address of a verified domain) of the
 *   account and region. A report cannot be deleted: it stays in the account after the test.
 *
 * Asserts after deploy and after an in-place update: the dashboard is enabled (GetDeliverabilityDashboardOptions), and
 * the report's tags (ListTagsForResource).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { DeliverabilityDashboard, DeliverabilityTest, TestContent } from '../src';
import { phasedTags, tagRoundTrip } from './integ-support/tag-round-trip';

const SENDER_PARAMETER = '/cdk-pinpoint-email/integ/sender';

// No stack traces in the metadata: the committed snapshot must not depend on where it was synthesized.
const app = new App({ stackTraces: false, context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'PinpointEmailIntegDeliverability');

new DeliverabilityDashboard(stack, 'Dashboard');
const test = new DeliverabilityTest(stack, 'Test', {
  fromEmailAddress: ssm.StringParameter.valueForStringParameter(stack, SENDER_PARAMETER),
  reportName: 'cdk-pinpoint-email integration test',
  content: TestContent.simple({ subject: 'cdk-pinpoint-email integration test', text: 'An inbox placement test.' }),
  tags: phasedTags(stack),
});

const integ = new IntegTest(app, 'Deliverability', { testCases: [stack] });
const dashboard = integ.assertions.awsApiCall('PinpointEmail', 'GetDeliverabilityDashboardOptions', {})
  .expect(ExpectedResult.objectLike({ DashboardEnabled: true }));
tagRoundTrip(integ, stack, [test.reportArn], dashboard);
