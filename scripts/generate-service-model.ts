/**
 * Dev-time generator: reads the Smithy models of Pinpoint Email and SES v2 and writes the compact operation/shape tables that
 * the local test service uses (test/support/local-service/model.generated.ts and model-sesv2.generated.ts). No documentation
 * text is copied.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json scripts/generate-service-model.ts [--check]
 *
 * `--check` writes nothing and exits 1 when a committed table differs from what its model gives.
 *
 * Only this script reads ../shared; the service reads the generated files.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
export const MODEL_DIR = path.join(ROOT, '..', 'shared', 'pinpoint-email');
const OUT_DIR = path.join(ROOT, 'test', 'support', 'local-service');
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

/**
 * What an SDK sends beyond the model file: more routes for an operation (labels from the URI, every other member in the
 * JSON body), and input members that only those routes carry, with the shapes they need.
 */
interface SdkAdditions {
  readonly why: string;
  readonly routes: Readonly<Record<string, ReadonlyArray<{ method: string; uri: string }>>>;
  readonly members: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly shapes: Readonly<Record<string, SmithyShape>>;
}

export interface ModelSource {
  /** the model file in MODEL_DIR */
  readonly model: string;
  /** the generated file in test/support/local-service */
  readonly out: string;
  readonly title: string;
  readonly additions?: SdkAdditions;
}

