import { Token } from 'aws-cdk-lib';
import { RESERVED_TAG_KEY_PREFIX } from './private/contract';

/** Most tags a Pinpoint Email resource can carry (the API's limit). */
const API_MAX_TAGS = 50;
/** Most tags a user can give one resource: the handler adds its ownership tag to every resource it creates. */
export const MAX_TAGS_PER_RESOURCE = API_MAX_TAGS - 1;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const RESERVED_PREFIX = 'aws:';

// The API documentation's list: Unicode letters, digits, spaces (\p{Z}: no tabs or line breaks), and _ . : / = + -;
// plus @, which the AWS-wide tag rules allow ([unverified] against the live Pinpoint Email API; see docs/decisions.md).
const TAG_CHARACTERS = /^[\p{L}\p{N}\p{Z}_.:/=+\-@]*$/u;
const TAG_CHARACTERS_RULE = 'letters, digits, spaces and _ . : / = + - @';

/**
 * Checks tags against the Pinpoint Email tag rules and returns one message per problem (empty when valid).
 * Keys or values that are unresolved tokens are skipped; they still count towards the limit.
 */
export function tagProblems(tags: Record<string, string>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS_PER_RESOURCE) {
    problems.push(`has ${keys.length} tags; a resource can have at most ${MAX_TAGS_PER_RESOURCE} ` +
      `(the API allows ${API_MAX_TAGS}, and the ${API_MAX_TAGS}th is the ownership tag "${RESERVED_TAG_KEY_PREFIX}owner" that the handler adds)`);
  }
  for (const key of keys) {
    if (!Token.isUnresolved(key)) problems.push(...keyProblems(key));
    const value = tags[key];
    if (!Token.isUnresolved(value)) problems.push(...valueProblems(key, value));
  }
  return problems;
}

function keyProblems(key: string): string[] {
  const problems: string[] = [];
  const length = [...key].length;
  if (length < 1 || length > MAX_KEY_LENGTH) {
    problems.push(`tag key "${key}" must be 1 to ${MAX_KEY_LENGTH} characters (got ${length})`);
  }
  if (key.toLowerCase().startsWith(RESERVED_PREFIX)) {
    problems.push(`tag key "${key}" uses the reserved prefix "${RESERVED_PREFIX}"`);
  }
  if (key.toLowerCase().startsWith(RESERVED_TAG_KEY_PREFIX)) {
    problems.push(`tag key "${key}" uses the prefix "${RESERVED_TAG_KEY_PREFIX}", reserved for the ownership tag that the handler adds`);
  }
  if (!TAG_CHARACTERS.test(key)) {
    problems.push(`tag key "${key}" may contain only ${TAG_CHARACTERS_RULE}`);
  }
  return problems;
}

function valueProblems(key: string, value: string): string[] {
  const problems: string[] = [];
  const length = [...value].length;
  if (length > MAX_VALUE_LENGTH) {
    problems.push(`the value of tag "${key}" must be at most ${MAX_VALUE_LENGTH} characters (got ${length})`);
  }
  // The API documentation reserves the prefix in values as well as keys.
  if (value.toLowerCase().startsWith(RESERVED_PREFIX)) {
    problems.push(`the value of tag "${key}" uses the reserved prefix "${RESERVED_PREFIX}"`);
  }
  if (!TAG_CHARACTERS.test(value)) {
    problems.push(`the value of tag "${key}" may contain only ${TAG_CHARACTERS_RULE}`);
  }
  return problems;
}
