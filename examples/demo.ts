/**
 * `npm run demo`: deploys examples/app.ts to the local Pinpoint Email service, in this process and with no AWS account:
 * the lifecycle driver replays CloudFormation's events against the built handler asset, which calls the service over HTTP.
 * Steps: deploy version 1, update to version 2 (changed tags and options), destroy. Each step prints the custom resource
 * events, the API calls the service received and the tags each resource has afterwards. Exits 1 if a step fails.
 */
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleStack, ExampleOptions } from './app';
import { OWNER_TAG_KEY } from '../src/private/contract';
import { CfnTemplate, DriverEvent, DriverResult, LifecycleDriver } from '../test/support/lifecycle-driver';
import { AccountState, LocalPinpointEmailService, RecordedCall } from '../test/support/local-service';

/** API call lines wrap after this many characters. */
const LINE_WIDTH = 120;
/** Longer input values (a raw MIME message...) are cut to this many characters. */
const MAX_VALUE = 60;

async function main(): Promise<boolean> {
  const v1 = synthesize({ version: 1 });
  const v2 = synthesize({ version: 2 });
  const service = await LocalPinpointEmailService.start();
  const driver = new LifecycleDriver({ env: service.clientEnv(), iam: service.iam, stackName: v1.stackName, timeoutMs: 120_000 });
  try {
    console.log(`Stack ${v1.stackName} (examples/app.ts) against the local Pinpoint Email service at ${service.endpoint}: no AWS account, no network.`);
    const steps: Array<[string, () => Promise<DriverResult>]> = [
      ['Deploy version 1', () => driver.deploy(v1.template)],
      ['Update to version 2 (changed tags and options)', () => driver.deploy(v2.template)],
      ['Destroy', () => driver.destroy()],
    ];
    for (const [i, [title, run]] of steps.entries()) {
      service.clearCalls();
      const result = await run();
      printStep(`${i + 1}/${steps.length} ${title}`, result, service.calls, service.account());
      if (!result.ok) return false;
    }
    return true;
  } finally {
    await driver.close(); // the ResponseURL server (destroy() closes it too, but a failed step stops before)
    await service.stop();
  }
}

function synthesize(options: ExampleOptions): { stackName: string; template: CfnTemplate } {
  const app = new App({ outdir: path.join(os.tmpdir(), `cdk-pinpoint-email-demo-${process.pid}-v${options.version}`) });
  const stack = buildExampleStack(app, options);
  return { stackName: stack.stackName, template: app.synth().getStackByName(stack.stackName).template as CfnTemplate };
}

function printStep(title: string, result: DriverResult, calls: readonly RecordedCall[], state: AccountState): void {
  console.log(`\n== ${title}: ${result.status} in ${result.ms} ms`);

  console.log(`  Custom resource events (${result.events.length}):`);
  for (const e of result.events) console.log(`    ${eventLine(e)}`);
  const unchanged = [...result.resources.keys()].filter((id) => !result.events.some((e) => e.logicalId === id));
  if (unchanged.length > 0) console.log(`    (unchanged, no event: ${unchanged.join(', ')})`);
  if (result.failure) console.log(`  FAILED: ${result.failure.logicalId} ${result.failure.requestType}: ${result.failure.reason}`);
  if (result.rollbackFailure) console.log(`  ROLLBACK FAILED: ${result.rollbackFailure.logicalId}: ${result.rollbackFailure.reason}`);
  for (const f of result.cleanupFailures) console.log(`  cleanup failed (left behind): ${f.logicalId} ${f.physicalId}: ${f.reason}`);

  const asRole = calls.filter((c) => c.roleArn !== undefined);
  const denied = asRole.filter((c) => c.errorName === 'AccessDeniedException').length;
  console.log(`  API calls received by the service (${calls.length}; IAM evaluated ${asRole.length} as the handler's role, ${denied} denied):`);
  for (const c of calls) {
    const head = `    ${c.operation}${c.status === 200 ? '' : ` -> ${c.status} ${c.errorName ?? ''}`} `;
    console.log(wrap(head, flatten(c.input), '        '));
  }

  if (result.resources.size > 0) {
    console.log('  Tags now, read from the service:');
    for (const r of result.resources.values()) {
      const arn = typeof r.data.Arn === 'string' ? r.data.Arn : undefined;
      const tags = arn ? state.tagsOf(arn) : undefined;
      const shown = tags ? formatTags(tags) : arn ? '(not found in the service)' : '(no ARN: not a taggable resource)';
      console.log(`    ${r.logicalId} [${r.physicalId}]: ${shown}`);
    }
    const destinations = [...state.configurationSets.values()].flatMap((cs) =>
      [...cs.eventDestinations].map(([name, d]) => `${cs.name}/${name}: ${(d.MatchingEventTypes ?? []).join(', ')}${d.Enabled ? '' : ' (disabled)'}`));
    console.log(`  Event destinations now: ${destinations.length > 0 ? destinations.join('; ') : 'none'}`);
  } else {
    const left = state.taggable().flatMap(([type, records]) => [...records.keys()].map((name) => `${type}/${name}`));
    console.log(`  Left in the service: ${left.length > 0 ? left.join(', ') : 'nothing'}`);
  }
}

