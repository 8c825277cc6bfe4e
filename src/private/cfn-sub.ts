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
