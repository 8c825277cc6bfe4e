/**
 * Run after each test file (jest's setupFilesAfterEnv): removes the cloud assembly directories that aws-cdk-lib made
 * in the system's temp for every App without an `outdir`. aws-cdk-lib removes them when the process exits, an event
 * that jest never fires.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());
