/**
 * Measurement 3, API calls per lifecycle event: each construct alone in a stack, deployed through the lifecycle driver
 * (the bundled handler) against the local Pinpoint Email service: create, no-op update, tag-only update, option update,
 * replacement, delete. Each step counts the calls the service recorded during it and compares them with the fewest
 * calls the API allows for the same outcome.
 */
import { Stack } from 'aws-cdk-lib';
import { VERIFIED_SENDER_DOMAIN, DeliverabilityTestAvailability, synthTemplate } from './stacks';
import { ConfigurationSet, ConfigurationSetProps, TlsPolicy } from '../src/configuration-set';
import { ConfigurationSetEventDestinationOptions, EmailSendingEvent, EventDestination } from '../src/configuration-set-event-destination';
import { DedicatedIpPool, DedicatedIpPoolProps } from '../src/dedicated-ip-pool';
import { DeliverabilityDashboard, DeliverabilityDashboardProps } from '../src/deliverability-dashboard';
import { EmailAccountSettings, EmailAccountSettingsProps } from '../src/email-account-settings';
import { EmailIdentity, EmailIdentityProps, Identity, MailFromBehaviorOnMxFailure } from '../src/email-identity';
import { DriverResult, LifecycleDriver } from '../test/support/lifecycle-driver';
import { AccountState, LocalPinpointEmailService, RecordedCall } from '../test/support/local-service';

