/**
 * `npx projen check:consumer` (after `npx projen package:js`): the packed tarball, installed into a clean temporary
 * folder with only its peer dependencies (aws-cdk-lib and constructs, linked from this clone's node_modules), loads from
 * plain JavaScript and synthesizes a stack with every construct (scripts/consumer-check/app.js), handler asset included.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResourceTypes } from '../src/private/contract';

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = 'cdk-pinpoint-email';
/** Every custom resource type of the library: the consumer's stack must have each one. */
const CUSTOM_RESOURCE_TYPES: string[] = Object.values(ResourceTypes);

interface ConsumerOutput {
  readonly types: string[];
  /** The construct classes the package exports. */
  readonly constructs: string[];
  /** Those of them with no instance in the consumer's stack. */
  readonly missing: string[];
}

function tarball(): string {
  const dir = path.join(ROOT, 'dist', 'js');
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith(`${PACKAGE_NAME}@`) && name.endsWith('.tgz')) : [];
  if (found.length !== 1) throw new Error(`expected one ${PACKAGE_NAME} tarball in dist/js, found ${found.length}: run \`npx projen package:js\` first`);
  return path.join(dir, found[0]);
}

/**
 * Links a peer dependency from this clone's node_modules: the versions the tests run against (projen pins the dev
 * dependencies to the lowest versions of the peer ranges).
 */
function linkPeer(consumer: string, name: string): void {
  fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(consumer, 'node_modules', name), 'dir');
}

function main(): void {
  const tgz = tarball();
  const consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pinpoint-email-consumer-'));
  try {
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    // Only the package: its peers are linked below, and it must have no other runtime dependency.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--no-package-lock', tgz],
      { cwd: consumer, stdio: ['ignore', 'ignore', 'inherit'] });
    const installed = path.join(consumer, 'node_modules', PACKAGE_NAME);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>; peerDependencies: Record<string, string>;
    };
    const installedPackages = fs.readdirSync(path.join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
    if (installedPackages.join() !== PACKAGE_NAME || Object.keys(manifest.dependencies ?? {}).length > 0) {
      throw new Error(`the package brings runtime dependencies: ${JSON.stringify(manifest.dependencies)} (installed: ${installedPackages.join(', ')})`);
    }
    for (const name of Object.keys(manifest.peerDependencies)) linkPeer(consumer, name);

    fs.copyFileSync(path.join(__dirname, 'consumer-check', 'app.js'), path.join(consumer, 'app.js'));
    const env = { ...process.env, NODE_OPTIONS: '', TS_NODE_PROJECT: '' }; // plain Node: no ts-node hooks from the caller
    const run = spawnSync(process.execPath, ['app.js'], { cwd: consumer, env, encoding: 'utf8' });
    if (run.status !== 0) {
      // Node prints the throwing line of a minified file in full: keep the readable lines.
      const readable = run.stderr.split('\n').filter((line) => line.length < 400);
      const errors = readable.filter((line) => /Error\b/.test(line)).slice(0, 3);
      throw new Error(`the consumer app failed (exit ${run.status}):\n${[...errors, ...readable.slice(-4)].join('\n')}`);
    }
    const output = JSON.parse(run.stdout.trim().split('\n').pop()!) as ConsumerOutput;

    if (output.missing.length > 0) throw new Error(`the consumer's stack has no ${output.missing.join(', ')}: scripts/consumer-check/app.js must build every construct`);
    const missing = CUSTOM_RESOURCE_TYPES.filter((type) => !output.types.includes(type));
    if (missing.length > 0) throw new Error(`the consumer's template lacks ${missing.join(', ')}`);
    const handlers = output.types.filter((type) => type === 'AWS::Lambda::Function').length;
    if (handlers !== 1) throw new Error(`expected one handler function, found ${handlers}`);
    const assembly = path.join(consumer, 'cdk.out');
    const handlerAsset = fs.readdirSync(assembly).filter((name) => name.startsWith('asset.'))
      .map((name) => path.join(assembly, name, 'index.js')).find((file) => fs.existsSync(file));
    if (!handlerAsset) throw new Error('no handler asset (asset.*/index.js) in the consumer\'s cloud assembly');
    console.log(`consumer check: ${path.basename(tgz)} installed with peers ${Object.keys(manifest.peerDependencies).join(', ')} only; `
      + `plain JavaScript synthesized ${output.types.length} resources (all ${output.constructs.length} exported constructs, `
      + `all ${CUSTOM_RESOURCE_TYPES.length} custom resource types, one handler, `
      + `asset of ${fs.statSync(handlerAsset).size} bytes)`);
  } finally {
    fs.rmSync(consumer, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`consumer check failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
