/** One Server-Sent Event as the HTML standard's parser yields it. */
export interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
  /** A `retry:` field: how long to wait before reconnecting, ms. */
  retry?: number;
}

/**
 * Parses a `text/event-stream` body (HTML Living Standard, "Server-sent events", the parsing
 * rules): fields per line, `data` lines joined, comments ignored, an event dispatched at a blank
 * line. Written here rather than taken from an EventSource package because the client decides
 * itself when to resume with `Last-Event-ID` and when to fall back to long-polls.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: { event?: string; id?: string; data?: string[]; retry?: number } = {};
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data) yield { event: event.event ?? 'message', id: event.id, data: event.data.join('\n'), retry: event.retry };
          else if (event.retry !== undefined) yield { event: 'retry', data: '', retry: event.retry };
          event = {};
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') (event.data ??= []).push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
      }
    }
  } finally {
    reader.releaseLock();
  }
}
