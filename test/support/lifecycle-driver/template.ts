/**
 * The parts of a CloudFormation template the lifecycle driver needs: the resource graph (explicit and implicit
 * dependencies, conditions, deletion policies) and the resolution of intrinsic functions in resource properties.
 */

/** A CloudFormation template, as `Template.fromStack(stack).toJSON()` or the cloud assembly gives it. */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: CfnResource };
  readonly Parameters?: { readonly [name: string]: { readonly Type?: string; readonly Default?: unknown } };
  readonly Conditions?: { readonly [name: string]: unknown };
  readonly Mappings?: { readonly [name: string]: { readonly [key: string]: { readonly [key: string]: unknown } } };
  readonly [section: string]: unknown;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { readonly [name: string]: unknown };
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly [attribute: string]: unknown;
}

/** A template problem CloudFormation would reject before touching any resource, or a template feature the driver does not model. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** An intrinsic that cannot be resolved at the time a resource is processed (for example a missing `Data` attribute). */
export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/** Whether CloudFormation sends this resource type to a custom resource provider. */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** One resource of a template, with everything the driver needs precomputed. */
export interface ResourceNode {
  readonly logicalId: string;
  readonly type: string;
  readonly custom: boolean;
  readonly properties: { readonly [name: string]: unknown };
  /** Direct dependencies: `DependsOn` plus every resource named by `Ref`, `Fn::GetAtt` or `Fn::Sub`. */
  readonly dependsOn: ReadonlySet<string>;
  readonly deletionPolicy: 'Delete' | 'Retain' | 'RetainExceptOnCreate' | 'Snapshot';
  readonly updateReplacePolicy: 'Delete' | 'Retain' | 'Snapshot';
}

/** The resource graph of a template, after its conditions were evaluated. */
export class StackGraph {
  /** Builds the graph of a template; throws `TemplateError` for what CloudFormation would reject. */
  public static fromTemplate(template: CfnTemplate, env: PseudoParameters, parameterValues: Readonly<Record<string, string>> = {}): StackGraph {
    if (template === null || typeof template !== 'object') throw new TemplateError('the template must be an object');
    const resources = template.Resources ?? {};
    if (Object.keys(resources).length === 0) throw new TemplateError('the template has no Resources');
    const conditions = new Resolver({ template, pseudo: env, parameterValues, resource: () => undefined });
    const nodes = new Map<string, ResourceNode>();
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource === null || typeof resource !== 'object' || typeof resource.Type !== 'string') {
        throw new TemplateError(`resource ${logicalId} has no Type`);
      }
      if (resource.Condition !== undefined && !conditions.condition(resource.Condition)) continue;
      const custom = isCustomResourceType(resource.Type);
      const properties = resource.Properties ?? {};
      if (custom) {
        if (properties.ServiceToken === undefined) throw new TemplateError(`custom resource ${logicalId} has no ServiceToken property`);
        assertSupportedIntrinsics(properties, `${logicalId}.Properties`);
      }
      const dependsOn = new Set<string>(
        resource.DependsOn === undefined ? [] : typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn,
      );
      for (const name of referencedNames(properties)) {
        if (Object.hasOwn(resources, name)) dependsOn.add(name);
      }
      nodes.set(logicalId, {
        logicalId,
        type: resource.Type,
        custom,
        properties,
        dependsOn,
        deletionPolicy: policy(resource.DeletionPolicy, ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'], logicalId, 'DeletionPolicy'),
        updateReplacePolicy: policy(resource.UpdateReplacePolicy, ['Delete', 'Retain', 'Snapshot'], logicalId, 'UpdateReplacePolicy'),
      });
    }
    for (const node of nodes.values()) {
      for (const dep of node.dependsOn) {
        if (!nodes.has(dep)) {
          throw new TemplateError(`resource ${node.logicalId} depends on ${dep}, which ${Object.hasOwn(resources, dep) ? 'is excluded by its Condition' : 'is not in the template'}`);
        }
      }
    }
    return new StackGraph(template, nodes);
  }

  /** The resources of `primary` plus those only `secondary` has (what a stack holds after a failed update rollback). */
  public static union(primary: StackGraph, secondary: StackGraph): StackGraph {
    const nodes = new Map(primary.nodes);
    for (const [id, node] of secondary.nodes) {
      if (!nodes.has(id)) nodes.set(id, node);
    }
    return new StackGraph(primary.template, nodes);
  }

  /** Resources in an order where every resource comes after its dependencies (template order among independent ones). */
  public readonly order: readonly string[];
  private readonly closure = new Map<string, ReadonlySet<string>>();

  private constructor(public readonly template: CfnTemplate, public readonly nodes: ReadonlyMap<string, ResourceNode>) {
    this.order = topologicalOrder(nodes);
  }

  public node(logicalId: string): ResourceNode {
    const node = this.nodes.get(logicalId);
    if (!node) throw new Error(`no resource ${logicalId} in the template`);
    return node;
  }

  /** Every resource that `logicalId` depends on, directly or through other resources. */
  public ancestors(logicalId: string): ReadonlySet<string> {
    let result = this.closure.get(logicalId);
    if (!result) {
      const seen = new Set<string>();
      const stack = [...(this.nodes.get(logicalId)?.dependsOn ?? [])];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...(this.nodes.get(id)?.dependsOn ?? []));
      }
      result = seen;
      this.closure.set(logicalId, result);
    }
    return result;
  }
}

