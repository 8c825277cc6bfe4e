import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The synth-time validation errors of the stack (CDK's message, every error with its construct path), or '' if none. */
export function synthErrors(stack: Stack): string {
  try {
    Template.fromStack(stack);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
