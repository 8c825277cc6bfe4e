/**
 * A resolved CloudFormation string expression (a literal, or an intrinsic such as `Fn::Join`) as plain text: each
 * `Fn::Join` is concatenated, and every other intrinsic becomes what `leaf` makes of it.
 */
export function cfnText(value: unknown, leaf: (intrinsic: Record<string, unknown>) => string): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  const join = intrinsic['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => cfnText(part, leaf)).join(join[0]);
  return leaf(intrinsic);
}

/**
 * The text cdk-nag uses to name a resource in a finding (`AwsSolutions-IAM5[Resource::<text>]`): `Ref`s as `<Name>`,
 * `Fn::GetAtt` as `<Resource.Attribute>`, other intrinsics as their JSON, and `${...}` written `<...>`.
 */
export function nagText(value: unknown): string {
  const text = cfnText(value, (intrinsic) => {
    if (intrinsic.Ref !== undefined) return `<${intrinsic.Ref}>`;
    const getAtt = intrinsic['Fn::GetAtt'] as [string, string] | undefined;
    if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
    return JSON.stringify(intrinsic);
  });
  return text.replace(/\$\{/g, '<').replace(/\}/g, '>');
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
