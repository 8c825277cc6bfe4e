/**
 * Child process of the synthesis measurement (bench/synth.ts): builds a fresh app with N configuration sets of one
 * variant, then times `app.synth()` alone and prints one JSON line (SynthSample).
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/synth-worker.ts <library|l1> <N> <outdir>
 *
 * Timed: only `app.synth()` of the already built construct tree (prepare, validation, asset staging, writing the cloud
 * assembly). Not timed: process start, module loading, building the constructs, reading the template back.
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-pinpointemail';
import { ConfigurationSet } from '../src/configuration-set';
import { cfnText } from '../src/private/cfn-text';

export type SynthVariant = 'library' | 'l1';

export interface SynthSample {
  readonly variant: SynthVariant;
  readonly n: number;
  readonly synthMs: number;
  /** Size of the template file that synth wrote. */
  readonly templateBytes: number;
  readonly lambdaFunctions: number;
  readonly resources: number;
  /** Template bytes by resource type, each resource rendered as synth writes it (1-space indent). */
  readonly bytesByType: Record<string, number>;
  /** IAM policies of the stack and their size as IAM counts it (characters without white space) once deployed. */
  readonly policies: PolicySize[];
}

export interface PolicySize {
  /** The policy resource, or `<role>/<policy name>` for an inline policy of a role. */
  readonly logicalId: string;
  /** `AWS::IAM::Role` for an inline policy of a role (its `Policies`), which counts toward the same quota as `AWS::IAM::Policy`. */
  readonly type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy' | 'AWS::IAM::Role';
  readonly chars: number;
}

export const SYNTH_STACK_NAME = 'PinpointEmailBench';
/** CDK refuses stacks above 500 resources; 0 turns the check off (both variants), so that N = 500 of the library (505 resources) synthesizes. */
const STACK_RESOURCE_LIMIT = '@aws-cdk/core:stackResourceLimit';

/** The same five tags on every configuration set of both variants. */
export const BENCH_TAGS: Readonly<Record<string, string>> = {
  'team': 'messaging',
  'env': 'production',
  'cost-center': 'cc-1234',
  'owner': 'platform-team',
  'app': 'pinpoint-email-bench',
};

export function configurationSetName(i: number): string {
  return `bench-configuration-set-${i}`;
}

/** The app of one sample: N configuration sets of one variant, in the stack SYNTH_STACK_NAME. */
export function buildSynthApp(variant: SynthVariant, n: number, outdir: string): App {
  const app = new App({ outdir, context: { [STACK_RESOURCE_LIMIT]: 0 } });
  const stack = new Stack(app, SYNTH_STACK_NAME);
  for (let i = 0; i < n; i++) {
    if (variant === 'library') {
      new ConfigurationSet(stack, `ConfigurationSet${i}`, { configurationSetName: configurationSetName(i), tags: { ...BENCH_TAGS } });
    } else {
      new CfnConfigurationSet(stack, `ConfigurationSet${i}`, {
        name: configurationSetName(i),
        tags: Object.entries(BENCH_TAGS).map(([key, value]) => ({ key, value })),
      });
    }
  }
  return app;
}

const PSEUDO_VALUES: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };

/**
 * The policy document as IAM would store it: `Fn::Join`s, `Fn::Sub`s and `Fn::Split`s of strings and pseudo parameters resolved
 * (partition aws, us-east-1, a 12-digit account), JSON without white space. Other intrinsics count as their JSON (an
 * approximation).
 */
function deployedChars(document: unknown): number {
  const text = (value: unknown): string => cfnText(value, (leaf) => {
    const ref = typeof leaf.Ref === 'string' ? PSEUDO_VALUES[leaf.Ref] : undefined;
    return ref ?? JSON.stringify(leaf);
  });
  const resolved = JSON.stringify(document, (_key, value: unknown) => {
    const intrinsic = value as Record<string, unknown> | null;
    if (intrinsic === null || typeof intrinsic !== 'object') return value;
    const split = intrinsic['Fn::Split'] as [string, unknown] | undefined;
    if (split) return text(split[1]).split(split[0]);
    return intrinsic['Fn::Join'] || intrinsic['Fn::Sub'] ? text(intrinsic) : value;
  });
  return resolved.replace(/\s+/g, '').length;
}

function main(): void {
  const [variant, count, outdir] = process.argv.slice(2);
  if ((variant !== 'library' && variant !== 'l1') || !outdir) throw new Error('usage: synth-worker.ts <library|l1> <N> <outdir>');
  const n = Number(count);
  const app = buildSynthApp(variant, n, outdir);

  (globalThis as { gc?: () => void }).gc?.(); // start the timed part with the construction garbage collected
  const started = performance.now();
  const assembly = app.synth();
  const synthMs = performance.now() - started;

  const artifact = assembly.getStackByName(SYNTH_STACK_NAME);
  type Properties = { PolicyDocument?: unknown; Policies?: Array<{ PolicyName: string; PolicyDocument: unknown }> };
  const template = artifact.template as { Resources: Record<string, { Type: string; Properties?: Properties }> };
  const resources = Object.values(template.Resources);
  const bytesByType: Record<string, number> = {};
  for (const resource of resources) {
    bytesByType[resource.Type] = (bytesByType[resource.Type] ?? 0) + Buffer.byteLength(JSON.stringify(resource, undefined, 1));
  }
  const sample: SynthSample = {
    variant,
    n,
    synthMs,
    templateBytes: fs.statSync(artifact.templateFullPath).size,
    lambdaFunctions: resources.filter((r) => r.Type === 'AWS::Lambda::Function').length,
    resources: resources.length,
    bytesByType,
    policies: Object.entries(template.Resources).flatMap(([logicalId, r]): PolicySize[] => {
      if (r.Type === 'AWS::IAM::Role') {
        return (r.Properties?.Policies ?? []).map((p) => ({ logicalId: `${logicalId}/${p.PolicyName}`, type: r.Type as 'AWS::IAM::Role', chars: deployedChars(p.PolicyDocument) }));
      }
      if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') return [];
      return [{ logicalId, type: r.Type, chars: deployedChars(r.Properties?.PolicyDocument) }];
    }),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

if (require.main === module) main();
