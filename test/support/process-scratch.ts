import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let dir: string | undefined;

/**
 * A directory of this process, made on first use and removed when the process exits: what the fuzzer writes for each
 * history (a cloud assembly per synthesized version, a broken handler module) goes here rather than into a new
 * directory of the system's temp each time, which nothing removes.
 */
export function processScratch(): string {
  if (dir === undefined) {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-pinpoint-email-'));
    process.once('exit', () => fs.rmSync(made, { recursive: true, force: true }));
    dir = made;
  }
  return dir;
}
