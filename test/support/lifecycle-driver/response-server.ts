import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { listenOnLoopback, stopServer } from '../loopback';

/** One PUT received on a response URL. */
export interface RecordedResponse {
  /** The body, cut after 1 MiB. */
  readonly body: Buffer;
  /** The size of the whole body in bytes. */
  readonly bytes: number;
  readonly headers: http.IncomingHttpHeaders;
}

interface Expected {
  readonly signature: string;
  readonly responses: RecordedResponse[];
}

/** Bodies larger than this are cut (the driver only needs to know they are far over CloudFormation's 4096 bytes). */
const MAX_RECORDED_BYTES = 1024 * 1024;

/**
 * Stands in for the pre-signed S3 URLs CloudFormation gives custom resources as `ResponseURL`: an HTTP server on
 * 127.0.0.1 with one unique path (and signature query) per request, recording every PUT body.
 *
 * Like S3 it answers 403 to a PUT whose query string is missing or altered, and 411 to a PUT without `content-length`
 * (S3 refuses chunked uploads to pre-signed URLs), so a handler that gets either wrong fails here as it would in AWS.
 */
export class ResponseServer {
  private server?: http.Server;
  private starting?: Promise<number>;
  private readonly expected = new Map<string, Expected>();

  /** Starts listening on an ephemeral port of 127.0.0.1 (once); resolves to the port. */
  public async start(): Promise<number> {
    if (!this.starting) {
      const server = http.createServer((req, res) => this.receive(req, res));
      this.server = server;
      this.starting = listenOnLoopback(server).then(() => (server.address() as AddressInfo).port);
    }
    return this.starting;
  }

  /**
   * A fresh response URL for one request, presigned like CloudFormation's (SigV4, valid two hours), with its signing
   * time `signedAt` (default now) as `X-Amz-Date`: a handler can tell how long ago the request was issued.
   */
  public async url(requestId: string, signedAt: number = Date.now()): Promise<string> {
    const port = await this.start();
    const signature = randomBytes(16).toString('hex');
    this.expected.set(requestId, { signature, responses: [] });
    const date = new Date(signedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    return `http://127.0.0.1:${port}/cloudformation-custom-resource-response/${encodeURIComponent(requestId)}` +
      `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=7200&X-Amz-Signature=${signature}`;
  }

  /** The PUTs received so far on the URL of this request, first one first. */
  public responses(requestId: string): readonly RecordedResponse[] {
    return this.expected.get(requestId)?.responses ?? [];
  }

  /** Stops listening and drops open (keep-alive) connections. Safe to call more than once; `url()` starts it again. */
  public async close(): Promise<void> {
    const server = this.server;
    const starting = this.starting;
    this.server = undefined;
    this.starting = undefined;
    if (!server || !starting) return;
    await starting.catch(() => undefined);
    await stopServer(server);
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/cloudformation-custom-resource-response\/([^/]+)$/.exec(url.pathname);
    const expected = match ? this.expected.get(decodeURIComponent(match[1])) : undefined;
    const reply = (status: number, message = ''): void => {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
    };
    if (!expected) return reply(404, 'NoSuchKey');
    if (req.method !== 'PUT') return reply(405, 'MethodNotAllowed');
    if (url.searchParams.get('X-Amz-Signature') !== expected.signature) return reply(403, 'SignatureDoesNotMatch');
    if (req.headers['content-length'] === undefined) return reply(411, 'MissingContentLength');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RECORDED_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      expected.responses.push({ body: Buffer.concat(chunks), bytes: size, headers: req.headers });
      res.writeHead(200).end();
    });
    req.on('error', () => res.destroy());
  }
}
