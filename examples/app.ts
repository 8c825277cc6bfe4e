/**
 * The example app that the README shows: a dedicated IP pool and two configuration sets, one sending through the pool.
 * `version: 2` is the same app after a change of tags and options, used by `npm run demo` to show an update.
 */
import { App, Stack, Tags } from 'aws-cdk-lib';
import { ConfigurationSet, DedicatedIpPool, TlsPolicy } from '../src';

export interface ExampleOptions {
  /** 1: the first deployment; 2: changed tags and options. */
  readonly version?: 1 | 2;
}

export function buildExampleStack(app: App, options: ExampleOptions = {}): Stack {
  const v2 = options.version === 2;
  const stack = new Stack(app, 'PinpointEmailExample');

  const pool = new DedicatedIpPool(stack, 'TransactionalPool', {
    dedicatedIpPoolName: 'transactional',
    tags: { purpose: 'transactional' },
  });

  new ConfigurationSet(stack, 'Transactional', {
    configurationSetName: 'transactional',
    dedicatedIpPool: pool,
    tlsPolicy: TlsPolicy.REQUIRE,
    reputationMetrics: true,
    tags: v2 ? { team: 'payments', tier: 'critical' } : { 'team': 'payments', 'cost-center': '1234' },
  });

  new ConfigurationSet(stack, 'Marketing', {
    customTrackingRedirectDomain: 'links.example.com',
    sendingEnabled: !v2,
    tags: { team: 'growth' },
  });

  Tags.of(stack).add('app', 'pinpoint-email-example');
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildExampleStack(app);
  app.synth();
}
