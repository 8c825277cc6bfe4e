/** Helpers of the construct tests: a stack in a fixed environment, and the synth-time validation errors of a stack. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A stack `Demo` of a new app, in account 123456789012, us-east-1. */
export function newStack(): Stack {
  return new Stack(new App(), 'Demo', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** The synth-time validation errors of the stack, or '' when it synthesizes. */
export function synthErrors(stack: Stack): string {
  try {
    Template.fromStack(stack);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
