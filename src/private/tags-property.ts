import { TagManager, Token } from 'aws-cdk-lib';
import { TagProperty, TagsProperty } from './contract';

/**
 * Keys that a template's map cannot carry as they are: `__proto__`, which aws-cdk-lib's resolution drops, and the keys
 * of CloudFormation's intrinsic functions (`Ref`, `Condition`, `Fn::...`), which would make the map a function call.
 */
const NOT_A_MAP_KEY = /^(__proto__|Ref|Condition|Fn::.*)$/s;

/**
 * The `Tags` property of schema version 2: the list that a KEY_VALUE manager renders, as a map; or that list, as in
 * version 1, when a key cannot be a map's key (above) or is a token (a map's key must resolve to text). Undefined
 * without tags.
 */
export function tagsProperty(tags: TagManager): TagsProperty | undefined {
  const list = tags.renderTags() as TagProperty[] | undefined;
  if (list === undefined || list.length === 0) return undefined;
  if (list.some((tag) => Token.isUnresolved(tag.Key) || NOT_A_MAP_KEY.test(tag.Key))) return list;
  return Object.fromEntries(list.map((tag) => [tag.Key, tag.Value]));
}
