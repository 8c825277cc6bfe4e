import * as http from 'http';
import { listenOnLoopback, loopbackUrl } from '../loopback';

/**
 * HTTP proxies in front of the service, one per endpoint, that "kill" the Lambda invocation using them: the
 * `killAt`-th request they see together is forwarded (so it takes effect in the service) but its answer never comes
 * back, and from then on every proxy refuses every connection, as a dead process would. `killed` resolves at that moment.
 */
export class KillSwitch {
  /** Starts a proxy to each of `targets` (`http://127.0.0.1:<port>`) on a free port of 127.0.0.1. */
  static async start(targets: readonly string[], killAt: number): Promise<KillSwitch> {
    const proxy = new KillSwitch(targets, killAt);
    await Promise.all([...proxy.servers.values()].map(listenOnLoopback));
    return proxy;
  }

  public readonly killed: Promise<void>;
  private readonly servers = new Map<string, http.Server>();
  private readonly sockets = new Set<import('net').Socket>();
  private seen = 0;
  private dead = false;
  private kill!: () => void;

  private constructor(targets: readonly string[], private readonly killAt: number) {
    this.killed = new Promise((resolve) => {
      this.kill = resolve;
    });
    for (const target of new Set(targets)) {
      const server = http.createServer((req, res) => this.forward(new URL(target), req, res));
      server.on('connection', (s) => {
        if (this.dead) s.destroy();
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      this.servers.set(target, server);
    }
  }

  /** The proxy of `target` (one of those it started with): `http://127.0.0.1:<port>` */
  public endpointFor(target: string): string {
    const server = this.servers.get(target);
    if (!server) throw new Error(`no proxy for ${target}`);
    return loopbackUrl(server);
  }

  /** Stops the proxies (idempotent). */
  public close(): void {
    this.die();
  }

  private forward(target: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.dead) {
      res.destroy();
      return;
    }
    const last = ++this.seen >= this.killAt;
    const upstream = http.request({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers,
    }, (answer) => {
      if (last) {
        answer.resume();
        answer.on('end', () => this.die());
        return;
      }
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private die(): void {
    if (this.dead) return;
    this.dead = true;
    for (const server of this.servers.values()) server.close();
    for (const s of this.sockets) s.destroy();
    this.kill();
  }
}
