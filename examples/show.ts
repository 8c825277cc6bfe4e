/**
 * `npm run example`: synthesizes examples/app.ts and prints the custom resources of its template.
 */
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleStack } from './app';

function main(): void {
  const app = new App({ outdir: path.join(os.tmpdir(), `cdk-pinpoint-email-example-${process.pid}`) });
  const stack = buildExampleStack(app);
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, Resource> };

  const resources = Object.entries(template.Resources);
  const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function').length;
  console.log(`Stack ${stack.stackName}: ${resources.length} resources, ${functions} handler function(s)\n`);
  for (const [logicalId, resource] of resources) {
    if (!resource.Type.startsWith('Custom::')) continue;
    const { ServiceToken: _token, ...properties } = resource.Properties;
    console.log(`${logicalId} (${resource.Type})`);
    console.log(`  ${JSON.stringify(properties)}`);
  }
}

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

try {
  main();
} catch (error) {
  // Synthesis errors already name the construct path and the prop; a stack trace adds nothing for a user.
  console.error((error as Error).message);
  process.exitCode = 1;
}
