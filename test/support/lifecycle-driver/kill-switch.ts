import * as http from 'http';
import type { AddressInfo } from 'net';

/**
 * An HTTP proxy in front of the service that "kills" the Lambda invocation using it: the `killAt`-th request it sees
 * is forwarded (so it takes effect in the service) but its answer never comes back, and from then on the proxy refuses
 * every connection, as a dead process would. `killed` resolves at that moment.
 */
export class KillSwitch {
  /** Starts a proxy to `target` (`http://127.0.0.1:<port>`) on a free port of 127.0.0.1. */
  static async start(target: string, killAt: number): Promise<KillSwitch> {
    const proxy = new KillSwitch(new URL(target), killAt);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  public readonly killed: Promise<void>;
  private readonly server: http.Server;
  private readonly sockets = new Set<import('net').Socket>();
  private seen = 0;
  private dead = false;
  private kill!: () => void;

  private constructor(private readonly target: URL, private readonly killAt: number) {
    this.killed = new Promise((resolve) => {
      this.kill = resolve;
    });
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('connection', (s) => {
      if (this.dead) s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** `http://127.0.0.1:<port>` */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops the proxy (idempotent). */
  public close(): void {
    this.die();
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.dead) {
      res.destroy();
      return;
    }
    const last = ++this.seen >= this.killAt;
    const upstream = http.request({
      host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers,
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
    this.server.close();
    for (const s of this.sockets) s.destroy();
    this.kill();
  }
}