function policy<T extends string>(value: string | undefined, allowed: readonly T[], logicalId: string, attribute: string): T {
  if (value === undefined) return allowed[0];
  if (!(allowed as readonly string[]).includes(value)) throw new TemplateError(`resource ${logicalId} has an unknown ${attribute}: ${value}`);
  return value as T;
}

function topologicalOrder(nodes: ReadonlyMap<string, ResourceNode>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      throw new TemplateError(`circular dependency between resources: ${[...path.slice(path.indexOf(id)), id].join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const dep of nodes.get(id)!.dependsOn) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of nodes.keys()) visit(id, []);
  return order;
}

// ---------------------------------------------------------------------------------------------------------------------
// Intrinsic functions
// ---------------------------------------------------------------------------------------------------------------------

/** The pseudo parameters of the simulated stack. */
export interface PseudoParameters {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
}

/** What a resource looks like to `Ref` and `Fn::GetAtt`. */
export interface ResolvableResource {
  readonly type: string;
  readonly custom: boolean;
  readonly physicalId: string;
  /** The `Data` of the custom resource's last successful response. */
  readonly data: { readonly [key: string]: unknown };
}

export interface ResolverOptions {
  readonly template: CfnTemplate;
  readonly pseudo: PseudoParameters;
  readonly parameterValues: Readonly<Record<string, string>>;
  /** The live resource with this logical id, or undefined when it does not exist (yet). */
  readonly resource: (logicalId: string) => ResolvableResource | undefined;
}

/** Marks a value removed by `Ref: AWS::NoValue`. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const SUPPORTED = new Set(['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::If', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs']);

function intrinsicName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  return keys[0] === 'Ref' || keys[0].startsWith('Fn::') ? keys[0] : undefined;
}

/** Throws a `TemplateError` naming the place of the first intrinsic function the driver cannot resolve. */
export function assertSupportedIntrinsics(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertSupportedIntrinsics(item, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    const fn = intrinsicName(value);
    if (fn !== undefined && !SUPPORTED.has(fn)) {
      throw new TemplateError(`${where}: ${fn} is not supported by the lifecycle driver (supported: ${[...SUPPORTED].join(', ')})`);
    }
    for (const [key, item] of Object.entries(value)) assertSupportedIntrinsics(item, `${where}.${key}`);
  }
}

/** Names (resources, parameters, pseudo parameters) that a value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub`. */
export function referencedNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  const fn = intrinsicName(value);
  const arg = fn === undefined ? undefined : (value as Record<string, unknown>)[fn];
  if (fn === 'Ref' && typeof arg === 'string') {
    into.add(arg);
  } else if (fn === 'Fn::GetAtt') {
    if (typeof arg === 'string') into.add(arg.split('.')[0]);
    else if (Array.isArray(arg) && typeof arg[0] === 'string') into.add(arg[0]);
    if (Array.isArray(arg)) referencedNames(arg.slice(1), into);
  } else if (fn === 'Fn::Sub') {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [undefined, {}];
    if (typeof text === 'string') {
      for (const name of subVariables(text)) {
        if (!Object.hasOwn(vars as object, name)) into.add(name.split('.')[0]);
      }
    }
    referencedNames(vars, into);
  } else {
    for (const item of Object.values(value)) referencedNames(item, into);
  }
  return into;
}

function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1].trim());
}

/** Resolves intrinsic functions and conditions against the pseudo parameters, the parameters and the live resources. */
export class Resolver {
  private readonly conditionValues = new Map<string, boolean>();

  constructor(private readonly options: ResolverOptions) {}

  /** Resolves every intrinsic in `value`; keys and items set to `AWS::NoValue` are removed. */
  public resolve(value: unknown): unknown {
    const result = this.value(value);
    return result === NO_VALUE ? undefined : result;
  }

