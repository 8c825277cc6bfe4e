/**
 * Dev-time generator: reads the Pinpoint Email Smithy model and writes the compact operation/shape table that the
 * local test service uses (test/support/local-service/model.generated.ts). No documentation text is copied.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json scripts/generate-service-model.ts [--check] [path/to/model.smithy.json]
 *
 * `--check` writes nothing and exits 1 when the committed table differs from what the model gives.
 *
 * Only this script reads ../shared; the service reads the generated file.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_MODEL = path.join(ROOT, '..', 'shared', 'pinpoint-email', 'pinpoint-email-2018-07-26.smithy.json');
const OUT = path.join(ROOT, 'test', 'support', 'local-service', 'model.generated.ts');
const PRIMITIVES = new Set(['string', 'boolean', 'integer', 'long', 'double', 'float', 'short', 'byte', 'timestamp', 'blob']);

interface SmithyRef { target: string }
interface SmithyShape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: SmithyRef;
  key?: SmithyRef;
  value?: SmithyRef;
  input?: SmithyRef;
  output?: SmithyRef;
  errors?: SmithyRef[];
  operations?: SmithyRef[];
  traits?: Record<string, any>;
}

/** 'com.amazonaws.pinpointemail#Tag' -> 'Tag' */
const short = (id: string): string => id.slice(id.indexOf('#') + 1);

