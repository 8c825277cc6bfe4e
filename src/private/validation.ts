import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
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

/** What `importedArnName` read from an ARN given to a `fromXxxArn` import. */
export interface ImportedArn {
  /** The resource name (a token when the ARN is one); empty when the ARN has none. */
  readonly name: string;
  /** The ARN when it can give the import its environment, else undefined. */
  readonly environmentFromArn?: string;
  /** Problems to report through the construct's validation, each starting with the argument's name. */
  readonly problems: string[];
}

/**
 * Reads the resource name of `arn`, which must be `arn:<partition>:ses:<region>:<account>:<resourceType>/<name>`.
 * A token is taken as it is. A malformed ARN, another service or resource type, or no name, is a problem that the
 * import reports at synth like a prop's (`[<path>] <argument> "..." ...`), never a thrown plain Error.
 */
export function importedArnName(arn: string, argument: string, resourceType: string, what: string): ImportedArn {
  const expected = `expected arn:<partition>:ses:<region>:<account>:${resourceType}/<${what}>`;
  const invalid = (why: string): ImportedArn => ({ name: '', problems: [`${argument} "${arn}" ${why} (${expected})`] });
  if (Token.isUnresolved(arn)) {
    return { name: Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '', environmentFromArn: arn, problems: [] };
  }
  let parts;
  try {
    parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    return invalid('is not an ARN');
  }
  if (parts.service !== 'ses' || parts.resource !== resourceType) return invalid(`is not an ARN of resource type ${resourceType}`);
  if (!parts.resourceName) return { ...invalid(`has no ${what}`), environmentFromArn: arn };
  return { name: parts.resourceName, environmentFromArn: arn, problems: [] };
}
