/**
 * Everything a user can set through the Pinpoint Email API can be declared in CDK: the input members of the API's 18
 * resource-management operations (every Create*, Put* and Update*), as the generated model table lists them, each map
 * to the public API element that sets it, or to the written reason why none does (docs/decisions.md, "What the
 * constructs do not set"). The test fails when a member has neither, when a mapping names an element that does not
 * exist in src/, or when a mapping names a member the model does not have.
 *
 * How members are counted (the figure printed below):
 * - a structure's members are counted, not the structure: `DeliveryOptions.TlsPolicy`, `DeliveryOptions.SendingPoolName`;
 *   a list of structures is walked into (`SubscribedDomains[].Domain`);
 * - a tag list is one member (`Tags`): its Key/Value pairs are the `tags` prop as a whole;
 * - HTTP label members are not counted: they name the resource that the call addresses (`PutConfigurationSet*Options`'
 *   `ConfigurationSetName`), which the construct's name prop already set in the create call.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OPERATIONS, SHAPES } from './support/local-service/model.generated';

/** A public element of src/: `Interface.member` (a prop), or `Class.method` (a static factory or a method). */
type Target = { readonly sets: string } | { readonly reason: string };

const OPERATION_PATTERN = /^(Create|Put|Update)/;

/** The written reasons, each one in docs/decisions.md. */
const LAST_FRESH_START = 'Not exposed: a record that Amazon keeps of the last reset of the reputation metrics, which only the create call '
  + 'accepts; a create-only prop would mean replacing a configuration set under its own name (docs/decisions.md, "ReputationOptions.LastFreshStart").';
const SUBSCRIPTION_START_DATE = 'Not set: the date the dashboard subscription of the domain started, which the API records; a caller '
  + 'cannot choose it meaningfully (docs/decisions.md, "SubscriptionStartDate").';

