// HTTP bindings: METHOD + /v1/email/... or /v2/email/... -> API and operation, and labels + query + JSON body -> one raw input object.
import { ApiModel, APIS } from './apis';
import { badRequest, ServiceError } from './errors';
import { HttpBinding, OperationSpec } from './model-types';

/**
 * A matched request: the API whose model has the route (not always the path's prefix: SES v2's
 * PutEmailIdentityDkimSigningAttributes is under /v1 in its model), the operation, and the binding that matched (the
 * model's, or one of the routes the SDK sends beyond it).
 */
export interface Route { api: ApiModel; operation: string; spec: OperationSpec; binding: HttpBinding; labels: Record<string, string> }

type Segment = { literal: string } | { label: string };
const ROUTES = Object.values(APIS).flatMap((api) => Object.entries(api.operations).flatMap(([operation, spec]) =>
  [spec, ...(spec.sdkRoutes ?? [])].map((binding) => ({
    api,
    operation,
    spec,
    binding,
    segments: binding.uri.split('/').slice(1).map((s): Segment => (/^\{\w+\}$/.test(s) ? { label: s.slice(1, -1) } : { literal: s })),
  }))));

/**
 * Finds the operation for a request. Path segments are percent-decoded one by one, so `%2F` inside a label stays part of it.
 * No match (unknown path, or a known path with another method) -> 404 `UnknownOperationException`: the answer of AWS's
 * REST-JSON front ends for a route they do not serve. It is not a model error; the SDK never produces such a request.
 */
export function route(method: string, path: string): Route {
  let parts: string[];
  try {
    parts = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new ServiceError('UnknownOperationException', `Malformed percent-encoding in path ${path}`, 404);
  }
  for (const r of ROUTES) {
    if (r.binding.method !== method || r.segments.length !== parts.length) continue;
    const labels: Record<string, string> = {};
    const matches = r.segments.every((seg, i) => {
      if ('literal' in seg) return seg.literal === parts[i];
      labels[seg.label] = parts[i];
      return parts[i] !== ''; // an empty label matches nothing (the SDK refuses to send one)
    });
    if (matches) return { api: r.api, operation: r.operation, spec: r.spec, binding: r.binding, labels };
  }
  throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${path}`, 404);
}

/** Query string -> name -> values (repeated keys give several values). `+` is a literal plus, as the SDK encodes spaces as %20. */
export function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      const key = decodeURIComponent(k);
      out.set(key, [...(out.get(key) ?? []), decodeURIComponent(v)]);
    } catch {
      throw badRequest(`Malformed percent-encoding in query parameter ${k}`);
    }
  }
  return out;
}

/**
 * Labels, query members and body members merged under the SDK's input member names, still untyped (query values are strings).
 * Query keys and body members the model does not bind to this operation are ignored, as AWS ignores them.
 */
export function rawInput(r: Route, query: Map<string, string[]>, body: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (r.binding.body.length > 0 && body.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest('The request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.');
    for (const m of r.binding.body) {
      if (m in parsed) input[m] = (parsed as Record<string, unknown>)[m];
    }
  }
  for (const q of r.binding.query) {
    const values = query.get(q.name);
    if (!values) continue;
    if (!q.list && values.length > 1) throw badRequest(`Query parameter ${q.name} must appear at most once.`);
    input[q.member] = q.list ? values : values[0];
  }
  return Object.assign(input, r.labels);
}
