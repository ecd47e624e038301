import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';
import { SSE_RETRY_MS } from '../shutdown/shutdown-budget.js';

/** An open Server-Sent Events response that can be told to come back later. */
export interface ReconnectableStream {
  /** Writes `retry: <ms>` and ends the response; the client reconnects, to whichever replica. */
  reconnect(retryMs: number): void;
}

/**
 * The open event streams of this process. A stopping replica cannot keep them: each is given a
 * reconnection time and ended, and the browser's EventSource reconnects with its Last-Event-ID to
 * another replica, which continues from the store (HTML Living Standard, server-sent events:
 * the `retry` field sets the reconnection time; a 200 stream that ends is reestablished).
 * It runs before Nest closes the HTTP server, which would otherwise wait for these responses.
 */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<ReconnectableStream>();
  private stopping = false;

  constructor(@Optional() @Inject(LOGGER) private readonly logger?: Pick<Logger, 'info'>) {}

  /** Adds a stream; call the returned function when it ends by itself. */
  register(stream: ReconnectableStream): () => void {
    if (this.stopping) {
      stream.reconnect(SSE_RETRY_MS);
      return () => undefined;
    }
    this.open.add(stream);
    return () => void this.open.delete(stream);
  }

  get size(): number {
    return this.open.size;
  }

  /** Tells every open stream to reconnect, and every later one at once. Safe to call twice. */
  reconnectAll(): number {
    this.stopping = true;
    const streams = [...this.open];
    this.open.clear();
    for (const stream of streams) {
      try {
        stream.reconnect(SSE_RETRY_MS);
      } catch {
        // A client already gone cannot be told anything; the others still must be.
      }
    }
    if (streams.length > 0) {
      this.logger?.info({ event: 'sse.reconnect_requested', streams: streams.length }, 'event streams told to reconnect elsewhere');
    }
    return streams.length;
  }

  beforeApplicationShutdown(): void {
    this.reconnectAll();
  }
}
