/**
 * `npx projen lint:templates`: cfn-lint on every template the project synthesizes (the example app before and after
 * its update, a stack with every construct, the bench stacks) and on the integ snapshots. Fails on any error or
 * warning that scripts/cfn-lint-ignores.ts does not accept, and when cfn-lint is not installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnLintMatch, IGNORED_FINDINGS, ignoredBy } from './cfn-lint-ignores';
import { loadDeliverabilityTest } from '../bench/stacks';
import { buildSynthApp } from '../bench/synth-worker';
import { buildMixedStack, FULL_MIX } from '../bench/throughput';
import { buildExampleStack } from '../examples/app';
import { addEveryConstruct } from '../examples/every-construct';

const ROOT = path.resolve(__dirname, '..');
const ENV = { account: '123456789012', region: 'us-east-1' };
const LEVEL_SUMS = [0, 2, 4, 6, 8, 10, 12, 14];

/** Synthesizes every app into `outdir` and returns the paths of their templates. */
function synthesizedTemplates(outdir: string): string[] {
  const apps: App[] = [];
  for (const version of [1, 2] as const) {
    const app = new App({ outdir: path.join(outdir, `example-v${version}`) });
    buildExampleStack(app, { version });
    apps.push(app);
  }
  const everyConstruct = new App({ outdir: path.join(outdir, 'every-construct') });
  addEveryConstruct(new Stack(everyConstruct, 'EveryConstruct', { env: ENV }));
  apps.push(everyConstruct);

  apps.push(buildSynthApp('library', 10, path.join(outdir, 'bench-synth-10')));
  const throughput = new App({ outdir: path.join(outdir, 'bench-throughput') });
  buildMixedStack(new Stack(throughput, 'BenchThroughput'), FULL_MIX, loadDeliverabilityTest());
  apps.push(throughput);

  return apps.flatMap((app) => app.synth().stacks.map((stack) => stack.templateFullPath));
}

function integSnapshotTemplates(): string[] {
  const testDir = path.join(ROOT, 'test');
  return fs.readdirSync(testDir)
    .filter((name) => name.endsWith('.snapshot'))
    .flatMap((dir) => fs.readdirSync(path.join(testDir, dir))
      .filter((name) => name.endsWith('.template.json'))
      .map((name) => path.join(testDir, dir, name)));
}

function cfnLint(templates: string[]): CfnLintMatch[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('cfn-lint is not installed (or not on PATH). Install it with `pip install cfn-lint` (version 1.51 or later) '
      + 'and run `npx projen lint:templates` again.');
  }
  // The exit code is the sum of the levels found (2 error, 4 warning, 8 informational); anything else is a crash.
  if (result.status === null || !LEVEL_SUMS.includes(result.status)) {
    throw new Error(`cfn-lint failed (exit ${result.status}): ${result.stderr || result.stdout}`);
  }
  return JSON.parse(result.stdout || '[]') as CfnLintMatch[];
}

function main(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pinpoint-email-lint-'));
  try {
    const templates = [...synthesizedTemplates(outdir), ...integSnapshotTemplates()];
    const matches = cfnLint(templates);
    const failures = matches.filter((m) => !ignoredBy(m));
    const ignored = matches.length - failures.length;
    for (const m of failures) {
      const file = path.relative(outdir, m.Filename).startsWith('..') ? path.relative(ROOT, m.Filename) : path.relative(outdir, m.Filename);
      console.log(`${m.Level} ${m.Rule.Id} ${file}:${m.Location.Start.LineNumber} ${m.Location.Path.join('/')}: ${m.Message}`);
    }
    console.log(`cfn-lint ${cfnLintVersion()}: ${templates.length} templates, ${failures.length} findings, `
      + `${ignored} accepted by scripts/cfn-lint-ignores.ts (${IGNORED_FINDINGS.length} entries)`);
    for (const entry of IGNORED_FINDINGS.filter((e) => !matches.some((m) => ignoredBy(m) === e))) {
      console.log(`note: the ${entry.rule} entry "${entry.reason.slice(0, 60)}..." accepted nothing: its cause is gone, delete it`);
    }
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function cfnLintVersion(): string {
  return spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^cfn-lint /, '');
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