  /** The value of a named condition of the template. */
  public condition(name: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const conditions = this.options.template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) throw new TemplateError(`unknown condition ${name}`);
    this.conditionValues.set(name, false); // guards against a condition that refers to itself
    const result = this.conditionExpression(conditions[name], `Conditions.${name}`);
    this.conditionValues.set(name, result);
    return result;
  }

  private conditionExpression(expr: unknown, where: string): boolean {
    if (expr !== null && typeof expr === 'object' && !Array.isArray(expr) && Object.keys(expr).length === 1) {
      const [[fn, arg]] = Object.entries(expr);
      const args = Array.isArray(arg) ? arg : [];
      switch (fn) {
        case 'Condition':
          return this.condition(String(arg));
        case 'Fn::Equals':
          if (args.length !== 2) break;
          return JSON.stringify(stringifyLeaves(this.resolve(args[0]))) === JSON.stringify(stringifyLeaves(this.resolve(args[1])));
        case 'Fn::Not':
          if (args.length !== 1) break;
          return !this.conditionExpression(args[0], where);
        case 'Fn::And':
          return args.every((a) => this.conditionExpression(a, where));
        case 'Fn::Or':
          return args.some((a) => this.conditionExpression(a, where));
        default:
          break;
      }
    }
    throw new TemplateError(`${where}: not a condition function: ${JSON.stringify(expr)}`);
  }

  private value(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.value(item)).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const fn = intrinsicName(value);
    if (fn === undefined) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const resolved = this.value(item);
        if (resolved !== NO_VALUE) out[key] = resolved;
      }
      return out;
    }
    const arg = (value as Record<string, unknown>)[fn];
    switch (fn) {
      case 'Ref':
        return this.ref(this.text(arg, 'Ref'));
      case 'Fn::GetAtt':
        return this.getAtt(arg);
      case 'Fn::Join': {
        const [delimiter, list] = this.args(arg, 2, fn);
        return this.list(list, fn).map((item) => this.text(item, fn)).join(this.text(delimiter, fn));
      }
      case 'Fn::Select': {
        const [index, list] = this.args(arg, 2, fn);
        const i = Number(this.value(index));
        const items = this.list(list, fn);
        if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new ResolveError(`Fn::Select: index ${i} is out of range for a list of ${items.length}`);
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.args(arg, 2, fn);
        return this.text(this.value(source), fn).split(this.text(this.value(delimiter), fn));
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(arg, 3, fn);
        return this.value(this.condition(this.text(condition, fn)) ? whenTrue : whenFalse);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(arg, 3, fn).map((a) => this.text(this.value(a), fn));
        const found = this.options.template.Mappings?.[map]?.[top]?.[second];
        if (found === undefined) throw new ResolveError(`Fn::FindInMap: no ${map}.${top}.${second} in Mappings`);
        return this.value(found);
      }
      case 'Fn::Base64':
        return Buffer.from(this.text(this.value(arg), fn)).toString('base64');
      case 'Fn::GetAZs': {
        const region = this.text(this.value(arg), fn) || this.options.pseudo.region;
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      default:
        throw new TemplateError(`${fn} is not supported by the lifecycle driver`);
    }
  }

  private args(arg: unknown, count: number, fn: string): unknown[] {
    if (!Array.isArray(arg) || arg.length !== count) throw new TemplateError(`${fn} takes a list of ${count} arguments, got ${JSON.stringify(arg)}`);
    return arg;
  }

  private list(value: unknown, fn: string): unknown[] {
    const resolved = this.value(value);
    if (!Array.isArray(resolved)) throw new ResolveError(`${fn}: expected a list, got ${JSON.stringify(resolved)}`);
    return resolved;
  }

  private text(value: unknown, fn: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new ResolveError(`${fn}: expected a string, got ${JSON.stringify(value)}`);
  }

  private ref(name: string): unknown {
    const { pseudo, template, parameterValues } = this.options;
    switch (name) {
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::AccountId': return pseudo.accountId;
      case 'AWS::Region': return pseudo.region;
      case 'AWS::Partition': return pseudo.partition;
      case 'AWS::URLSuffix': return pseudo.urlSuffix;
      case 'AWS::StackName': return pseudo.stackName;
      case 'AWS::StackId': return pseudo.stackId;
      case 'AWS::NotificationARNs': return [];
      default: break;
    }
    const parameter = Object.hasOwn(template.Parameters ?? {}, name) ? template.Parameters![name] : undefined;
    if (parameter) {
      const value = parameterValues[name] ?? parameter.Default;
      if (value === undefined) throw new TemplateError(`parameter ${name} has no Default: give it in the driver's parameters option`);
      const text = String(value);
      return parameter.Type?.startsWith('List<') || parameter.Type === 'CommaDelimitedList' ? text.split(',') : text;
    }
    if (Object.hasOwn(template.Resources ?? {}, name)) {
      const resource = this.resource(name, 'Ref');
      // CloudFormation's Ref of a topic is its ARN.
      return !resource.custom && REF_IS_ARN.has(resource.type) ? fakeAttribute(name, resource.type, 'Arn', this.options.pseudo) : resource.physicalId;
    }
    throw new ResolveError(`Ref: unknown name ${name}`);
  }

  private resource(logicalId: string, fn: string): ResolvableResource {
    const resource = this.options.resource(logicalId);
    if (!resource) throw new ResolveError(`${fn}: resource ${logicalId} does not exist at this point of the deployment`);
    return resource;
  }

  private getAtt(arg: unknown): unknown {
    let logicalId: string;
    let attribute: string;
    if (typeof arg === 'string' && arg.includes('.')) {
      logicalId = arg.slice(0, arg.indexOf('.'));
      attribute = arg.slice(arg.indexOf('.') + 1);
    } else if (Array.isArray(arg) && arg.length === 2) {
      logicalId = this.text(arg[0], 'Fn::GetAtt');
      attribute = this.text(this.value(arg[1]), 'Fn::GetAtt');
    } else {
      throw new TemplateError(`Fn::GetAtt takes [logicalId, attribute], got ${JSON.stringify(arg)}`);
    }
    if (!Object.hasOwn(this.options.template.Resources ?? {}, logicalId)) throw new ResolveError(`Fn::GetAtt: unknown resource ${logicalId}`);
    const resource = this.resource(logicalId, 'Fn::GetAtt');
    if (resource.custom) {
      if (!Object.hasOwn(resource.data, attribute)) {
        throw new ResolveError(
          `Fn::GetAtt: custom resource ${logicalId} (${resource.physicalId}) returned no Data attribute "${attribute}" ` +
          `(its Data has: ${Object.keys(resource.data).join(', ') || 'nothing'})`,
        );
      }
      return resource.data[attribute];
    }
    return fakeAttribute(logicalId, resource.type, attribute, this.options.pseudo);
  }

  private sub(arg: unknown): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && arg.length === 2 ? [arg[0], arg[1]] : [undefined, undefined];
    if (typeof text !== 'string' || vars === null || typeof vars !== 'object') {
      throw new TemplateError(`Fn::Sub takes a string or [string, {variables}], got ${JSON.stringify(arg)}`);
    }
    const values = new Map<string, string>();
    for (const [name, value] of Object.entries(vars)) values.set(name, this.text(this.value(value), 'Fn::Sub'));
    return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      const known = values.get(name);
      if (known !== undefined) return known;
      if (name.includes('.')) return this.text(this.getAtt(name), 'Fn::Sub');
      return this.text(this.ref(name), 'Fn::Sub');
    });
  }
}

