import type { Server } from 'node:http';

/**
 * How long an idle kept-alive connection stays open. Longer than the idle timeout of the load
 * balancers and clients in front (60 s is the common default): Node's own 5 s let a client reuse a
 * connection just as the server closed it, and that request failed with ECONNRESET. A stopping
 * process closes idle connections at once (`HttpDrain`), so this never delays a shutdown.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's advice: a headers timeout above the keep-alive one, so an idle socket is never cut mid-request.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
}
