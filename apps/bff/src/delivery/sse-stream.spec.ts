import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { SseStream } from './sse-stream.js';

/** A response that records what was written to it. */
function recordingResponse() {
  const written = { status: 0, headers: {} as Record<string, string>, body: '', ends: 0 };
  const response = {
    status: (code: number) => ((written.status = code), response),
    set: (headers: Record<string, string>) => (Object.assign(written.headers, headers), response),
    flushHeaders: () => undefined,
    write: (chunk: string) => void (written.body += chunk),
    end: () => void (written.ends += 1),
  };
  return { written, response: response as unknown as Response };
}

describe('SseStream', () => {
  it('writes events and comments in the wire format, one data line each', () => {
    const { written, response } = recordingResponse();
    const stream = SseStream.open(new EventEmitter() as Request, response);
    expect(written.status).toBe(200);
    expect(written.headers['Content-Type']).toBe('text/event-stream; charset=utf-8');
    stream.event('status', 3, { status: 'pending', note: 'two\nlines' });
    stream.comment('ping');
    expect(written.body).toBe('event: status\nid: 3\ndata: {"status":"pending","note":"two\\nlines"}\n\n: ping\n\n');
    stream.close();
  });

  it('told to reconnect: the reconnection time, then the end, once; cleanups run once', () => {
    const { written, response } = recordingResponse();
    const stream = SseStream.open(new EventEmitter() as Request, response);
    let cleanups = 0;
    stream.onClose(() => (cleanups += 1));
    stream.reconnect(1000);
    stream.reconnect(1000);
    stream.event('status', 4, {});
    expect(written.body).toBe('retry: 1000\n\n');
    expect(written.ends).toBe(1);
    expect(cleanups).toBe(1);
    // A cleanup added to a stream already ended runs at once.
    stream.onClose(() => (cleanups += 1));
    expect(cleanups).toBe(2);
  });

  it('ends when the client goes', () => {
    const { written, response } = recordingResponse();
    const request = new EventEmitter();
    const stream = SseStream.open(request as Request, response);
    request.emit('close');
    expect(stream.closed).toBe(true);
    expect(written.ends).toBe(1);
  });
});
