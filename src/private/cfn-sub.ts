import { IResolvable } from 'aws-cdk-lib';
import { resolvedAs } from './resolved-as';

/**
 * A resolved `Fn::Join` whose parts are all literal text, `Ref`s and `Fn::GetAtt`s, written as one `Fn::Sub` string
 * (`arn:${AWS::Partition}:ses:${AWS::Region}:...`): the same value, in about a third of the template's bytes. Literal
 * `${` is written `${!` as `Fn::Sub` wants it. Anything else (a plain string, a join with an `Fn::Select`) is returned
 * unchanged.
 */
export function joinAsSub(value: unknown): unknown {
  const join = (value as Record<string, unknown> | null)?.['Fn::Join'] as [string, unknown[]] | undefined;
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) return value;
  const pieces = join[1].map(subPiece);
  if (pieces.some((piece) => piece === undefined)) return value;
  return { 'Fn::Sub': pieces.join(literal(join[0])) };
}

/** `text` (a string with tokens, such as an ARN from `formatArn`) rendered through joinAsSub once resolved. */
export function asSub(text: string): IResolvable {
  return resolvedAs(text, joinAsSub);
}

function subPiece(part: unknown): string | undefined {
  if (typeof part === 'string') return literal(part);
  const intrinsic = part as Record<string, unknown> | null;
  if (intrinsic === null || typeof intrinsic !== 'object' || Object.keys(intrinsic).length !== 1) return undefined;
  if (typeof intrinsic.Ref === 'string') return `\${${intrinsic.Ref}}`;
  const getAtt = intrinsic['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2 && getAtt.every((item) => typeof item === 'string')) return `\${${getAtt[0]}.${getAtt[1]}}`;
  return undefined;
}

function literal(text: string): string {
  return text.replace(/\$\{/g, '${!');
}

/** The pseudo parameters that an item of a split list may refer to: their values never hold a delimiter. */
const PSEUDO_REFERENCE = /^\$\{AWS::(Partition|Region|AccountId|URLSuffix)\}$/;
/** The delimiters a split list may use: the first that no item holds. */
const DELIMITERS = [',', '|', ';', ' '];
/** How deep a policy statement's `Resource` is indented in the template, to compare sizes as synth writes them. */
const RESOURCE_DEPTH = 7;

/**
 * `texts` (strings with tokens, such as ARNs from `formatArn`) rendered through joinAsSub once resolved, as one value:
 * the text itself when there is one, or the list written by listAsSplit.
 */
export function asSubList(texts: string[]): unknown {
  if (texts.length === 1) return asSub(texts[0]);
  return resolvedAs(texts, (resolved) => listAsSplit((resolved as unknown[]).map(joinAsSub)));
}

/**
 * A resolved list of ARNs (each a string or an `Fn::Sub` string, as joinAsSub writes them) as one `Fn::Split` of one
 * `Fn::Sub` where the items' common start is written once, as a variable:
 * `{"Fn::Split": [",", {"Fn::Sub": ["${P}a,${P}b", {"P": {"Fn::Sub": "arn:${AWS::Partition}:...:configuration-set/"}}]}]}`.
 * CloudFormation resolves it to the same list. Only when that is shorter, and only for items that refer to nothing but
 * pseudo parameters and have no wildcard and no escape: a parameter's value could hold the delimiter, and cdk-nag
 * reads an `Fn::Split` as its JSON, so it must find no `*` there. Anything else is returned unchanged.
 */
export function listAsSplit(items: unknown[]): unknown {
  const texts = items.map(splittableText);
  if (items.length < 2 || texts.some((text) => text === undefined)) return items;
  const parts = texts as string[];
  const delimiter = DELIMITERS.find((candidate) => parts.every((text) => !text.includes(candidate)));
  if (delimiter === undefined) return items;
  const start = commonStart(parts);
  // The items refer to pseudo parameters only, so no item can mean another `P`.
  const body = parts.map((text) => `\${P}${text.slice(start.length)}`).join(delimiter);
  const split = { 'Fn::Split': [delimiter, { 'Fn::Sub': [body, { P: start.includes('${') ? { 'Fn::Sub': start } : start }] }] };
  return templateBytes(split) < templateBytes(items) ? split : items;
}

/** An item's `Fn::Sub` text, or undefined when it cannot go into a split list (see listAsSplit). */
function splittableText(item: unknown): string | undefined {
  const text = typeof item === 'string' ? (item.includes('${') ? undefined : item) : (item as Record<string, unknown> | null)?.['Fn::Sub'];
  if (typeof text !== 'string' || /[*?]/.test(text)) return undefined;
  const references = text.match(/\$\{[^}]*\}?/g) ?? [];
  return references.every((reference) => PSEUDO_REFERENCE.test(reference)) ? text : undefined;
}

/** The longest start that all texts share, cut so that it ends neither inside a `${...}` nor on a `$`. */
function commonStart(texts: string[]): string {
  let start = texts[0];
  for (const text of texts) {
    let i = 0;
    while (i < start.length && i < text.length && start[i] === text[i]) i++;
    start = start.slice(0, i);
  }
  const open = start.lastIndexOf('${');
  if (open >= 0 && !start.includes('}', open)) start = start.slice(0, open);
  return start.replace(/\$$/, '');
}

function templateBytes(value: unknown): number {
  const text = JSON.stringify(value, undefined, 1);
  return text.length + (text.split('\n').length - 1) * RESOURCE_DEPTH;
}
