// The HTTP side: one request through drop -> latency -> auth -> route -> throttle -> validate -> IAM -> injected failure -> operation.
import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo, Socket } from 'net';
import { callerOf } from './auth';
import { declaredError, ServiceError } from './errors';
import { Faults } from './faults';
import { IamAuthorizer } from './iam';
import { authorizationRequests } from './iam-requests';
import { OperationSpec } from './model.generated';
import { HANDLERS } from './operations';
import { Paginator } from './pagination';
import { parseQuery, rawInput, route, Route } from './router';
import { ServiceState } from './state';
import { applyDefaults, validateInput } from './validate';

export interface RecordedCall {
  /** the operation name, or '(unknown)' when no route matched */
  operation: string;
  /** labels + query + body under the SDK's input member names; typed (Date, Buffer...) once the input validated */
  input: Record<string, unknown>;
  accountId: string;
  region: string;
  /** the HTTP status answered; 0 when the connection was dropped */
  status: number;
  /** the role that signed the request, when it was a role session (IAM evaluated it) */
  roleArn?: string;
  /** the error's name (x-amzn-errortype), or 'ConnectionDropped' */
  errorName?: string;
  /** arrival time, ms since the epoch */
  at: number;
}

export interface ServiceCore {
  readonly state: ServiceState;
  readonly faults: Faults;
  readonly paginator: Paginator;
  readonly calls: RecordedCall[];
  readonly defaultAccountId: string;
  readonly iam: IamAuthorizer;
}

export const DEFAULT_REGION = 'us-east-1';

export class HttpServer {
  /** Listens on 127.0.0.1 on a free port. */
  static async listen(core: ServiceCore): Promise<HttpServer> {
    const http = new HttpServer(core);
    await new Promise<void>((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(0, '127.0.0.1', () => resolve());
    });
    return http;
  }

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly core: ServiceCore) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => res.destroy(e));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the server and every open (keep-alive) socket. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const body = await readBody(req);
    const [path, query = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const call: RecordedCall = { operation: '(unknown)', input: {}, accountId: this.core.defaultAccountId, region: DEFAULT_REGION, status: 0, at };
    this.core.calls.push(call);

    let r: Route | undefined;
    let routeError: unknown;
    try {
      r = route(req.method ?? 'GET', path);
      call.operation = r.operation;
    } catch (e) {
      routeError = e;
    }
    if (this.core.faults.takeDrop(r?.operation)) {
      call.errorName = 'ConnectionDropped';
      req.socket.destroy();
      return;
    }
    if (this.core.faults.latencyMs > 0) await sleep(this.core.faults.latencyMs);

    try {
      const { accessKeyId, ...caller } = callerOf(req.headers.authorization, this.core.defaultAccountId,
        (key) => this.core.iam.principalOf(key)?.accountId);
      Object.assign(call, caller);
      const principal = this.core.iam.principalOf(accessKeyId);
      call.roleArn = principal?.roleArn;
      if (!r) throw routeError;
      let parseError: unknown;
      try {
        call.input = rawInput(r, parseQuery(query), body);
      } catch (e) {
        parseError = e;
      }
      const throttled = this.core.faults.throttle(Date.now());
      if (throttled) throw throttled;
      if (parseError) throw parseError;
      call.input = validateInput(r.spec, call.input);
      const state = this.core.state.get(call.accountId, call.region);
      const newId = randomUUID();
      if (principal) await this.core.iam.authorize(principal, await authorizationRequests(r.operation, call.input, state, newId));
      const injected = this.core.faults.takeFailure(r.operation);
      if (injected) throw injected;
      const operation = r.operation;
      const output = HANDLERS[operation]({
        operation,
        input: applyDefaults(r.spec.input, call.input),
        state,
        newId,
        paginator: this.core.paginator,
        fail: (errorName: string, message: string) => declaredError(operation, errorName, message),
      });
      checkOutput(operation, r.spec, output);
      call.status = 200;
      send(res, 200, output);
    } catch (e) {
      const error = e instanceof ServiceError ? e : new ServiceError('InternalFailure', `local service bug: ${(e as Error).stack ?? e}`, 500);
      call.status = error.status;
      call.errorName = error.errorName;
      send(res, error.status, { message: error.message }, error.errorName);
    }
  }
}

/** JSON with timestamps as epoch seconds (restJson1's body format) and undefined members left out. */
function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorName?: string): void {
  const json = JSON.stringify(body, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    // The realm's clock, not Node's: under a fake clock (test/support/fast-clock.ts) the SDK must see no clock skew.
    'date': new Date().toUTCString(),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...(errorName ? { 'x-amzn-errortype': errorName } : {}),
  });
  res.end(json);
}

/** A handler may only answer the model's output members, and must answer the required ones. */
function checkOutput(operation: string, spec: OperationSpec, output: Record<string, unknown>): void {
  const extra = Object.keys(output).filter((k) => output[k] !== undefined && !spec.output.includes(k));
  const missing = spec.outputRequired.filter((k) => output[k] === undefined);
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(`${operation} output breaks the model: extra [${extra.join(', ')}], missing [${missing.join(', ')}]`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
