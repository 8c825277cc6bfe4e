/** The local servers' shared plumbing: listening on a free port of 127.0.0.1, and stopping at once. */
import type { Server } from 'http';
import type { AddressInfo } from 'net';

/** Listens on 127.0.0.1 on a free port; resolves once it listens. */
export function listenOnLoopback(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function loopbackUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and every open connection. */
export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