const enumOf = (values: string[]): SmithyShape =>
  ({ type: 'enum', members: Object.fromEntries(values.map((v) => [v, { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': v } }])) });
const SESV2 = 'com.amazonaws.sesv2#';

/**
 * API-REFERENCE section 11: the pinned SDK (3.721.0) sends PutEmailIdentityDkimSigningAttributes under /v1 as the model
 * file says, later SDKs (3.1176.0) under /v2; from 3.1143.0 ListConfigurationSets and ListEmailIdentities are POSTs with
 * NextToken, PageSize and a Filter (a map from a filter key to a text) in the body. The filter keys are the SDK's enums.
 */
const SESV2_SDK_ADDITIONS: SdkAdditions = {
  why: 'plus the routes and Filter members that @aws-sdk/client-sesv2 3.1176.0 sends beyond the model (listed in the script)',
  routes: {
    PutEmailIdentityDkimSigningAttributes: [{ method: 'PUT', uri: '/v2/email/identities/{EmailIdentity}/dkim/signing' }],
    ListConfigurationSets: [{ method: 'POST', uri: '/v2/email/list-configuration-sets' }],
    ListEmailIdentities: [{ method: 'POST', uri: '/v2/email/list-identities' }],
  },
  members: {
    [`${SESV2}ListConfigurationSetsRequest`]: { Filter: `${SESV2}ListConfigurationSetsFilter` },
    [`${SESV2}ListEmailIdentitiesRequest`]: { Filter: `${SESV2}ListEmailIdentitiesFilter` },
  },
  shapes: {
    [`${SESV2}ConfigurationSetFilterKey`]: enumOf(['CONFIGURATION_SET_NAME_CONTAINS']),
    [`${SESV2}ListConfigurationSetsFilter`]: { type: 'map', key: { target: `${SESV2}ConfigurationSetFilterKey` }, value: { target: 'smithy.api#String' } },
    [`${SESV2}IdentityFilterKey`]: enumOf(['IDENTITY_NAME_CONTAINS', 'IDENTITY_TYPE', 'VERIFICATION_STATUS']),
    [`${SESV2}ListEmailIdentitiesFilter`]: { type: 'map', key: { target: `${SESV2}IdentityFilterKey` }, value: { target: 'smithy.api#String' } },
  },
};

export const SOURCES: readonly ModelSource[] = [
  { model: 'pinpoint-email-2018-07-26.smithy.json', out: 'model.generated.ts', title: 'the Pinpoint Email model' },
  { model: 'sesv2-2019-09-27.smithy.json', out: 'model-sesv2.generated.ts', title: 'the SES API v2 model', additions: SESV2_SDK_ADDITIONS },
];

/** 'com.amazonaws.pinpointemail#Tag' -> 'Tag' */
const short = (id: string): string => id.slice(id.indexOf('#') + 1);
/** Marks a member that only the SDK's extra routes carry. */
const SDK_ONLY = 'local#sdkOnly';

/** The model's shapes with the SDK additions merged in. */
function shapesWith(model: Record<string, SmithyShape>, additions: SdkAdditions | undefined): Record<string, SmithyShape> {
  const shapes: Record<string, SmithyShape> = { ...model, ...additions?.shapes };
  for (const [id, members] of Object.entries(additions?.members ?? {})) {
    const s = shapes[id];
    if (!s?.members) throw new Error(`SDK additions: ${id} is not a structure of the model`);
    const added = Object.fromEntries(Object.entries(members).map(([m, target]) => [m, { target, traits: { [SDK_ONLY]: {} } }]));
    shapes[id] = { ...s, members: { ...s.members, ...added } };
  }
  return shapes;
}

export function generate(source: ModelSource, modelDir = MODEL_DIR): string {
  const model = JSON.parse(fs.readFileSync(path.join(modelDir, source.model), 'utf8')) as { shapes: Record<string, SmithyShape> };
  const shapes = shapesWith(model.shapes, source.additions);
  const get = (id: string): SmithyShape => {
    const s = shapes[id];
    if (!s) throw new Error(`shape ${id} not in model`);
    return s;
  };

  const [serviceId, service] = Object.entries(shapes).find(([, s]) => s.type === 'service')!;
  const sigv4 = service.traits?.['aws.auth#sigv4'] as { name: string };
  const awsService = service.traits?.['aws.api#service'] as { sdkId: string; arnNamespace: string; endpointPrefix: string };

  // Shapes reachable from operation inputs and outputs, without documentation.
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
    const sensitive = 'smithy.api#sensitive' in traits ? { sensitive: true } : {};
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
      table[name] = { type: 'structure', members, ...sensitive };
    } else if (s.type === 'list' || s.type === 'set') {
      table[name] = { type: 'list', member: short(s.member!.target), ...sensitive };
      visit(s.member!.target);
    } else if (s.type === 'map') {
      table[name] = { type: 'map', key: short(s.key!.target), value: short(s.value!.target), ...sensitive };
      visit(s.key!.target);
      visit(s.value!.target);
    } else if (s.type === 'enum') {
      table[name] = { type: 'enum', values: Object.values(s.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'] as string), ...sensitive };
    } else if (s.type === 'string' && traits['smithy.api#enum']) {
      table[name] = { type: 'enum', values: (traits['smithy.api#enum'] as Array<{ value: string }>).map((e) => e.value), ...sensitive };
    } else if (PRIMITIVES.has(s.type)) {
      const length = traits['smithy.api#length'];
      const range = traits['smithy.api#range'];
      const pattern = traits['smithy.api#pattern'];
      table[name] = {
        type: s.type,
        ...(length ? { length } : {}),
        ...(range ? { range } : {}),
        ...(pattern ? { pattern } : {}),
        ...sensitive,
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
      if (SDK_ONLY in t) continue;
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
    visit(op.output!.target); // the output structure: each API's answers follow its own output shapes
    const outputMembers = Object.entries(output.members ?? {});
    const errors = (op.errors ?? []).map((e) => short(e.target));
    (op.errors ?? []).forEach((e) => errorIds.add(e.target));
    const paginated = op.traits?.['smithy.api#paginated'];
    const sdkRoutes = (source.additions?.routes[name] ?? []).map((r) => {
      const routeLabels = [...r.uri.matchAll(/\{(\w+)\}/g)].map((l) => l[1]);
      const unknown = routeLabels.find((l) => !(l in members));
      if (unknown) throw new Error(`SDK route ${r.method} ${r.uri}: ${unknown} is no input member of ${name}`);
      return { ...r, labels: routeLabels, query: [], body: Object.keys(members).filter((m) => !routeLabels.includes(m)) };
    });
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
      outputShape: short(op.output!.target),
      output: outputMembers.map(([m]) => m),
      outputRequired: outputMembers.filter(([, s]) => 'smithy.api#required' in (s.traits ?? {})).map(([m]) => m),
      errors,
      ...(paginated ? { paginated } : {}),
      ...(sdkRoutes.length > 0 ? { sdkRoutes } : {}),
    };
  }
  const unknownRoutes = Object.keys(source.additions?.routes ?? {}).filter((op) => !(op in operations));
  if (unknownRoutes.length > 0) throw new Error(`SDK routes for operations the model does not have: ${unknownRoutes.join(', ')}`);

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
  const from = source.additions ? `${source.model}, ${source.additions.why}` : source.model;
  return [
    `// Generated by scripts/generate-service-model.ts from ${from}. Do not edit: run the script again.`,
    `// A compact table of ${source.title} (operations, HTTP bindings, input and output shapes, errors), without documentation.`,
    '',
    'import type { ErrorSpec, OperationSpec, ServiceSpec, ShapeSpec } from \'./model-types\';',
    '',
    `export const SERVICE: ServiceSpec = ${json({
      shapeId: serviceId,
      version: (service as { version?: string }).version,
      sdkId: awsService.sdkId,
      endpointPrefix: awsService.endpointPrefix,
      arnNamespace: awsService.arnNamespace,
      signingName: sigv4.name,
    })};`,
    '',
    `export const OPERATIONS: Readonly<Record<string, OperationSpec>> = ${table1(operations)};`,
    '',
    `export const SHAPES: Readonly<Record<string, ShapeSpec>> = ${table1(sortedShapes)};`,
    '',
    `export const ERRORS: Readonly<Record<string, ErrorSpec>> = ${table1(errors)};`,
    '',
  ].join('\n');
}

function main(args: readonly string[]): void {
  const check = args.includes('--check');
  let stale = 0;
  for (const source of SOURCES) {
    const out = path.join(OUT_DIR, source.out);
    const text = generate(source);
    if (!check) {
      fs.writeFileSync(out, text);
      console.log(`wrote ${path.relative(ROOT, out)} from ${source.model}`);
    } else if ((fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '') !== text) {
      console.error(`${path.relative(ROOT, out)} is out of date: run scripts/generate-service-model.ts`);
      stale++;
    } else {
      console.log(`${path.relative(ROOT, out)} is up to date`);
    }
  }
  if (stale > 0) process.exit(1);
}

if (require.main === module) main(process.argv.slice(2));
