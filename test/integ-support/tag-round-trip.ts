/**
 * The tag round trip of the integration tests: the stack under test is deployed with the tags of phase `create`; the
 * assertions read them back, update the stack to phase `update` (a CloudFormation UpdateStack with the same template,
 * so the handler gets Update events), wait for it, and read the tags again.
 *
 * Phase `update` changes one tag value (`phase`), replaces one key with another (`stage-create` by `stage-update`:
 * an UntagResource and a TagResource) and keeps one (`team`).
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { CfnParameter, DefaultStackSynthesizer, Duration, Fn, Stack } from 'aws-cdk-lib';

const PHASE_PARAMETER = 'Phase';
const PHASES = ['create', 'update'] as const;
type Phase = typeof PHASES[number];

/** The stack's `Phase` parameter: `create` when integ-runner deploys it, `update` after the assertions update it. */
export function phaseOf(stack: Stack): string {
  const existing = stack.node.tryFindChild(PHASE_PARAMETER) as CfnParameter | undefined;
  return (existing ?? new CfnParameter(stack, PHASE_PARAMETER, {
    type: 'String',
    default: 'create',
    allowedValues: [...PHASES],
    description: 'Set to "update" by the integration test assertions, to exercise an in-place update',
  })).valueAsString;
}

/** The tags of a resource under test, for the stack's phase. */
export function phasedTags(stack: Stack): Record<string, string> {
  const phase = phaseOf(stack);
  return { team: 'mail', phase, [`stage-${phase}`]: 'yes' };
}

function expectedTags(phase: Phase): Array<{ Key: string; Value: string }> {
  return [{ Key: 'team', Value: 'mail' }, { Key: 'phase', Value: phase }, { Key: `stage-${phase}`, Value: 'yes' }];
}

/**
 * One ListTagsForResource per expected tag (the API gives no order, and `arrayWith` is ordered), chained after
 * `after`; returns the last call.
 */
function expectTags(integ: IntegTest, arns: string[], phase: Phase, after: IApiCall | undefined): IApiCall | undefined {
  let last = after;
  for (const arn of arns) {
    for (const tag of expectedTags(phase)) {
      const call = integ.assertions.awsApiCall('PinpointEmail', 'ListTagsForResource', { ResourceArn: arn })
        .expect(ExpectedResult.objectLike({ Tags: Match.arrayWith([tag]) }));
      last = last ? last.next(call) : call;
    }
  }
  return last;
}

/**
 * The assertions of the round trip for the resources at `arns` (ARNs in the stack under test), chained after `after`
 * when given.
 */
export function tagRoundTrip(integ: IntegTest, stack: Stack, arns: string[], after?: IApiCall): IApiCall {
  const created = expectTags(integ, arns, 'create', after)!;

  // CloudFormation performs the update with the CDK bootstrap's execution role, as `cdk deploy` does.
  const synthesizer = stack.synthesizer as DefaultStackSynthesizer;
  const executionRole = Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
  const update = integ.assertions.awsApiCall('CloudFormation', 'UpdateStack', {
    StackName: stack.stackName,
    UsePreviousTemplate: true,
    Parameters: [{ ParameterKey: PHASE_PARAMETER, ParameterValue: 'update' }],
    Capabilities: ['CAPABILITY_IAM'],
    RoleARN: executionRole,
  });
  update.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [executionRole] });

  const updated = integ.assertions.awsApiCall('CloudFormation', 'DescribeStacks', { StackName: stack.stackName })
    .expect(ExpectedResult.objectLike({ Stacks: Match.arrayWith([Match.objectLike({ StackStatus: 'UPDATE_COMPLETE' })]) }))
    .waitForAssertions({ totalTimeout: Duration.minutes(20), interval: Duration.seconds(20) });

  created.next(update).next(updated);
  return expectTags(integ, arns, 'update', updated)!;
}
