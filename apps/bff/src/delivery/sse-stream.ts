import type { Request, Response } from 'express';
import type { ReconnectableStream } from './event-streams.js';

/** A comment line keeps proxies from closing an idle stream (API.md §4). */
export const PING_INTERVAL_MS = 15_000;

/**
 * One open Server-Sent Events response (HTML Living Standard, server-sent events): events,
 * comments and the reconnection time in the wire format, a keep-alive comment while it is idle,
 * and one way to end, whoever ends it (the last event, the client leaving, a stopping process).
 */
export class SseStream implements ReconnectableStream {
  private readonly ping: NodeJS.Timeout;
  private readonly onEnd: (() => void)[] = [];
  private ended = false;

  private constructor(private readonly response: Response) {
    this.ping = setInterval(() => this.comment('ping'), PING_INTERVAL_MS);
  }

  /** Sends the 200 and the stream's headers now; the stream ends when the client goes. */
  static open(request: Request, response: Response): SseStream {
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    const stream = new SseStream(response);
    request.on('close', () => stream.close());
    return stream;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** One event; JSON.stringify escapes newlines, so `data` is one line and cannot inject another event. */
  event(type: string, id: number, data: unknown): void {
    if (this.ended) return;
    this.response.write(`event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A line the client ignores (`text` must be one line). */
  comment(text: string): void {
    if (this.ended) return;
    this.response.write(`: ${text}\n\n`);
  }

  /** Tells the client when to come back, then ends: its EventSource reconnects, to whichever replica. */
  reconnect(retryMs: number): void {
    if (this.ended) return;
    this.response.write(`retry: ${retryMs}\n\n`);
    this.close();
  }

  /** Runs `cleanup` when the stream ends, or now if it has. */
  onClose(cleanup: () => void): void {
    if (this.ended) cleanup();
    else this.onEnd.push(cleanup);
  }

  /** Ends the response. Safe to call twice. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.ping);
    for (const cleanup of this.onEnd.splice(0)) cleanup();
    this.response.end();
  }
}
