/**
 * cdk-nag's AwsSolutions pack finds nothing in stacks with every construct: what cannot be fixed (IAM5 on the wildcard
 * resources of the handler's policy, and on IAM's escape `${*}` of a literal `*`, which cdk-nag takes for one) is
 * acknowledged by the library, on the policy only, each with its reason.
 */
import { App, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { addEveryConstruct } from '../examples/every-construct';
import {
  CloudWatchDimensionSource, ConfigurationSet, DedicatedIpPool, DeliverabilityTest, DkimIdentity, EasyDkimSigningKeyLength, EmailApi, EmailApiVersion,
  EmailIdentity, EventDestination, Identity, ScalingMode, SuppressionReasons, TestContent,
} from '../src';

type Json = any;

const ENV = { account: '123456789012', region: 'us-east-1' };
const ARN = 'arn:<AWS::Partition>:ses:us-east-1:123456789012';
/** The reason of the patterns granted by ownership tag. */
const OWNED_REASON = /^Limited by the condition aws:ResourceTag\/cdk-pinpoint-email:owner to resources that this stack created/;
const OWNED_REASON_ANYWHERE = new RegExp(OWNED_REASON.source.slice(1));
const CONTENT = TestContent.simple({ subject: 'Hello', text: 'Hi there' });

/** Every construct (examples/every-construct.ts). */
function everyConstruct(props: StackProps = { env: ENV }): Stack {
  const stack = new Stack(new App(), 'Nag', props);
  addEveryConstruct(stack);
  return stack;
}

/** cdk-nag's findings after synthesis (aspects and lazy values resolved), as `severity rule path` lines. */
function findings(stack: Stack): string[] {
  App.of(stack)!.synth();
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} ${resource.constructPath}`));
}

/** Constructs that carry acknowledgements, and what each acknowledges with which reason. */
function acknowledgements(scope: IConstruct): Map<string, Record<string, string>> {
  const found = new Map<string, Record<string, string>>();
  for (const construct of scope.node.findAll()) {
    const entries = construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    if (entries.length > 0) found.set(construct.node.path, Object.assign({}, ...entries.map((entry) => entry.data)));
  }
  return found;
}

/**
 * A CloudFormation string as cdk-nag writes it in a finding: `Fn::Join` concatenated, an `Fn::Sub` string as it is,
 * `Ref` as `<Name>`, and `${...}` of literal text as `<...>`.
 */
function asNagText(value: Json): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value['Fn::Sub'] === 'string') return asNagText(value['Fn::Sub']);
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(asNagText).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

/**
 * The IAM5 findings that each of the handler's policies would give without acknowledgements (one per wildcard
 * resource), by the policy's construct path; policies without a wildcard are left out.
 */
function wildcardFindingsByPolicy(stack: Stack): Map<string, string[]> {
  App.of(stack)!.synth();
  const found = new Map<string, string[]>();
  for (const policy of stack.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)) {
    const document = stack.resolve(policy.policyDocument) as Json;
    const resources = (document.Statement as Json[]).flatMap((statement) => [statement.Resource].flat());
    const wildcards = [...new Set(resources.map(asNagText).filter((text) => text.includes('*')))].map((text) => `AwsSolutions-IAM5[Resource::${text}]`).sort();
    if (wildcards.length > 0) found.set(policy.node.path, wildcards);
  }
  return found;
}

/** Every IAM5 finding of the handler's policies, once each. */
function wildcardFindings(stack: Stack): string[] {
  return [...new Set([...wildcardFindingsByPolicy(stack).values()].flat())].sort();
}

/** The acknowledgements of every policy, merged (a finding on two policies keeps the reasons of both). */
function allAcknowledged(stack: Stack): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const rules of acknowledgements(stack).values()) {
    for (const [id, reason] of Object.entries(rules)) merged[id] = merged[id] ? `${merged[id]} ${reason}` : reason;
  }
  return merged;
}

/** Each policy acknowledges exactly its own findings. */
function expectAcknowledgedPerPolicy(stack: Stack): void {
  const acknowledged = acknowledgements(stack);
  const byPolicy = wildcardFindingsByPolicy(stack);
  expect([...acknowledged.keys()].sort()).toEqual([...byPolicy.keys()].sort());
  for (const [path, wildcards] of byPolicy) expect(Object.keys(acknowledged.get(path)!).sort()).toEqual(wildcards);
}

describe('AwsSolutionsChecks', () => {
  test('finds nothing in a stack with every construct (no error, no warning)', () => {
    expect(findings(everyConstruct())).toEqual([]);
  });

  test('finds nothing with event destinations of each kind, on a set of the stack and on an imported one', () => {
    const stack = everyConstruct();
    const set = new ConfigurationSet(stack, 'DestinationsSet', { configurationSetName: 'with-destinations' });
    const masterKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
    set.addEventDestination('Bounces', { destination: EventDestination.snsTopic(new sns.Topic(stack, 'Topic', { enforceSSL: true, masterKey })) });
    set.addEventDestination('Archive', {
      destination: EventDestination.firehoseDeliveryStream(
        firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream', 'arn:aws:firehose:us-east-1:123456789012:deliverystream/events')),
    });
    const imported = ConfigurationSet.fromConfigurationSetName(stack, 'ImportedSet', 'shared');
    imported.addEventDestination('Metrics', {
      destination: EventDestination.cloudWatchDimensions([{ name: 'campaign', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' }]),
    });
    imported.addEventDestination('Segments', { destination: EventDestination.pinpointApplication('arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd') });

    expect(findings(stack)).toEqual([]);
  });

  test('finds nothing on the SES API v2, with its options and an EventBridge destination (its actions are granted on the same ARNs)', () => {
    const stack = everyConstruct();
    EmailApi.use(stack, EmailApiVersion.SES_V2);
    new DedicatedIpPool(stack, 'ManagedPool', { dedicatedIpPoolName: 'managed', scalingMode: ScalingMode.MANAGED });
    new ConfigurationSet(stack, 'SesV2Set', {
      configurationSetName: 'ses-v2',
      suppressionReasons: SuppressionReasons.BOUNCES_ONLY,
      vdmOptions: { engagementMetrics: true },
      maxDeliveryDuration: Duration.hours(1),
    }).addEventDestination('Bus', { destination: EventDestination.eventBus(events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default')) });

    expect(findings(stack)).toEqual([]);
    expectAcknowledgedPerPolicy(stack);
  });

  test('finds nothing on SES v2 with a default configuration set, Easy DKIM\'s key length and BYODKIM keys in secrets', () => {
    const stack = everyConstruct();
    EmailApi.use(stack, EmailApiVersion.SES_V2);
    const configurationSet = new ConfigurationSet(stack, 'DefaultSet', { configurationSetName: 'default-set' });
    new EmailIdentity(stack, 'EasyDkim', {
      identity: Identity.domain('easy.example.com'), configurationSet, dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_1024_BIT),
    });
    const encryptionKey = new kms.Key(stack, 'DkimKeyKey', { enableKeyRotation: true });
    const secrets = [
      secretsmanager.Secret.fromSecretAttributes(stack, 'EncryptedKey', {
        secretCompleteArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dkim-AbCdEf', encryptionKey,
      }),
      secretsmanager.Secret.fromSecretNameV2(stack, 'KeyByName', 'dkim-by-name'),
    ];
    secrets.forEach((privateKey, i) => new EmailIdentity(stack, `Byo${i}`, {
      identity: Identity.domain(`byo${i}.example.com`), dkimIdentity: DkimIdentity.byoDkim({ privateKey, selector: 'mail' }),
    }));

    expect(findings(stack)).toEqual([]);
  });

  test('finds nothing in an environment-agnostic stack (the ARNs name <AWS::Region> and <AWS::AccountId>)', () => {
    expect(findings(everyConstruct({}))).toEqual([]);
  });

  test('finds nothing when a type is granted as a pattern to fit the size limit', () => {
    const stack = everyConstruct();
    for (let i = 0; i < 150; i++) new ConfigurationSet(stack, `Tenant${i}`, { configurationSetName: `tenant-${i}` });

    expect(findings(stack)).toEqual([]);
  });

  test('the Lambda runtime is the latest one, so AwsSolutions-L1 needs no acknowledgement', () => {
    const stack = everyConstruct();
    const acknowledged = [...acknowledgements(stack).values()].flatMap((rules) => Object.keys(rules));
    expect(acknowledged.every((id) => id.startsWith('AwsSolutions-IAM5[Resource::'))).toBe(true);
    expect(findings(stack)).toEqual([]);
  });
});

describe('acknowledgements', () => {
  test('are on the handler\'s policies only, one per wildcard resource of each policy, each with its reason', () => {
    const stack = everyConstruct();
    const wildcards = wildcardFindings(stack);

    // The stack prefix of "Nag": sha256("Nag") starts with af0db2.
    expect(wildcards).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::${ARN}:configuration-set/*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:configuration-set/Nag-af0db2-*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:dedicated-ip-pool/*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:dedicated-ip-pool/nag-af0db2-*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:deliverability-test-report/*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:identity/*]`,
    ]);
    // The policies of each set's destinations grant exact ARNs only: nothing to acknowledge there.
    expect([...acknowledgements(stack).keys()].sort()).toEqual([
      'Nag/PinpointEmailProvider/Policy/AccountSettings',
      'Nag/PinpointEmailProvider/Policy/ConfigurationSet',
      'Nag/PinpointEmailProvider/Policy/ConfigurationSetEventDestination',
      'Nag/PinpointEmailProvider/Policy/DedicatedIp',
      'Nag/PinpointEmailProvider/Policy/DedicatedIpPool',
      'Nag/PinpointEmailProvider/Policy/DeliverabilityDashboard',
      'Nag/PinpointEmailProvider/Policy/DeliverabilityTest',
      'Nag/PinpointEmailProvider/Policy/EmailIdentity',
    ]);
    expectAcknowledgedPerPolicy(stack);
    const rules = allAcknowledged(stack);
    expect(rules['AwsSolutions-IAM5[Resource::*]']).toMatch(/^Only for operations without resource-level permissions \(ses:GetDeliverabilityDashboardOptions, /);
    expect(rules[`AwsSolutions-IAM5[Resource::${ARN}:configuration-set/Nag-af0db2-*]`])
      .toMatch(/^Generated names of this stack all start with the stack prefix/);
    expect(rules[`AwsSolutions-IAM5[Resource::${ARN}:deliverability-test-report/*]`])
      .toMatch(/^Report ids are generated by Amazon Pinpoint when the report is created/);
    for (const type of ['configuration-set', 'dedicated-ip-pool', 'identity', 'deliverability-test-report']) {
      expect(rules[`AwsSolutions-IAM5[Resource::${ARN}:${type}/*]`]).toMatch(OWNED_REASON_ANYWHERE);
      expect(rules[`AwsSolutions-IAM5[Resource::${ARN}:${type}/*]`])
        .toMatch(/Exact ARNs cannot be used: CloudFormation updates this policy before it deletes removed resources/);
    }
  });

  test('a stack with named resources only acknowledges the patterns granted by ownership tag', () => {
    const stack = new Stack(new App(), 'Nag', { env: ENV });
    new ConfigurationSet(stack, 'Set', { configurationSetName: 'transactional' });
    new EmailIdentity(stack, 'Domain', { identity: Identity.domain('example.com') });

    expect(wildcardFindings(stack)).toEqual([
      `AwsSolutions-IAM5[Resource::${ARN}:configuration-set/*]`,
      `AwsSolutions-IAM5[Resource::${ARN}:identity/*]`,
    ]);
    expectAcknowledgedPerPolicy(stack);
    for (const reason of Object.values(allAcknowledged(stack))) expect(reason).toMatch(OWNED_REASON);
    expect(findings(stack)).toEqual([]);
  });

  test('"*" and "?" in an identity and a sender: their escapes are no wildcards, and nothing is found or thrown', () => {
    const stack = new Stack(new App(), 'Nag', { env: ENV });
    new EmailIdentity(stack, 'Address', { identity: Identity.email('a*b@example.com') });
    new DeliverabilityTest(stack, 'Test', { fromEmailAddress: 'x?y@example.com', content: CONTENT });

    // The template writes `${*}` as `${!*}` (in an Fn::Sub), which cdk-nag writes `<!*>` and counts as a wildcard;
    // `${!?}` has no `*`, so it finds nothing there.
    const escaped = `AwsSolutions-IAM5[Resource::${ARN}:identity/a<!*>b@example.com]`;
    expect(wildcardFindings(stack)).toContain(escaped);
    expect(wildcardFindings(stack).filter((finding) => finding.includes('x<!?>y'))).toEqual([]);
    expectAcknowledgedPerPolicy(stack);
    const rules = allAcknowledged(stack);
    expect(rules[escaped]).toMatch(/^Not a wildcard: this \* is a literal character of a declared name, written as IAM.s escape \$\{\*\}/);
    expect(findings(stack)).toEqual([]);
  });

  test('the size-limit pattern is acknowledged with the limit as its reason', () => {
    const stack = new Stack(new App(), 'Nag', { env: ENV });
    for (let i = 0; i < 150; i++) new ConfigurationSet(stack, `Tenant${i}`, { configurationSetName: `tenant-${i}` });

    expectAcknowledgedPerPolicy(stack);
    const rules = acknowledgements(stack).get('Nag/PinpointEmailProvider/Policy/ConfigurationSet')!;
    // The same pattern is also granted by ownership tag: one finding, both reasons.
    const reason = rules[`AwsSolutions-IAM5[Resource::${ARN}:configuration-set/*]`];
    expect(reason).toMatch(OWNED_REASON);
    expect(reason).toMatch(/ The exact configuration-set ARNs of this stack would take the handler's policies past IAM's limit of 10240 characters/);
  });
});

test('each acknowledgement is recorded once, however many constructs share the wildcard', () => {
  const stack = new Stack(new App(), 'Nag', { env: ENV });
  for (let i = 0; i < 20; i++) new ConfigurationSet(stack, `Set${i}`);

  const policy = stack.node.findChild('PinpointEmailProvider').node.findChild('Policy').node.findChild('ConfigurationSet');
  const entries = policy.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  expect(entries).toHaveLength(1);
  expect(findings(stack)).toEqual([]);
});
