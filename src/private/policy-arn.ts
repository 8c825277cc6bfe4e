import { Token } from 'aws-cdk-lib';
import { resolvedAs } from './resolved-as';

/** The characters that are special in a policy's Resource: wildcards, and the start of a policy variable. */
const SPECIAL = /[*?$]/g;
/** IAM's escapes for a literal `*`, `?` or `$` (policy variables with fixed values). */
const ESCAPED = /\$\{[*?$]\}/g;

/**
 * `arn` as an IAM policy must write it to name exactly that one resource: each `*`, `?` and `$` of the name (an email
 * address may contain all three) written as IAM's escape for the literal character, `${*}`, `${?}` and `${$}`.
 * Policy variables need `Version: 2012-10-17`, which the handler's policy has. Only for ARNs built from a declared
 * name, never for a pattern.
 *
 * The escaping happens when the ARN is resolved, so a name given as a lazy value is escaped too. The literal text of
 * the resolved ARN is escaped (a string, or the string parts of an `Fn::Join`); a value that only CloudFormation
 * knows (a parameter, an `Fn::Select`) cannot be, and is left as it is. The handler's policy then writes the join as
 * one `Fn::Sub` (src/private/cfn-sub.ts), where an escape is `${!*}`: CloudFormation turns it back into `${*}`.
 */
export function exactArnInPolicy(arn: string): string {
  return Token.asString(resolvedAs(arn, escapeLiterals));
}

/** Whether a resource of a policy, as text, has a wildcard (`*` or `?`) that is not escaped. */
export function hasWildcard(resourceText: string): boolean {
  return /[*?]/.test(resourceText.replace(ESCAPED, ''));
}

function escapeLiterals(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(SPECIAL, (character) => `\${${character}}`);
  const join = (value as Record<string, unknown> | null)?.['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return { 'Fn::Join': [join[0], join[1].map(escapeLiterals)] };
  return value;
}