/** The types, among those the driver does not execute, whose `Ref` is their ARN (not a name). */
const REF_IS_ARN = new Set(['AWS::SNS::Topic']);

/** What `Fn::GetAtt` gives for a resource the driver does not execute (Lambda functions, roles...). */
export function fakeAttribute(logicalId: string, type: string, attribute: string, pseudo: PseudoParameters): string {
  if (attribute !== 'Arn') return `${logicalId}.${attribute}`;
  if (type === 'AWS::SNS::Topic') return `arn:${pseudo.partition}:sns:${pseudo.region}:${pseudo.accountId}:${logicalId}`;
  if (type === 'AWS::KinesisFirehose::DeliveryStream') return `arn:${pseudo.partition}:firehose:${pseudo.region}:${pseudo.accountId}:deliverystream/${logicalId}`;
  const [, service = 'unknown', kind = 'resource'] = type.split('::');
  const lowerService = service.toLowerCase();
  if (type === 'AWS::Lambda::Function') return `arn:${pseudo.partition}:lambda:${pseudo.region}:${pseudo.accountId}:function:${logicalId}`;
  if (lowerService === 'iam') return `arn:${pseudo.partition}:iam::${pseudo.accountId}:${kind.toLowerCase()}/${logicalId}`;
  return `arn:${pseudo.partition}:${lowerService}:${pseudo.region}:${pseudo.accountId}:${kind.toLowerCase()}/${logicalId}`;
}

/** CloudFormation's encoding of custom resource properties: every scalar leaf becomes a string; lists and objects stay. */
export function stringifyLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyLeaves);
  if (value === null || value === undefined) return value;
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stringifyLeaves(item)]));
  }
  return String(value);
}

/** Deep equality of two JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as never)[k], (b as never)[k]));
}
