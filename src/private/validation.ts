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

/**
 * Whether `value` is one of the members of a TypeScript string enum. TypeScript callers cannot get this wrong; plain
 * JavaScript (and jsii languages passing raw strings) can, e.g. `tlsPolicy: 'require'`.
 */
export function isEnumMember<E extends Record<string, string>>(enumObject: E, value: unknown): value is E[keyof E] {
  return typeof value === 'string' && (Object.values(enumObject) as string[]).includes(value);
}

/**
 * A check of an enum-typed prop: absent or a member of the enum. `enumName` is the exported name of the enum, used to
 * list the accepted members.
 */
export function enumProblems<E extends Record<string, string>>(prop: string, value: unknown, enumObject: E, enumName: string): string[] {
  if (value === undefined || isEnumMember(enumObject, value)) return [];
  const members = Object.keys(enumObject).map((key) => `${enumName}.${key}`).join(', ');
  return [`${prop} ${JSON.stringify(value)} is not a ${enumName}: use one of ${members}`];
}
