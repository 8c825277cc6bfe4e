/**
 * `npm run bench`: measures the library's costs side by side in one run, prints a table and writes bench/results.json.
 *
 *   npx projen bundle && npx ts-node --transpile-only --project tsconfig.dev.json bench/run.ts [--quick]
 *
 * --quick: small N and few runs, for development; writes its JSON to the temp directory, not bench/results.json.
 * Targets are reported next to the figures, never asserted: the exit code is 0 unless a measurement itself breaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureApiCalls } from './api-calls';
import { BenchResults, findingsOf, formatReport, judgeTargets } from './report';
import { loadDeliverabilityTest } from './stacks';
import { measureStartup } from './startup';
import { measureSynth } from './synth';
import { FULL_MIX, measureThroughput, ResourceMix } from './throughput';
import { DEFAULT_HANDLER_PATH } from '../test/support/lifecycle-driver';
import { LocalPinpointEmailService } from '../test/support/local-service';

interface Settings {
  readonly synthNs: number[];
  readonly synthRuns: number;
  readonly startupRuns: number;
  readonly requestsPerSecond: number;
  readonly mix: ResourceMix;
  readonly throughputRuns: number;
}

const FULL: Settings = {
  synthNs: [1, 10, 100, 500],
  synthRuns: 5,
  startupRuns: 21,
  requestsPerSecond: 5,
  mix: FULL_MIX,
  throughputRuns: 3,
};

const QUICK: Settings = {
  synthNs: [1, 10, 50],
  synthRuns: 3,
  startupRuns: 5,
  requestsPerSecond: 5,
  mix: { configurationSets: 4, dedicatedIpPools: 2, emailIdentities: 3, deliverabilityTests: 1 },
  throughputRuns: 1,
};

const RESULTS_FILE = path.join(__dirname, 'results.json');

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const settings = quick ? QUICK : FULL;
  if (!fs.existsSync(DEFAULT_HANDLER_PATH)) {
    throw new Error(`handler asset not found: ${DEFAULT_HANDLER_PATH}; build it first with \`npx projen bundle\``);
  }
  const started = Date.now();
  const deliverabilityTest = loadDeliverabilityTest();
  if (!deliverabilityTest.available) log(deliverabilityTest.gap);

  const synth = measureSynth({ ns: settings.synthNs, runs: settings.synthRuns, log });
  const startup = measureStartup({ assetPath: DEFAULT_HANDLER_PATH, runs: settings.startupRuns, log });
  const service = await LocalPinpointEmailService.start();
  let apiCalls;
  let throughput;
  try {
    apiCalls = await measureApiCalls(service, deliverabilityTest, log);
    throughput = await measureThroughput(service, deliverabilityTest, {
      requestsPerSecond: settings.requestsPerSecond, mix: settings.mix, runs: settings.throughputRuns, log,
    });
  } finally {
    await service.stop();
  }

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    quick,
    machine: { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    synth,
    startup,
    apiCalls,
    throughput,
    findings: findingsOf(synth),
    targets: judgeTargets(synth, startup, apiCalls, throughput),
    gaps: deliverabilityTest.available ? [] : [`${deliverabilityTest.gap}: its API call rows and its share of the throughput mix are missing`],
  };
  const file = quick ? path.join(os.tmpdir(), 'cdk-pinpoint-email-bench-quick.json') : RESULTS_FILE;
  fs.writeFileSync(file, `${JSON.stringify(results, undefined, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\n\nwrote ${quick ? file : path.relative(process.cwd(), file)} in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
