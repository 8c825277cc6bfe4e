// A consumer's app in plain JavaScript: the packed package, installed with only its peer dependencies, synthesizes a
// stack with every construct. Run by scripts/consumer-check.ts in a clean folder; prints one JSON line.
const { App, Stack, RemovalPolicy } = require('aws-cdk-lib');
const route53 = require('aws-cdk-lib/aws-route53');
const email = require('cdk-pinpoint-email');

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });

const pool = new email.DedicatedIpPool(stack, 'Pool', { tags: { team: 'mail' } });
const set = new email.ConfigurationSet(stack, 'Set', { dedicatedIpPool: pool, tlsPolicy: email.TlsPolicy.REQUIRE });
const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
const domain = new email.EmailIdentity(stack, 'Domain', {
  identity: email.Identity.publicHostedZone(zone),
  mailFromDomain: 'bounce.example.com',
  removalPolicy: RemovalPolicy.RETAIN,
});
new email.DeliverabilityDashboard(stack, 'Dashboard', { subscribedDomains: ['example.com'] });
new email.DeliverabilityTest(stack, 'Test', {
  fromIdentity: domain,
  fromLocalPart: 'news',
  content: email.TestContent.simple({ subject: 'Hello', text: 'Hi' }),
});

const assembly = app.synth();
const artifact = assembly.getStackByName('Consumer');
const types = Object.values(artifact.template.Resources).map((resource) => resource.Type);
console.log(JSON.stringify({ types, configurationSetName: stack.resolve(set.configurationSetName) }));