function generate(modelPath: string): string {
  const model = JSON.parse(fs.readFileSync(modelPath, 'utf8')) as { shapes: Record<string, SmithyShape> };
  const shapes = model.shapes;
  const get = (id: string): SmithyShape => {
    const s = shapes[id];
    if (!s) throw new Error(`shape ${id} not in model`);
    return s;
  };

  const [serviceId, service] = Object.entries(shapes).find(([, s]) => s.type === 'service')!;
  const sigv4 = service.traits?.['aws.auth#sigv4'] as { name: string };
  const awsService = service.traits?.['aws.api#service'] as { sdkId: string; arnNamespace: string; endpointPrefix: string };

  // Shapes reachable from operation inputs, without documentation.
  const table: Record<string, unknown> = {};
  const visit = (id: string): void => {
    const name = short(id);
    if (name in table) return;
    if (id.startsWith('smithy.api#')) { // a prelude shape such as smithy.api#String
      table[name] = { type: name.toLowerCase() };
      return;
    }
    const s = get(id);
    const traits = s.traits ?? {};
    if (s.type === 'structure') {
      table[name] = null; // reserve (recursive shapes)
      const members: Record<string, unknown> = {};
      for (const [m, spec] of Object.entries(s.members ?? {})) {
        const mt = spec.traits ?? {};
        members[m] = {
          target: short(spec.target),
          ...('smithy.api#required' in mt ? { required: true } : {}),
          ...('smithy.api#default' in mt ? { default: mt['smithy.api#default'] } : {}),
        };
        visit(spec.target);
      }
      table[name] = { type: 'structure', members };
    } else if (s.type === 'list' || s.type === 'set') {
      table[name] = { type: 'list', member: short(s.member!.target) };
      visit(s.member!.target);
    } else if (s.type === 'map') {
      table[name] = { type: 'map', key: short(s.key!.target), value: short(s.value!.target) };
      visit(s.key!.target);
      visit(s.value!.target);
    } else if (s.type === 'enum') {
      table[name] = { type: 'enum', values: Object.values(s.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'] as string) };
    } else if (s.type === 'string' && traits['smithy.api#enum']) {
      table[name] = { type: 'enum', values: (traits['smithy.api#enum'] as Array<{ value: string }>).map((e) => e.value) };
    } else if (PRIMITIVES.has(s.type)) {
      const length = traits['smithy.api#length'];
      const range = traits['smithy.api#range'];
      const pattern = traits['smithy.api#pattern'];
      table[name] = {
        type: s.type,
        ...(length ? { length } : {}),
        ...(range ? { range } : {}),
        ...(pattern ? { pattern } : {}),
      };
    } else {
      throw new Error(`unsupported shape type ${s.type} (${id})`);
    }
  };

  const operations: Record<string, unknown> = {};
  const errorIds = new Set<string>();
  for (const ref of service.operations ?? []) {
    const op = get(ref.target);
    const name = short(ref.target);
    const http = op.traits?.['smithy.api#http'] as { method: string; uri: string; code?: number };
    const input = get(op.input!.target);
    const output = get(op.output!.target);
    const labels: string[] = [];
    const query: Array<{ member: string; name: string; list: boolean }> = [];
    const body: string[] = [];
    const required: string[] = [];
    const members: Record<string, string> = {};
    for (const [m, spec] of Object.entries(input.members ?? {})) {
      const t = spec.traits ?? {};
      members[m] = short(spec.target);
      visit(spec.target);
      if ('smithy.api#required' in t) required.push(m);
      if ('smithy.api#httpLabel' in t) {
        labels.push(m);
      } else if ('smithy.api#httpQuery' in t) {
        const targetType = get(spec.target).type;
        query.push({ member: m, name: t['smithy.api#httpQuery'] as string, list: targetType === 'list' || targetType === 'set' });
      } else if ('smithy.api#httpHeader' in t || 'smithy.api#httpPayload' in t || 'smithy.api#httpQueryParams' in t) {
        throw new Error(`${name}.${m}: binding not supported by the generator`);
      } else {
        body.push(m);
      }
    }
    visit(op.input!.target); // the input structure itself: member defaults and nested validation start here
    const outputMembers = Object.entries(output.members ?? {});
    const errors = (op.errors ?? []).map((e) => short(e.target));
    (op.errors ?? []).forEach((e) => errorIds.add(e.target));
    const paginated = op.traits?.['smithy.api#paginated'];
    operations[name] = {
      method: http.method,
      uri: http.uri,
      code: http.code ?? 200,
      input: short(op.input!.target),
      labels,
      query,
      body,
      required,
      members,
      output: outputMembers.map(([m]) => m),
      outputRequired: outputMembers.filter(([, s]) => 'smithy.api#required' in (s.traits ?? {})).map(([m]) => m),
      errors,
      ...(paginated ? { paginated } : {}),
    };
  }

  const errors: Record<string, unknown> = {};
  for (const id of [...errorIds].sort()) {
    const s = get(id);
    errors[short(id)] = { status: s.traits?.['smithy.api#httpError'], fault: s.traits?.['smithy.api#error'] };
  }

  const sortedShapes = Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
  const json = (v: unknown): string => JSON.stringify(v, null, 2);
  // One line per entry keeps the table compact and its diffs readable.
  const table1 = (rows: Record<string, unknown>): string =>
    `{\n${Object.entries(rows).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n')}\n}`;
  return [
    `// Generated by scripts/generate-service-model.ts from ${path.basename(modelPath)}. Do not edit: run the script again.`,
    '// A compact table of the Pinpoint Email model (operations, HTTP bindings, input shapes, errors), without documentation.',
    '',
    'export type PrimitiveType = \'string\' | \'boolean\' | \'integer\' | \'long\' | \'double\' | \'float\' | \'short\' | \'byte\' | \'timestamp\' | \'blob\';',
    'export interface MemberSpec { readonly target: string; readonly required?: boolean; readonly default?: unknown }',
    'export type ShapeSpec =',
    '  | { readonly type: \'structure\'; readonly members: Readonly<Record<string, MemberSpec>> }',
    '  | { readonly type: \'list\'; readonly member: string }',
    '  | { readonly type: \'map\'; readonly key: string; readonly value: string }',
    '  | { readonly type: \'enum\'; readonly values: readonly string[] }',
    '  | { readonly type: PrimitiveType; readonly length?: { readonly min?: number; readonly max?: number };',
    '      readonly range?: { readonly min?: number; readonly max?: number }; readonly pattern?: string };',
    'export interface QueryBinding { readonly member: string; readonly name: string; readonly list: boolean }',
    'export interface OperationSpec {',
    '  readonly method: string;',
    '  readonly uri: string;',
    '  readonly code: number;',
    '  /** the input structure in SHAPES */',
    '  readonly input: string;',
    '  readonly labels: readonly string[];',
    '  readonly query: readonly QueryBinding[];',
    '  readonly body: readonly string[];',
    '  readonly required: readonly string[];',
    '  /** input member -> shape name in SHAPES */',
    '  readonly members: Readonly<Record<string, string>>;',
    '  readonly output: readonly string[];',
    '  readonly outputRequired: readonly string[];',
    '  readonly errors: readonly string[];',
    '  readonly paginated?: { readonly inputToken?: string; readonly outputToken?: string; readonly pageSize?: string; readonly items?: string };',
    '}',
    'export interface ErrorSpec { readonly status: number; readonly fault: \'client\' | \'server\' }',
    '',
    `export const SERVICE = ${json({
      shapeId: serviceId,
      version: (service as { version?: string }).version,
      sdkId: awsService.sdkId,
      endpointPrefix: awsService.endpointPrefix,
      arnNamespace: awsService.arnNamespace,
      signingName: sigv4.name,
    })} as const;`,
    '',
    `export const OPERATIONS: Readonly<Record<string, OperationSpec>> = ${table1(operations)};`,
    '',
    `export const SHAPES: Readonly<Record<string, ShapeSpec>> = ${table1(sortedShapes)};`,
    '',
    `export const ERRORS: Readonly<Record<string, ErrorSpec>> = ${table1(errors)};`,
    '',
  ].join('\n');
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const modelPath = path.resolve(args.find((a) => a !== '--check') ?? DEFAULT_MODEL);
const text = generate(modelPath);
if (check) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error(`${path.relative(ROOT, OUT)} is out of date: run scripts/generate-service-model.ts`);
    process.exit(1);
  }
  console.log(`${path.relative(ROOT, OUT)} is up to date`);
} else {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(ROOT, OUT)} from ${modelPath}`);
}
