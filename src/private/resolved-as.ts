import { IResolvable, IResolveContext, Token } from 'aws-cdk-lib';

/**
 * `value` (a string that may hold tokens, or a list of them) as `transform` makes it once resolved. The inner
 * resolution goes through the caller's context, so references (a `Ref`, a cross-stack value) are found and rendered
 * as usual.
 */
export function resolvedAs(value: string | string[], transform: (resolved: unknown) => unknown): IResolvable {
  return new Transformed(value, transform);
}

class Transformed implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly value: string | string[], private readonly transform: (resolved: unknown) => unknown) {}

  public resolve(context: IResolveContext): unknown {
    return this.transform(context.resolve(this.value));
  }

  public toString(): string {
    return Token.asString(this);
  }
}
