// A consumer's app in plain JavaScript: the packed package, installed with only its peer dependencies, synthesizes a
// stack with every construct it exports (as examples/every-construct.ts does in TypeScript). Run by
// scripts/consumer-check.ts in a clean folder; prints one JSON line.
const { App, Stack, RemovalPolicy } = require('aws-cdk-lib');
const route53 = require('aws-cdk-lib/aws-route53');
const { Construct } = require('constructs');
const email = require('cdk-pinpoint-email');

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });

const pool = new email.DedicatedIpPool(stack, 'Pool', { tags: { team: 'mail' }, dedicatedIps: ['192.0.2.10'] });
pool.addDedicatedIp('192.0.2.11', { warmupPercentage: 50 });
const set = new email.ConfigurationSet(stack, 'Set', { dedicatedIpPool: pool, tlsPolicy: email.TlsPolicy.REQUIRE });
new email.ConfigurationSetEventDestination(stack, 'Metrics', {
  configurationSet: set,
  destination: email.EventDestination.cloudWatchDimensions([
    { name: 'campaign', source: email.CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' },
  ]),
});
const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
const domain = new email.EmailIdentity(stack, 'Domain', {
  identity: email.Identity.publicHostedZone(zone),
  mailFromDomain: 'bounce.example.com',
  removalPolicy: RemovalPolicy.RETAIN,
});
domain.waitForVerification();
new email.DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
new email.DeliverabilityTest(stack, 'Test', {
  fromIdentity: domain,
  fromLocalPart: 'news',
  content: email.TestContent.simple({ subject: 'Hello', text: 'Hi' }),
});
new email.EmailAccountSettings(stack, 'Account', { autoWarmupEnabled: true });

// Every construct class the package exports must have an instance in the stack.
const constructs = stack.node.findAll();
const exported = Object.entries(email).filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct);
const missing = exported.filter(([, type]) => !constructs.some((construct) => construct instanceof type)).map(([name]) => name);

const assembly = app.synth();
const artifact = assembly.getStackByName('Consumer');
const types = Object.values(artifact.template.Resources).map((resource) => resource.Type);
console.log(JSON.stringify({ types, constructs: exported.map(([name]) => name), missing }));
