import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Registers synth-time checks on a construct. Each check returns messages that start with the prop's name;
 * CDK prefixes them with the construct path and fails synthesis.
 */
export function addPropChecks(scope: IConstruct, ...checks: Array<() => string[]>): void {
  scope.node.addValidation({ validate: () => checks.flatMap((check) => check()) });
}

/** A check of a string prop against a pattern, skipped when the value is absent or an unresolved token. */
export function patternProblems(prop: string, value: string | undefined, pattern: RegExp, rule: string): string[] {
  if (value === undefined || Token.isUnresolved(value)) return [];
  return pattern.test(value) ? [] : [`${prop} "${value}" is invalid: ${rule}`];
}
