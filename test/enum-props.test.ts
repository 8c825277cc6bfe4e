/**
 * Enum-typed props from plain JavaScript (or any caller that bypasses the TypeScript types): a value that is not a
 * member of the enum fails synthesis with the construct path and the prop, like every other prop check, instead of
 * reaching the template and failing at deploy. Members passed as their string values are accepted, since that is
 * what the enum members are at run time.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  ConfigurationSet, DedicatedIpPool, DeliverabilityDashboard, EmailApi, EmailApiVersion, EmailIdentity, HttpsPolicy, Identity,
  MailFromBehaviorOnMxFailure, ScalingMode, SuppressionReasons, TlsPolicy,
} from '../src';

/** Props as a JavaScript caller can pass them. */
type Untyped = any;

interface EnumProp {
  readonly name: string;
  /** Builds the construct at `scope/Subject` with `value` as the prop. */
  readonly build: (scope: Construct, value: unknown) => void;
  readonly valid: unknown[];
  readonly message: string;
}

const REMOVAL_POLICY_MEMBERS = 'RemovalPolicy.DESTROY, RemovalPolicy.RETAIN, RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE';

const ENUM_PROPS: EnumProp[] = [
  {
    name: 'ConfigurationSet tlsPolicy',
    build: (scope, value) => new ConfigurationSet(scope, 'Subject', { tlsPolicy: value } as Untyped),
    valid: [TlsPolicy.REQUIRE, 'OPTIONAL'],
    message: 'tlsPolicy "require" is not a TlsPolicy: use one of TlsPolicy.REQUIRE, TlsPolicy.OPTIONAL',
  },
  {
    name: 'EmailIdentity mailFromBehaviorOnMxFailure',
    build: (scope, value) => new EmailIdentity(scope, 'Subject', {
      identity: Identity.domain('example.com'), mailFromDomain: 'mail.example.com', mailFromBehaviorOnMxFailure: value,
    } as Untyped),
    valid: [MailFromBehaviorOnMxFailure.REJECT_MESSAGE, 'USE_DEFAULT_VALUE'],
    message: 'mailFromBehaviorOnMxFailure "require" is not a MailFromBehaviorOnMxFailure: use one of '
      + 'MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE, MailFromBehaviorOnMxFailure.REJECT_MESSAGE',
  },
  // Props that only the SES API v2 has, on a stack that uses it.
  {
    name: 'ConfigurationSet customTrackingHttpsPolicy',
    build: (scope, value) => new ConfigurationSet(onSesV2(scope), 'Subject', { customTrackingRedirectDomain: 'links.example.com', customTrackingHttpsPolicy: value } as Untyped),
    valid: [HttpsPolicy.REQUIRE_OPEN_ONLY, 'REQUIRE'],
    message: 'customTrackingHttpsPolicy "require" is not a HttpsPolicy: use one of HttpsPolicy.REQUIRE, HttpsPolicy.REQUIRE_OPEN_ONLY, HttpsPolicy.OPTIONAL',
  },
  {
    name: 'ConfigurationSet suppressionReasons',
    build: (scope, value) => new ConfigurationSet(onSesV2(scope), 'Subject', { suppressionReasons: value } as Untyped),
    valid: [SuppressionReasons.BOUNCES_ONLY, 'COMPLAINTS_ONLY'],
    message: 'suppressionReasons "require" is not a SuppressionReasons: use one of SuppressionReasons.BOUNCES_AND_COMPLAINTS, '
      + 'SuppressionReasons.BOUNCES_ONLY, SuppressionReasons.COMPLAINTS_ONLY',
  },
  {
    name: 'DedicatedIpPool scalingMode',
    build: (scope, value) => new DedicatedIpPool(onSesV2(scope), 'Subject', { scalingMode: value } as Untyped),
    valid: [ScalingMode.MANAGED, 'STANDARD'],
    message: 'scalingMode "require" is not a ScalingMode: use one of ScalingMode.STANDARD, ScalingMode.MANAGED',
  },
  ...[
    ['ConfigurationSet', (scope: Construct, value: unknown) => new ConfigurationSet(scope, 'Subject', { removalPolicy: value } as Untyped)],
    ['DedicatedIpPool', (scope: Construct, value: unknown) => new DedicatedIpPool(scope, 'Subject', { removalPolicy: value } as Untyped)],
    ['EmailIdentity', (scope: Construct, value: unknown) =>
      new EmailIdentity(scope, 'Subject', { identity: Identity.domain('example.com'), removalPolicy: value } as Untyped)],
    ['DeliverabilityDashboard', (scope: Construct, value: unknown) => new DeliverabilityDashboard(scope, 'Subject', { removalPolicy: value } as Untyped)],
  ].map(([construct, build]) => ({
    name: `${construct} removalPolicy`,
    build: build as EnumProp['build'],
    valid: [RemovalPolicy.RETAIN, 'destroy'],
    message: `removalPolicy "require" is not a RemovalPolicy: use one of ${REMOVAL_POLICY_MEMBERS}`,
  })),
];

/** `scope`, after choosing the SES API v2 for its stack. */
function onSesV2(scope: Construct): Construct {
  EmailApi.use(Stack.of(scope), EmailApiVersion.SES_V2);
  return scope;
}

function synthErrors(build: (scope: Construct) => void): string {
  const stack = new Stack(new App(), 'Demo');
  build(new Construct(stack, 'Group'));
  try {
    Template.fromStack(stack);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe.each(ENUM_PROPS)('$name', ({ build, valid, message }) => {
  test('a string that is not a member fails synthesis, naming the construct path and the prop', () => {
    expect(synthErrors((scope) => build(scope, 'require'))).toContain(`[Demo/Group/Subject] ${message}`);
  });

  test.each([42, { value: 'REQUIRE' }, ''])('%p fails synthesis', (value) => {
    expect(synthErrors((scope) => build(scope, value))).toMatch(/\[Demo\/Group\/Subject\] \w+ .* is not a \w+: use one of/);
  });

  test.each(valid)('the member %p synthesizes', (value) => {
    expect(synthErrors((scope) => build(scope, value))).toBe('');
  });

  test('leaving it out synthesizes', () => {
    expect(synthErrors((scope) => build(scope, undefined))).toBe('');
  });
});
