import { IResource } from 'aws-cdk-lib';

/**
 * The ARN each construct of this library was declared with, built from its declared name rather than from its
 * custom resource's `Ref`. The handler role's policy uses these: a `Ref` there would make the policy depend on the
 * resource that the policy's own handler creates, a dependency cycle.
 */
const declaredArns = new WeakMap<IResource, string>();

export function recordDeclaredArn(resource: IResource, arn: string): void {
  declaredArns.set(resource, arn);
}

/** The declared ARN of a construct of this library, or `fallback` (an imported resource's plain ARN). */
export function declaredArnOf(resource: IResource, fallback: string): string {
  return declaredArns.get(resource) ?? fallback;
}

/** The declared name of each construct of this library (a literal, or a generated name), beside its declared ARN. */
const declaredNames = new WeakMap<IResource, string>();

export function recordDeclaredName(resource: IResource, name: string): void {
  declaredNames.set(resource, name);
}

/** The declared name of a construct of this library, or `fallback` (an imported resource's own name). */
export function declaredNameOf(resource: IResource, fallback: string): string {
  return declaredNames.get(resource) ?? fallback;
}
