/**
 * The integ snapshots hold the handler asset that the current lambda/ builds. The offline snapshot check
 * (`projen integ:snapshot`) compares templates without their asset hashes, so a snapshot left from an older handler
 * passes it; this test fails on one.
 */
import * as fs from 'fs';
import * as path from 'path';

const BUNDLE = path.join(__dirname, '..', 'assets', 'lambda', 'index', 'index.js');
const SNAPSHOTS = fs.readdirSync(__dirname).filter((name) => /^integ\..+\.ts\.snapshot$/.test(name));

/** The asset directory (`asset.<hash>`) of each handler function in the snapshot's templates, from its `S3Key`. */
function handlerAssetDirs(snapshot: string): string[] {
  const dir = path.join(__dirname, snapshot);
  return fs.readdirSync(dir).filter((name) => name.endsWith('.template.json')).flatMap((name) => {
    const resources = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).Resources ?? {};
    return Object.entries<any>(resources)
      .filter(([logicalId]) => logicalId.startsWith('PinpointEmailProviderHandler'))
      .map(([, resource]) => path.join(dir, `asset.${String(resource.Properties.Code.S3Key).replace(/\.zip$/, '')}`));
  });
}

test('there are integ snapshots', () => {
  expect(SNAPSHOTS.length).toBeGreaterThanOrEqual(4);
});

test.each(SNAPSHOTS)('%s holds the handler that lambda/ builds now (else: npx projen integ:snapshot:update)', (snapshot) => {
  const dirs = handlerAssetDirs(snapshot);
  expect(dirs).toHaveLength(1);
  const snapshotted = fs.readFileSync(path.join(dirs[0], 'index.js'), 'utf8');
  expect(snapshotted === fs.readFileSync(BUNDLE, 'utf8')).toBe(true);
});