const MAPPING: Readonly<Record<string, Target>> = {
  // configuration sets
  'CreateConfigurationSet.ConfigurationSetName': { sets: 'ConfigurationSetProps.configurationSetName' },
  'CreateConfigurationSet.TrackingOptions.CustomRedirectDomain': { sets: 'ConfigurationSetProps.customTrackingRedirectDomain' },
  'CreateConfigurationSet.DeliveryOptions.TlsPolicy': { sets: 'ConfigurationSetProps.tlsPolicy' },
  'CreateConfigurationSet.DeliveryOptions.SendingPoolName': { sets: 'ConfigurationSetProps.dedicatedIpPool' },
  'CreateConfigurationSet.ReputationOptions.ReputationMetricsEnabled': { sets: 'ConfigurationSetProps.reputationMetrics' },
  'CreateConfigurationSet.ReputationOptions.LastFreshStart': { reason: LAST_FRESH_START },
  'CreateConfigurationSet.SendingOptions.SendingEnabled': { sets: 'ConfigurationSetProps.sendingEnabled' },
  'CreateConfigurationSet.Tags': { sets: 'ConfigurationSetProps.tags' },
  'PutConfigurationSetDeliveryOptions.TlsPolicy': { sets: 'ConfigurationSetProps.tlsPolicy' },
  'PutConfigurationSetDeliveryOptions.SendingPoolName': { sets: 'ConfigurationSetProps.dedicatedIpPool' },
  'PutConfigurationSetReputationOptions.ReputationMetricsEnabled': { sets: 'ConfigurationSetProps.reputationMetrics' },
  'PutConfigurationSetSendingOptions.SendingEnabled': { sets: 'ConfigurationSetProps.sendingEnabled' },
  'PutConfigurationSetTrackingOptions.CustomRedirectDomain': { sets: 'ConfigurationSetProps.customTrackingRedirectDomain' },
  // dedicated IP pools and dedicated IPs
  'CreateDedicatedIpPool.PoolName': { sets: 'DedicatedIpPoolProps.dedicatedIpPoolName' },
  'CreateDedicatedIpPool.Tags': { sets: 'DedicatedIpPoolProps.tags' },
  'PutDedicatedIpInPool.DestinationPoolName': { sets: 'DedicatedIpPoolProps.dedicatedIps' },
  'PutDedicatedIpWarmupAttributes.WarmupPercentage': { sets: 'DedicatedIpOptions.warmupPercentage' },
  // email identities
  'CreateEmailIdentity.EmailIdentity': { sets: 'EmailIdentityProps.identity' },
  'CreateEmailIdentity.Tags': { sets: 'EmailIdentityProps.tags' },
  'PutEmailIdentityDkimAttributes.SigningEnabled': { sets: 'EmailIdentityProps.dkimSigning' },
  'PutEmailIdentityFeedbackAttributes.EmailForwardingEnabled': { sets: 'EmailIdentityProps.feedbackForwarding' },
  'PutEmailIdentityMailFromAttributes.MailFromDomain': { sets: 'EmailIdentityProps.mailFromDomain' },
  'PutEmailIdentityMailFromAttributes.BehaviorOnMxFailure': { sets: 'EmailIdentityProps.mailFromBehaviorOnMxFailure' },
  // the account
  'PutAccountSendingAttributes.SendingEnabled': { sets: 'EmailAccountSettingsProps.sendingEnabled' },
  'PutAccountDedicatedIpWarmupAttributes.AutoWarmupEnabled': { sets: 'EmailAccountSettingsProps.autoWarmupEnabled' },
  // the deliverability dashboard and tests
  'PutDeliverabilityDashboardOption.DashboardEnabled': { sets: 'DeliverabilityDashboard.constructor' },
  'PutDeliverabilityDashboardOption.SubscribedDomains[].Domain': { sets: 'DeliverabilityDashboardProps.subscribedDomains' },
  'PutDeliverabilityDashboardOption.SubscribedDomains[].SubscriptionStartDate': { reason: SUBSCRIPTION_START_DATE },
  'PutDeliverabilityDashboardOption.SubscribedDomains[].InboxPlacementTrackingOption.Global': { sets: 'InboxPlacementTracking.global' },
  'PutDeliverabilityDashboardOption.SubscribedDomains[].InboxPlacementTrackingOption.TrackedIsps[]': { sets: 'InboxPlacementTracking.trackedIsps' },
  'CreateDeliverabilityTestReport.ReportName': { sets: 'DeliverabilityTestProps.reportName' },
  'CreateDeliverabilityTestReport.FromEmailAddress': { sets: 'DeliverabilityTestProps.fromEmailAddress' },
  'CreateDeliverabilityTestReport.Content.Simple.Subject.Data': { sets: 'SimpleTestContentOptions.subject' },
  'CreateDeliverabilityTestReport.Content.Simple.Subject.Charset': { sets: 'SimpleTestContentOptions.charset' },
  'CreateDeliverabilityTestReport.Content.Simple.Body.Text.Data': { sets: 'SimpleTestContentOptions.text' },
  'CreateDeliverabilityTestReport.Content.Simple.Body.Text.Charset': { sets: 'SimpleTestContentOptions.charset' },
  'CreateDeliverabilityTestReport.Content.Simple.Body.Html.Data': { sets: 'SimpleTestContentOptions.html' },
  'CreateDeliverabilityTestReport.Content.Simple.Body.Html.Charset': { sets: 'SimpleTestContentOptions.charset' },
  'CreateDeliverabilityTestReport.Content.Raw.Data': { sets: 'TestContent.raw' },
  'CreateDeliverabilityTestReport.Content.Template.TemplateArn': { sets: 'TestContent.template' },
  'CreateDeliverabilityTestReport.Content.Template.TemplateData': { sets: 'TestContent.template' },
  'CreateDeliverabilityTestReport.Tags': { sets: 'DeliverabilityTestProps.tags' },
};

// Event destinations (Create and Update take the same definition). CreateConfigurationSetEventDestination's
// ConfigurationSetName, like every label, names the addressed set: `ConfigurationSetEventDestinationProps.configurationSet`;
// DeleteConfigurationSetEventDestination takes labels only.
const EVENT_DESTINATION: Readonly<Record<string, string>> = {
  'EventDestination.Enabled': 'ConfigurationSetEventDestinationOptions.enabled',
  'EventDestination.MatchingEventTypes[]': 'ConfigurationSetEventDestinationOptions.events',
  'EventDestination.KinesisFirehoseDestination.IamRoleArn': 'FirehoseDeliveryStreamDestinationOptions.role',
  'EventDestination.KinesisFirehoseDestination.DeliveryStreamArn': 'EventDestination.firehoseDeliveryStream',
  'EventDestination.CloudWatchDestination.DimensionConfigurations[].DimensionName': 'CloudWatchDimension.name',
  'EventDestination.CloudWatchDestination.DimensionConfigurations[].DimensionValueSource': 'CloudWatchDimension.source',
  'EventDestination.CloudWatchDestination.DimensionConfigurations[].DefaultDimensionValue': 'CloudWatchDimension.defaultValue',
  'EventDestination.SnsDestination.TopicArn': 'EventDestination.snsTopic',
  'EventDestination.PinpointDestination.ApplicationArn': 'EventDestination.pinpointApplication',
};
const EVENT_DESTINATION_MAPPING: Readonly<Record<string, Target>> = {
  'CreateConfigurationSetEventDestination.EventDestinationName': { sets: 'ConfigurationSetEventDestinationOptions.configurationSetEventDestinationName' },
  ...Object.fromEntries(Object.entries(EVENT_DESTINATION).flatMap(([member, element]) => [
    [`CreateConfigurationSetEventDestination.${member}`, { sets: element }],
    [`UpdateConfigurationSetEventDestination.${member}`, { sets: element }],
  ])),
};


