/**
 * The oracle can fail: with the bundled handler broken on purpose (a fixture around it, never the product), the CI
 * subset's histories find a divergence, one bug at a time.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brokenHandler, Bug, dropPermission } from './broken-handlers';
import { CI_SEED, CI_SEQUENCES, CI_TIME_LIMIT_MS } from './ci';
import { fuzz } from './fuzz';

const BUGS: Array<{ bug: Bug; shows: RegExp }> = [
  { bug: 'missing-untag', shows: /tags expected|not rolled back: .*"tags"/ },
  { bug: 'ignored-option-group', shows: /options expected .*"tls":"REQUIRE"/ },
  { bug: 'rollback-deletes-old', shows: /not rolled back|was deleted|does not exist/ },
  { bug: 'ip-left-in-pool', shows: /dedicated IP [0-9.]+: expected/ },
  { bug: 'wait-without-polling', shows: /though the identity is never verified|is not verified/ },
  { bug: 'missing-permission', shows: /AccessDenied/ },
  { bug: 'api-read-at-load', shows: /calls not through sesv2 \(v2\)|needs the SES API v2/ },
  { bug: 'ignored-ses-v2-option', shows: /"suppression":\[/ },
];

/** Where the broken handler modules are written, for this file's tests only. */
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pinpoint-email-broken-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(BUGS)('$bug is caught within the CI subset', async ({ bug, shows }) => {
  const summary = await fuzz({
    sequences: CI_SEQUENCES,
    seed: CI_SEED,
    noShrink: true,
    timeLimitMs: CI_TIME_LIMIT_MS,
    handlerPath: brokenHandler(bug, dir),
    transformTemplate: bug === 'missing-permission' ? dropPermission('ses:TagResource') : undefined,
  });
  console.log(`${bug}: caught after ${summary.sequences} histories\n${summary.report}`);
  expect(summary.failed).toBe(1);
  expect(summary.report).toMatch(shows);
}, 120_000);
