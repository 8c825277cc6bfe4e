/**
 * moto_server (moto 5.2.1), the third-party SES v2 emulator on these machines: the one `.ci/run` started (its URL in
 * MOTO_ENDPOINT), else one started here on a free loopback port. A missing moto_server is an error, never a skip.
 */
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

export interface MotoServer {
  readonly url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export async function startMoto(): Promise<MotoServer> {
  const given = process.env.MOTO_ENDPOINT;
  if (given) {
    await waitForPort(new URL(given), START_TIMEOUT_MS);
    return { url: given, stop: async () => {} };
  }
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'ENOENT'
      ? 'moto_server is not installed: the SES v2 third-party check needs moto 5.2.1 (`moto_server` on the PATH), as on every CI machine'
      : `moto_server did not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`moto_server exited with code ${code} before it listened`)));
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForPort(new URL(url), START_TIMEOUT_MS), failed]);
  } catch (error) {
    child.kill();
    throw error;
  }
  failed.catch(() => {}); // exits after stop() are expected
  return { url, stop: () => stopChild(child) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(url: URL, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname);
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not listen on ${url.host} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}