/** The input members of one operation, as counted above. */
function inputMembers(operation: string): string[] {
  const spec = OPERATIONS[operation];
  return Object.entries(spec.members).filter(([member]) => !spec.labels.includes(member))
    .flatMap(([member, shape]) => walk(shape, `${operation}.${member}`));
}

function walk(shapeName: string, at: string): string[] {
  if (shapeName === 'TagList') return [at];
  const shape = SHAPES[shapeName];
  if (shape?.type === 'structure') return Object.entries(shape.members).flatMap(([member, spec]) => walk(spec.target, `${at}.${member}`));
  if (shape?.type === 'list') return walk(shape.member, `${at}[]`);
  return [at];
}

/** The source text of src/, to find the public elements that mappings name. */
const SOURCE = fs.readdirSync(path.join(__dirname, '..', 'src')).filter((file) => file.endsWith('.ts'))
  .map((file) => fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8')).join('\n');

/** Whether `Owner.member` is a prop of an exported interface, or a public method or constructor of an exported class. */
function exists(element: string): boolean {
  const [owner, member] = element.split('.');
  const start = new RegExp(`^export (?:abstract )?(?:interface|class) ${owner}\\b[^{]*\\{`, 'm').exec(SOURCE);
  if (!start) return false;
  const end = SOURCE.indexOf('\n}', start.index);
  const body = SOURCE.slice(start.index, end);
  if (member === 'constructor') return /\n {2}constructor\(/.test(body);
  return new RegExp(`\\n {2}(?:readonly ${member}\\??:|public (?:static )?${member}\\()`).test(body);
}

const OPERATION_NAMES = Object.keys(OPERATIONS).filter((name) => OPERATION_PATTERN.test(name)).sort();
const MEMBERS = OPERATION_NAMES.flatMap(inputMembers);
const ALL: Readonly<Record<string, Target>> = { ...MAPPING, ...EVENT_DESTINATION_MAPPING };

test('the resource-management operations are the 18 Create, Put and Update operations of the model', () => {
  expect(OPERATION_NAMES).toHaveLength(18);
});

test('every input member maps to the element that sets it or to a written reason', () => {
  const unmapped = MEMBERS.filter((member) => !Object.hasOwn(ALL, member));
  const covered = MEMBERS.length - unmapped.length;
  const reasons = MEMBERS.filter((member) => 'reason' in (ALL[member] ?? {})).length;
  // eslint-disable-next-line no-console
  console.log(`API coverage: ${covered} of ${MEMBERS.length} input members of ${OPERATION_NAMES.length} operations `
    + `(${covered - reasons} set by a construct, ${reasons} with a written reason)`);
  expect(unmapped).toEqual([]);
  expect(`${covered} of ${MEMBERS.length}`).toBe('61 of 61');
});

test('every mapping names a member of the model', () => {
  expect(Object.keys(ALL).filter((member) => !MEMBERS.includes(member))).toEqual([]);
});

test('every element a mapping names exists in src/', () => {
  const targets = Object.values(ALL).flatMap((target) => 'sets' in target ? [target.sets] : []);
  expect([...new Set(targets)].filter((element) => !exists(element))).toEqual([]);
});

test('every reason is written down in docs/decisions.md', () => {
  const decisions = fs.readFileSync(path.join(__dirname, '..', 'docs', 'decisions.md'), 'utf8');
  for (const heading of ['ReputationOptions.LastFreshStart', 'SubscriptionStartDate']) {
    expect(decisions).toContain(`## ${heading}`);
  }
});