/** `Create  TransactionalPool3C1F2E4B  Custom::PinpointEmailDedicatedIpPool  [transactional]  SUCCESS  41 ms` */
function eventLine(e: DriverEvent): string {
  const ids = e.oldPhysicalId !== undefined && e.oldPhysicalId !== e.physicalId ? `${e.oldPhysicalId} -> ${e.physicalId ?? '?'}` : e.physicalId ?? '-';
  const reason = e.status === 'FAILED' && e.reason ? `: ${e.reason}` : '';
  return `${e.requestType.padEnd(6)}  ${e.logicalId}  ${e.resourceType}  [${ids}]  ${e.status}${reason}  ${e.ms} ms`;
}

/** `head` then the parts, separated by spaces, continued on lines that start with `indent` past LINE_WIDTH. */
function wrap(head: string, parts: string[], indent: string): string {
  const lines = [head];
  for (const part of parts) {
    const last = lines.length - 1;
    if (lines[last].length + 1 + part.length > LINE_WIDTH && lines[last] !== head) lines.push(`${indent}${part}`);
    else lines[last] += ` ${part}`;
  }
  return lines.join('\n');
}

/** A call's input as `Member=value` parts, nested members by their own name: `ConfigurationSetName=orders`, `TlsPolicy=REQUIRE`, `Tags={team=payments}`. */
function flatten(value: Record<string, unknown>): string[] {
  return Object.entries(value).flatMap(([name, v]): string[] => {
    if (v === undefined) return [];
    if (name === 'Tags' && Array.isArray(v)) {
      return [`${name}=${formatTags(Object.fromEntries((v as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value])))}`];
    }
    if (name === 'ResourceArn' && typeof v === 'string') return [`${name}=${v.slice(v.lastIndexOf(':') + 1)}`];
    if (v instanceof Uint8Array) return [`${name}=<${v.length} bytes>`];
    if (v instanceof Date) return [`${name}=${v.toISOString()}`];
    if (Array.isArray(v)) return [`${name}=[${v.map((item) => cut(typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ')}]`];
    if (v !== null && typeof v === 'object') return flatten(v as Record<string, unknown>);
    return [`${name}=${cut(String(v))}`];
  });
}

function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_VALUE ? `${line.slice(0, MAX_VALUE - 3)}...` : line;
}

/** `{team=payments, tier=critical} + ownership tag`: the handler's marker (a 32-character hash) is only named. */
function formatTags(tags: Record<string, string>): string {
  const pairs = Object.entries(tags).filter(([k]) => k !== OWNER_TAG_KEY).map(([k, v]) => `${k}=${v}`);
  return `{${pairs.join(', ')}}${Object.hasOwn(tags, OWNER_TAG_KEY) ? ' + ownership tag' : ''}`;
}

main().then(
  (ok) => {
    console.log(ok ? '\nDemo finished: every step succeeded.' : '\nDemo failed: see the step above.');
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
