// The HTTP side: one request through drop -> latency -> auth -> route -> throttle -> validate -> IAM -> injected failure -> operation.
import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo, Socket } from 'net';
import { listenOnLoopback } from '../loopback';
import { ApiVersion } from './apis';
import { callerOf } from './auth';
import { declaredError, ServiceError } from './errors';
import { Faults } from './faults';
import { IamAuthorizer } from './iam';
import { authorizationRequests } from './iam-requests';
import { HANDLERS } from './operations';
import { apiOutput } from './output';
import { Paginator } from './pagination';
import { redactSensitive } from './redact';
import { parseQuery, rawInput, route, Route } from './router';
import { ServiceState } from './state';
import { applyDefaults, validateInput } from './validate';

export interface RecordedCall {
  /** the operation name, or '(unknown)' when no route matched */
  operation: string;
  /**
   * the API whose model has the route that matched: 'v1' for Pinpoint Email, 'v2' for SES v2 (also for SES v2's
   * PutEmailIdentityDkimSigningAttributes under /v1); undefined when no route matched
   */
  api?: ApiVersion;
  /**
   * labels + query + body under the SDK's input member names; typed (Date, Buffer...) once the input validated. Values of
   * shapes the model marks sensitive (a DKIM private key) are recorded as REDACTED, never in clear.
   */
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
  /** which TCP connection carried the request: 1 for the server's first, 2 for its second... */
  connection: number;
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
    await listenOnLoopback(http.server);
    return http;
  }

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly connectionIds = new WeakMap<Socket, number>();
  private connectionCount = 0;

  private constructor(private readonly core: ServiceCore) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => res.destroy(e));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      this.connectionIds.set(s, ++this.connectionCount);
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
    const connection = this.connectionIds.get(req.socket) ?? 0;
    const call: RecordedCall = { operation: '(unknown)', input: {}, accountId: this.core.defaultAccountId, region: DEFAULT_REGION, status: 0, at, connection };
    this.core.calls.push(call);

    let r: Route | undefined;
    let routeError: unknown;
    try {
      r = route(req.method ?? 'GET', path);
      call.operation = r.operation;
      call.api = r.api.version;
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
      const { api, operation, spec } = r;
      const record = (input: Record<string, unknown>) => redactSensitive(api.shapes, spec.input, input) as Record<string, unknown>;
      let raw: Record<string, unknown> = {};
      let parseError: unknown;
      try {
        raw = rawInput(r, parseQuery(query), body);
        call.input = record(raw);
      } catch (e) {
        parseError = e;
      }
      const throttled = this.core.faults.throttle(Date.now());
      if (throttled) throw throttled;
      if (parseError) throw parseError;
      const handler = HANDLERS[operation];
      if (!handler) {
        throw new ServiceError('NotImplemented', `The local service does not implement the ${api.service.sdkId} operation ${operation}.`, 501);
      }
      const input = validateInput(api.shapes, spec.input, r.binding, raw);
      call.input = record(input);
      const state = this.core.state.get(call.accountId, call.region);
      const newId = randomUUID();
      if (principal) await this.core.iam.authorize(principal, await authorizationRequests(operation, input, state, newId, api.version));
      const injected = this.core.faults.takeFailure(operation, api.version);
      if (injected) throw injected;
      const output = handler({
        operation,
        api: api.version,
        input: applyDefaults(api.shapes, spec.input, input),
        state,
        newId,
        paginator: this.core.paginator,
        fail: (errorName: string, message: string) => declaredError(api, operation, errorName, message),
      });
      const answer = apiOutput(api, operation, output);
      call.status = 200;
      send(res, 200, answer);
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