export const LIFECYCLE_EVENTS = ['create', 'no-op update', 'tag-only update', 'option update', 'replacement', 'delete'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export interface ApiCallRow {
  readonly construct: string;
  readonly event: LifecycleEvent;
  /** false: the event cannot happen for this construct (see `note`), or the construct is a gap. */
  readonly measured: boolean;
  readonly note?: string;
  readonly calls?: number;
  readonly writes?: number;
  readonly operations?: string[];
  readonly minimum?: number;
  readonly minimumWrites?: number;
  readonly minimumOperations?: string[];
  /** Why the minimum is what it is, in one line. */
  readonly reason?: string;
  /** Requests CloudFormation (the driver) sent in this step, e.g. "Update x1, Delete x1". */
  readonly requests?: string;
  readonly stackStatus?: string;
  /** Calls made beyond the minimum, and minimum calls not made. */
  readonly extra?: string[];
  readonly missing?: string[];
  readonly pass?: boolean;
  readonly why?: string;
  readonly fix?: string;
}

export interface ApiCallsResult {
  readonly method: string;
  readonly rows: ApiCallRow[];
}

interface Step {
  readonly event: LifecycleEvent;
  /** The stack of this step; none for delete (the stack is destroyed). */
  readonly build?: (stack: Stack) => void;
  /** Why this event cannot happen for the construct. */
  readonly notApplicable?: string;
  readonly minimum?: readonly string[];
  readonly reason?: string;
}

interface Scenario {
  readonly construct: string;
  readonly seed?: (account: AccountState) => void;
  readonly steps: readonly Step[];
  readonly gap?: string;
}

const TAGS_BEFORE = { team: 'messaging', env: 'dev', retired: 'yes' };
/** One value changed (env), one key added (owner), one removed (retired). */
const TAGS_AFTER = { team: 'messaging', env: 'production', owner: 'platform' };
const TAG_UPDATE = ['UntagResource', 'TagResource'];
const TAG_UPDATE_REASON = 'one UntagResource (the removed key) and one TagResource (the changed and added pairs); no read needed, '
  + 'since untagging an absent key and tagging an equal value change nothing';
const NO_UPDATE_SENT = 'n/a: CloudFormation sends no Update when properties are equal';

/** A step that deploys `build` (or destroys the stack when it is undefined) and expects `minimum` calls. */
function measuredStep(event: LifecycleEvent, build: ((stack: Stack) => void) | undefined, minimum: readonly string[], reason: string): Step {
  return { event, build, minimum, reason };
}

function naStep(event: LifecycleEvent, why: string): Step {
  return { event, notApplicable: why };
}

function configurationSetScenario(): Scenario {
  const v1: ConfigurationSetProps = {
    configurationSetName: 'bench-config-set',
    reputationMetrics: true,
    customTrackingRedirectDomain: 'links.example.com',
    tags: TAGS_BEFORE,
  };
  const noOp: ConfigurationSetProps = { ...v1, sendingEnabled: true };
  const tagged: ConfigurationSetProps = { ...noOp, tags: TAGS_AFTER };
  const option: ConfigurationSetProps = { ...tagged, tlsPolicy: TlsPolicy.REQUIRE };
  const replaced: ConfigurationSetProps = { ...option, configurationSetName: 'bench-config-set-2' };
  const build = (props: ConfigurationSetProps) => (stack: Stack) => new ConfigurationSet(stack, 'ConfigurationSet', props);
  return {
    construct: 'ConfigurationSet',
    steps: [
      measuredStep('create', build(v1), ['CreateConfigurationSet'], 'CreateConfigurationSet carries every option and the tags'),
      measuredStep('no-op update', build(noOp), [], 'sendingEnabled: true spells out the API default: nothing to change'),
      measuredStep('tag-only update', build(tagged), TAG_UPDATE, TAG_UPDATE_REASON),
      measuredStep('option update', build(option), ['PutConfigurationSetDeliveryOptions'], 'tlsPolicy is one of the delivery options: one Put'),
      measuredStep('replacement', build(replaced), ['CreateConfigurationSet', 'DeleteConfigurationSet'],
        'the renamed set is created with everything in one call; the cleanup deletes the old one'),
      measuredStep('delete', undefined, ['DeleteConfigurationSet'], 'one DeleteConfigurationSet'),
    ],
  };
}

function dedicatedIpPoolScenario(): Scenario {
  const v1: DedicatedIpPoolProps = { dedicatedIpPoolName: 'bench-pool', tags: TAGS_BEFORE };
  const tagged: DedicatedIpPoolProps = { ...v1, tags: TAGS_AFTER };
  const replaced: DedicatedIpPoolProps = { ...tagged, dedicatedIpPoolName: 'bench-pool-2' };
  const build = (props: DedicatedIpPoolProps) => (stack: Stack) => new DedicatedIpPool(stack, 'Pool', props);
  return {
    construct: 'DedicatedIpPool',
    steps: [
      measuredStep('create', build(v1), ['CreateDedicatedIpPool'], 'CreateDedicatedIpPool carries the tags'),
      naStep('no-op update', `${NO_UPDATE_SENT} (a pool has no option with a default to spell out)`),
      measuredStep('tag-only update', build(tagged), TAG_UPDATE, TAG_UPDATE_REASON),
      naStep('option update', 'n/a: a pool has no options; its name is create-only (replacement)'),
      measuredStep('replacement', build(replaced), ['CreateDedicatedIpPool', 'DeleteDedicatedIpPool'],
        'the renamed pool is created with its tags in one call; the cleanup deletes the old one'),
      measuredStep('delete', undefined, ['DeleteDedicatedIpPool'], 'one DeleteDedicatedIpPool'),
    ],
  };
}

const BENCH_IP = '192.0.2.77';

function dedicatedIpScenario(): Scenario {
  const build = (pool: 'a' | 'b', warmupPercentage: number) => (stack: Stack) => {
    const pools = { a: new DedicatedIpPool(stack, 'PoolA', { dedicatedIpPoolName: 'bench-ip-pool-a' }), b: new DedicatedIpPool(stack, 'PoolB', { dedicatedIpPoolName: 'bench-ip-pool-b' }) };
    pools[pool].addDedicatedIp(BENCH_IP, { warmupPercentage });
  };
  return {
    construct: 'DedicatedIpPool.dedicatedIps (one IP, two pools)',
    seed: (account) => { account.addDedicatedIp(BENCH_IP, undefined, 100); },
    steps: [
      measuredStep('create', build('a', 40), ['CreateDedicatedIpPool', 'CreateDedicatedIpPool', 'GetDedicatedIp', 'PutDedicatedIpInPool', 'PutDedicatedIpWarmupAttributes'],
        'the two pools; then the IP: one read records the pool it comes from (and fails for an IP the account does not have), one move, one warm-up'),
      naStep('no-op update', `${NO_UPDATE_SENT} (an IP has no option with a default to spell out)`),
      naStep('tag-only update', 'n/a: a dedicated IP has no tags'),
      measuredStep('option update', build('b', 60), ['PutDedicatedIpInPool', 'PutDedicatedIpWarmupAttributes'],
        'to the other pool of the stack and a new warm-up: one call each, no read (the IP keeps its recorded origin)'),
      naStep('replacement', 'n/a: an IP is its own resource, keyed by the IP; another IP is another resource'),
      measuredStep('delete', undefined, ['GetDedicatedIp', 'PutDedicatedIpInPool', 'DeleteDedicatedIpPool', 'DeleteDedicatedIpPool'],
        'one read (is the IP still in this pool? someone may have moved it), one move back to where it came from, then the two pools'),
    ],
  };
}

function accountSettingsScenario(): Scenario {
  const v1: EmailAccountSettingsProps = { autoWarmupEnabled: false };
  const noOp: EmailAccountSettingsProps = { ...v1, sendingEnabled: true };
  const option: EmailAccountSettingsProps = { ...v1, sendingEnabled: false };
  const build = (props: EmailAccountSettingsProps) => (stack: Stack) => new EmailAccountSettings(stack, 'Account', props);
  return {
    construct: 'EmailAccountSettings',
    steps: [
      measuredStep('create', build(v1), ['GetAccount', 'PutAccountDedicatedIpWarmupAttributes'],
        'one read records the values that delete puts back; one Put per declared setting that differs'),
      measuredStep('no-op update', build(noOp), [], 'sendingEnabled: true is the value found at create: nothing to change'),
      naStep('tag-only update', 'n/a: the account settings have no tags'),
      measuredStep('option update', build(option), ['PutAccountSendingAttributes'], 'one Put for the one changed setting, no read'),
      naStep('replacement', 'n/a: no create-only property'),
      measuredStep('delete', undefined, ['PutAccountSendingAttributes', 'PutAccountDedicatedIpWarmupAttributes'],
        'both declared settings differ from the values found at create: one Put each'),
    ],
  };
}

function dashboardTrackingScenario(): Scenario {
  const v1: DeliverabilityDashboardProps = { subscribedDomains: ['bench.example.com'], inboxPlacementTracking: { 'bench.example.com': { global: true, trackedIsps: ['Gmail', 'Yahoo'] } } };
  const noOp: DeliverabilityDashboardProps = { ...v1, inboxPlacementTracking: { 'bench.example.com': { global: true, trackedIsps: ['Yahoo', 'Gmail'] } } };
  const option: DeliverabilityDashboardProps = { ...v1, inboxPlacementTracking: { 'bench.example.com': { global: false } } };
  const build = (props: DeliverabilityDashboardProps) => (stack: Stack) => new DeliverabilityDashboard(stack, 'Dashboard', props);
  return {
    construct: 'DeliverabilityDashboard (inbox placement tracking)',
    steps: [
      measuredStep('create', build(v1), ['GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption'],
        'one read (enabled already? by whom? which domains are someone else\'s), one write with the domains and their tracking'),
      measuredStep('no-op update', build(noOp), [], 'the same ISPs in another order: nothing to change'),
      naStep('tag-only update', 'n/a: the dashboard has no tags'),
      measuredStep('option update', build(option), ['GetDeliverabilityDashboardOptions', 'PutDeliverabilityDashboardOption'],
        'the write replaces the whole list, so one read first keeps the domains someone else subscribed'),
      naStep('replacement', 'n/a: no create-only property'),
      measuredStep('delete', undefined, ['PutDeliverabilityDashboardOption'], 'the dashboard was enabled here: one write disables it'),
    ],
  };
}

function eventDestinationScenario(): Scenario {
  const setName = 'bench-events';
  const v1: ConfigurationSetEventDestinationOptions = {
    configurationSetEventDestinationName: 'bench-destination',
    destination: EventDestination.pinpointApplication('arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef'),
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
  };
  const noOp: ConfigurationSetEventDestinationOptions = { ...v1, events: [EmailSendingEvent.COMPLAINT, EmailSendingEvent.BOUNCE] };
  const option: ConfigurationSetEventDestinationOptions = { ...noOp, enabled: false };
  const replaced: ConfigurationSetEventDestinationOptions = { ...option, configurationSetEventDestinationName: 'bench-destination-2' };
  const build = (options: ConfigurationSetEventDestinationOptions) => (stack: Stack) =>
    ConfigurationSet.fromConfigurationSetName(stack, 'Set', setName).addEventDestination('Destination', options);
  return {
    construct: 'ConfigurationSetEventDestination',
    seed: (account) => account.addConfigurationSet(setName),
    steps: [
      measuredStep('create', build(v1), ['CreateConfigurationSetEventDestination'], 'one CreateConfigurationSetEventDestination with the whole definition'),
      measuredStep('no-op update', build(noOp), [], 'the same event types in another order: the same definition, nothing to change'),
      naStep('tag-only update', 'n/a: event destinations have no tags'),
      measuredStep('option update', build(option), ['UpdateConfigurationSetEventDestination'], 'any change of the definition: one Update'),
      measuredStep('replacement', build(replaced), ['CreateConfigurationSetEventDestination', 'DeleteConfigurationSetEventDestination'],
        'the renamed destination is created in one call; the cleanup deletes the old one'),
      measuredStep('delete', undefined, ['DeleteConfigurationSetEventDestination'], 'one DeleteConfigurationSetEventDestination'),
    ],
  };
}

function emailIdentityScenario(): Scenario {
  const domain = 'bench.example.com';
  const v1: EmailIdentityProps = {
    identity: Identity.domain(domain),
    feedbackForwarding: false,
    mailFromDomain: `mail.${domain}`,
    mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    tags: TAGS_BEFORE,
  };
  const noOp: EmailIdentityProps = { ...v1, dkimSigning: true };
  const tagged: EmailIdentityProps = { ...noOp, tags: TAGS_AFTER };
  const option: EmailIdentityProps = { ...tagged, mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE };
  const replaced: EmailIdentityProps = { ...option, identity: Identity.domain(`new-${domain}`), mailFromDomain: `mail.new-${domain}` };
  const build = (props: EmailIdentityProps) => (stack: Stack) => new EmailIdentity(stack, 'Identity', props);
  const create = ['GetEmailIdentity', 'CreateEmailIdentity', 'PutEmailIdentityFeedbackAttributes', 'PutEmailIdentityMailFromAttributes'];
  return {
    construct: 'EmailIdentity (domain, with options)',
    steps: [
      measuredStep('create', build(v1), create, 'GetEmailIdentity refuses an existing identity (CreateEmailIdentity would adopt it); '
        + 'CreateEmailIdentity takes only the identity and tags, so feedback forwarding and MAIL FROM need one Put each'),
      measuredStep('no-op update', build(noOp), ['GetEmailIdentity'],
        'dkimSigning: true is the default, no write; the one read gives the DKIM tokens that the Update response must carry again'),
      measuredStep('tag-only update', build(tagged), ['GetEmailIdentity', ...TAG_UPDATE],
        'the read the response needs anyway (DKIM tokens), one UntagResource, one TagResource'),
      measuredStep('option update', build(option), ['GetEmailIdentity', 'PutEmailIdentityMailFromAttributes'],
        'the read for the DKIM tokens, one Put of the MAIL FROM attributes'),
      measuredStep('replacement', build(replaced), [...create, 'DeleteEmailIdentity'],
        'a create of the new identity (4, as above), then the cleanup deletes the old one'),
      measuredStep('delete', undefined, ['DeleteEmailIdentity'], 'one DeleteEmailIdentity'),
    ],
  };
}

function deliverabilityTestScenario(availability: DeliverabilityTestAvailability): Scenario {
  const construct = 'DeliverabilityTest';
  if (!availability.available) return { construct, steps: [], gap: availability.gap };
  const { DeliverabilityTest, TestContent } = availability.module;
  type Props = ConstructorParameters<typeof DeliverabilityTest>[2];
  const v1: Props = {
    fromEmailAddress: `bench@${VERIFIED_SENDER_DOMAIN}`,
    reportName: 'bench-report',
    content: TestContent.simple({ subject: 'Bench', text: 'Hello from the bench' }),
    tags: TAGS_BEFORE,
  };
  const tagged: Props = { ...v1, tags: TAGS_AFTER };
  const replaced: Props = { ...tagged, content: TestContent.simple({ subject: 'Bench, take 2', text: 'Hello from the bench' }) };
  const build = (props: Props) => (stack: Stack) => new DeliverabilityTest(stack, 'Test', props);
  return {
    construct,
    seed: (account) => {
      account.enableDashboard();
      account.addEmailIdentity(VERIFIED_SENDER_DOMAIN);
      account.verifyIdentity(VERIFIED_SENDER_DOMAIN);
    },
    steps: [
      measuredStep('create', build(v1), ['CreateDeliverabilityTestReport'],
        'CreateDeliverabilityTestReport carries the content and tags; it fails by itself without the dashboard or a verified sender'),
      naStep('no-op update', `${NO_UPDATE_SENT} (a test has no option with a default to spell out)`),
      measuredStep('tag-only update', build(tagged), TAG_UPDATE, TAG_UPDATE_REASON),
      naStep('option update', 'n/a: everything but the tags is fixed at creation; a change is a new report (replacement)'),
      measuredStep('replacement', build(replaced), ['CreateDeliverabilityTestReport'],
        'the new report in one call; no API deletes the old one'),
      measuredStep('delete', undefined, [], 'no API deletes a report'),
    ],
  };
}

/** Why the handler makes a call beyond the minimum, and what would remove it: by `<construct>:<operation>`, else by operation. */
const EXTRA_CALLS: Record<string, { why: string; fix: string }> = {
  'ListTagsForResource': {
    why: 'the ownership checks read tags: after AlreadyExistsException, and before a Delete (a resource released by the rollback '
      + 'of its take-back existed before, and is kept); reconcileTags (lambda/tags.ts) makes no read',
    fix: 'find which path read the tags: a tag-only update or a create into an empty account should not reach the ownership check',
  },
  'DeliverabilityTest:ListTagsForResource': {
    why: 'a replacement reads the current report\'s marker, to tell the rollback of a replacement (which returns the report it '
      + 'replaced) from a new replacement; a Delete reads it, to remove the marker only from a report that is this resource\'s',
    fix: 'none without another place to keep what a report replaced: reports can be neither renamed nor deleted',
  },
  'EmailIdentity:GetEmailIdentity': {
    why: 'every update reads the identity (DKIM tokens, live tags), and a Delete reads it first: an identity released by the '
      + 'rollback of its take-back existed before, and is kept',
    fix: 'none for the Delete without another place to keep the release: CloudFormation sends the Delete in both cases',
  },
  'DeliverabilityTest:UntagResource': {
    why: 'the Delete (and the cleanup of a replacement) removes the report\'s ownership marker, so that a later update back to its '
      + 'content makes a new report instead of taking the released one back',
    fix: 'none: the Delete is the only event that says the report left the stack',
  },
  'GetDeliverabilityDashboardOptions': {
    why: 'the handler checks the dashboard before creating, to fail with a clear message',
    fix: 'call CreateDeliverabilityTestReport first and read the dashboard options only after it fails, to explain the failure',
  },
  'DeliverabilityTest:GetEmailIdentity': {
    why: 'the handler checks that the sender (its address, then its domain) is verified before creating',
    fix: 'run the sender check only after CreateDeliverabilityTestReport fails, to explain the failure',
  },
};

const WRITE = /^(?!Get|List)/;

export async function measureApiCalls(
  service: LocalPinpointEmailService, deliverabilityTest: DeliverabilityTestAvailability, log: (line: string) => void,
): Promise<ApiCallsResult> {
  const scenarios = [
    configurationSetScenario(), eventDestinationScenario(), dedicatedIpPoolScenario(), dedicatedIpScenario(), emailIdentityScenario(),
    deliverabilityTestScenario(deliverabilityTest),
    accountSettingsScenario(), dashboardTrackingScenario(),
  ];
  const rows: ApiCallRow[] = [];
  for (const scenario of scenarios) {
    rows.push(...await runScenario(service, scenario));
    log(`api calls: ${scenario.construct} done`);
  }
  return {
    method: 'each construct alone in a stack; per step, the requests the local service recorded (reads and writes, failed ones '
      + 'included) while the lifecycle driver ran the bundled handler; writes are the operations other than Get* and List*',
    rows,
  };
}

async function runScenario(service: LocalPinpointEmailService, scenario: Scenario): Promise<ApiCallRow[]> {
  if (scenario.gap !== undefined) {
    return LIFECYCLE_EVENTS.map((event) => ({ construct: scenario.construct, event, measured: false, note: scenario.gap }));
  }
  service.reset();
  scenario.seed?.(service.account());
  const driver = new LifecycleDriver({ env: service.clientEnv(), iam: service.iam });
  const stackName = `Bench${scenario.construct.replace(/[^A-Za-z]/g, '')}`;
  const rows: ApiCallRow[] = [];
  try {
    for (const step of scenario.steps) {
      if (step.notApplicable !== undefined) {
        rows.push({ construct: scenario.construct, event: step.event, measured: false, note: step.notApplicable });
        continue;
      }
      service.clearCalls();
      const result = step.build ? await driver.deploy(synthTemplate(stackName, step.build)) : await driver.destroy();
      rows.push(row(scenario.construct, step, result, [...service.calls]));
    }
  } finally {
    await driver.close();
  }
  return rows;
}

function row(construct: string, step: Step, result: DriverResult, calls: readonly RecordedCall[]): ApiCallRow {
  const operations = calls.map((c) => c.operation);
  const minimumOperations = [...(step.minimum ?? [])];
  const extra = difference(operations, minimumOperations);
  const missing = difference(minimumOperations, operations);
  const writes = operations.filter((op) => WRITE.test(op)).length;
  const minimumWrites = minimumOperations.filter((op) => WRITE.test(op)).length;
  const pass = result.ok && operations.length === minimumOperations.length && writes === minimumWrites;
  const explained = [...new Set(extra)].map((op) => ({
    op, ...(EXTRA_CALLS[`${construct}:${op}`] ?? EXTRA_CALLS[op] ?? { why: 'not in the minimum', fix: 'remove the call' }),
  }));
  return {
    construct,
    event: step.event,
    measured: true,
    calls: operations.length,
    writes,
    operations,
    minimum: minimumOperations.length,
    minimumWrites,
    minimumOperations,
    reason: step.reason,
    requests: requestSummary(result),
    stackStatus: result.status,
    extra,
    missing,
    pass,
    ...(pass ? {} : {
      why: result.ok
        ? explained.map((e) => `${e.op}: ${e.why}`).join('; ') + (missing.length > 0 ? `; expected but not made: ${missing.join(', ')}` : '')
        : `the stack ended ${result.status}: ${result.failure?.reason ?? 'no failure reported'}`,
      fix: result.ok ? explained.map((e) => `${e.op}: ${e.fix}`).join('; ') : 'fix the failure first',
    }),
  };
}

/** The items of `a` not matched one-for-one in `b` (multiset difference). */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  return a.filter((item) => {
    const i = left.indexOf(item);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function requestSummary(result: DriverResult): string {
  const counts = new Map<string, number>();
  for (const event of result.events) counts.set(event.requestType, (counts.get(event.requestType) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([type, n]) => `${type} x${n}`).join(', ');
}
