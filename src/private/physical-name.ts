import { createHash } from 'crypto';
import { Names, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const PREFIX_STACK_LENGTH = 24;
const HASH_LENGTH = 8;

export interface GeneratedNameOptions {
  /** Longest name the API accepts. */
  readonly maxLength: number;
  /** Whether the API accepts only lower-case names. */
  readonly lowerCase?: boolean;
}

/**
 * The prefix that every generated name in a stack starts with: the stack name, sanitized and cut to 24 characters.
 * One IAM resource pattern (`<type>/<prefix>*`) then covers every generated name of the stack.
 */
export function generatedNamePrefix(scope: IConstruct, options: GeneratedNameOptions): string {
  const stackName = Stack.of(scope).stackName;
  const base = Token.isUnresolved(stackName) ? 'stack' : sanitize(stackName, options).slice(0, PREFIX_STACK_LENGTH);
  return `${base}-`;
}

/**
 * A name that is unique per construct path and valid for the API: the stack prefix, the readable tail of the
 * stack-relative path, and a hash of the full path.
 */
export function generateName(scope: IConstruct, options: GeneratedNameOptions): string {
  const prefix = generatedNamePrefix(scope, options);
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, HASH_LENGTH);
  const room = options.maxLength - prefix.length - hash.length;
  const readable = sanitize(Names.stackRelativeConstructPath(scope), options).slice(-room);
  return `${prefix}${readable}${options.lowerCase ? hash : hash.toUpperCase()}`;
}

function sanitize(text: string, options: GeneratedNameOptions): string {
  const kept = text.replace(/[^A-Za-z0-9-]/g, '');
  return options.lowerCase ? kept.toLowerCase() : kept;
}
