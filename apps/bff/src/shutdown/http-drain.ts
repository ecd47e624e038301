import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Lets an HTTP server stop without cutting answers short. `server.close()` alone stops accepting
 * connections but then waits for every keep-alive connection to time out (5 s each) and for every
 * request, however long it lasts (a long-poll may wait a minute). A drain closes connections as
 * soon as they fall idle, asks clients not to reuse them (`Connection: close`), and after a grace
 * period closes whatever is still open.
 */
export class HttpDrain {
  private readonly open = new Set<ServerResponse>();
  private closed: Promise<void> | undefined;

  constructor(private readonly server: Server) {
    // First in line, so every request of this server is seen before a handler answers it.
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => this.track(response));
  }

  /** Requests still being answered. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Resolves once the server has closed: at once when idle, at the latest after `graceMs`. */
  drain(graceMs: number): Promise<void> {
    if (this.closed) return this.closed;
    for (const response of this.open) this.askToClose(response);
    this.closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), graceMs);
    grace.unref();
    void this.closed.then(() => clearTimeout(grace));
    return this.closed;
  }

  private track(response: ServerResponse): void {
    this.open.add(response);
    if (this.closed) this.askToClose(response);
    response.once('close', () => {
      this.open.delete(response);
      // The connection is idle only once the response has left; close it then, not after keep-alive.
      if (this.closed) setImmediate(() => this.server.closeIdleConnections());
    });
  }

  private askToClose(response: ServerResponse): void {
    if (!response.headersSent) response.setHeader('Connection', 'close');
  }
}
