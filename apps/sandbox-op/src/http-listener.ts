import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a plain-http server; the OS picks the port when `port` is 0. */
export async function listen(listener: RequestListener, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Stops accepting and drops keep-alive connections, so close() does not hang on idle clients. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function requestPath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
  } catch {
    return '/';
  }
}
