/**
 * Synthesized templates for the lifecycle measurements, and the optional DeliverabilityTest construct (loaded only when
 * src/deliverability-test.ts exists and loads, so that the other measurements run without it).
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnTemplate } from '../test/support/lifecycle-driver';

export type DeliverabilityTestModule = typeof import('../src/deliverability-test');

/** The DeliverabilityTest module, or why it is missing (the measurements then leave a marked gap). */
export type DeliverabilityTestAvailability =
  | { readonly available: true; readonly module: DeliverabilityTestModule }
  | { readonly available: false; readonly gap: string };

export function loadDeliverabilityTest(file = path.resolve(__dirname, '..', 'src', 'deliverability-test.ts')): DeliverabilityTestAvailability {
  if (!fs.existsSync(file)) return { available: false, gap: `GAP: ${path.relative(process.cwd(), file)} does not exist yet` };
  try {
    // Loaded on demand (not imported), so that a half-written file only turns its rows into a gap.
    const module = createRequire(__filename)(file) as DeliverabilityTestModule;
    if (typeof module.DeliverabilityTest !== 'function' || typeof module.TestContent?.simple !== 'function') {
      return { available: false, gap: `GAP: ${path.relative(process.cwd(), file)} does not export DeliverabilityTest and TestContent yet` };
    }
    return { available: true, module };
  } catch (error) {
    return { available: false, gap: `GAP: ${path.relative(process.cwd(), file)} does not load: ${(error as Error).message.split('\n').filter(Boolean).slice(0, 2).join(' ')}` };
  }
}

/** The domain identity seeded as verified, so that deliverability tests can send from it. */
export const VERIFIED_SENDER_DOMAIN = 'verified.example.com';

/** Synthesizes one stack built by `build` in a throw-away App and returns its template. */
export function synthTemplate(stackName: string, build: (stack: Stack) => void): CfnTemplate {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinpoint-email-bench-app-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, stackName);
    build(stack);
    return app.synth().getStackByName(stackName).template as CfnTemplate;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
