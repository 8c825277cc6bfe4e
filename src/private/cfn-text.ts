/**
 * A resolved CloudFormation string expression (a literal, or an intrinsic such as `Fn::Join` or `Fn::Sub`) as plain
 * text: each `Fn::Join` is concatenated, each `Fn::Sub` substituted (`${!x}` is the literal `${x}`; a variable of its
 * own map is that value, any other is a `Ref`, or an `Fn::GetAtt` when it has a dot), and every other intrinsic becomes
 * what `leaf` makes of it.
 */
export function cfnText(value: unknown, leaf: (intrinsic: Record<string, unknown>) => string): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  const join = intrinsic['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => cfnText(part, leaf)).join(join[0]);
  const sub = intrinsic['Fn::Sub'];
  if (typeof sub === 'string') return substitute(sub, {}, leaf);
  if (Array.isArray(sub) && typeof sub[0] === 'string') return substitute(sub[0], (sub[1] ?? {}) as Record<string, unknown>, leaf);
  return leaf(intrinsic);
}

function substitute(body: string, variables: Record<string, unknown>, leaf: (intrinsic: Record<string, unknown>) => string): string {
  return body.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return cfnText(variables[name], leaf);
    const dot = name.indexOf('.');
    return leaf(dot < 0 ? { Ref: name } : { 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] });
  });
}

/**
 * The text cdk-nag uses to name a resource in a finding (`AwsSolutions-IAM5[Resource::<text>]`), as its
 * `flattenCfnReference` writes it: literal text (an `Fn::Sub` string too, unsubstituted) with `${` as `<` and `}` as
 * `>`, `Fn::Join` concatenated, `Ref`s as `<Name>`, `Fn::GetAtt` as `<Resource.Attribute>`, `Fn::ImportValue` as its
 * name, other intrinsics as their JSON.
 */
export function nagText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const intrinsic = value as Record<string, unknown>;
  const join = intrinsic['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(nagText).join(join[0]);
  if (intrinsic['Fn::Sub']) return nagText(intrinsic['Fn::Sub']);
  const getAtt = intrinsic['Fn::GetAtt'] as [unknown, unknown] | undefined;
  if (getAtt) return `<${nagText(getAtt[0])}.${nagText(getAtt[1])}>`;
  if (intrinsic['Fn::ImportValue']) return nagText(intrinsic['Fn::ImportValue']);
  if (intrinsic.Ref) return `<${nagText(intrinsic.Ref)}>`;
  return JSON.stringify(intrinsic);
}

/** The longest values the pseudo parameters of an ARN (or of the stack's id) can take, so that a size estimate is never short. */
const LONGEST_PSEUDO_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'ap-southeast-7',
  'AWS::AccountId': '123456789012',
  // A stack name of 128 characters, and the stack's uuid.
  'AWS::StackId': `arn:aws-us-gov:cloudformation:ap-southeast-7:123456789012:stack/${'x'.repeat(128)}/${'x'.repeat(36)}`,
};
/** Stands for any value only known at deploy time (a generated log group name, a parameter): longer than any name here. */
export const UNKNOWN_VALUE_LENGTH = 256;

/**
 * The value at its longest once deployed: pseudo parameters at their longest values, an `Fn::Select` of an `Fn::Split`
 * as that part of the longest text, and any other intrinsic as UNKNOWN_VALUE_LENGTH characters.
 */
export function longestText(value: unknown): string {
  return cfnText(value, (intrinsic) => {
    const select = intrinsic['Fn::Select'] as [unknown, unknown] | undefined;
    const split = select ? (select[1] as Record<string, unknown> | undefined)?.['Fn::Split'] as [string, unknown] | undefined : undefined;
    const selected = select && split ? longestText(split[1]).split(split[0])[Number(select[0])] : undefined;
    const pseudo = typeof intrinsic.Ref === 'string' ? LONGEST_PSEUDO_VALUES[intrinsic.Ref] : undefined;
    return selected ?? pseudo ?? 'x'.repeat(UNKNOWN_VALUE_LENGTH);
  });
}
