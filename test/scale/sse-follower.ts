import { EventEmitter, once } from 'node:events';

export interface StreamEvent {
  event?: string;
  id?: string;
  data: string;
}

export interface EventFollower {
  status: number;
  events: StreamEvent[];
  /** Every `retry:` value received (HTML Living Standard, server-sent events). */
  retries: number[];
  /** How the stream ended: the server closed it normally, or the connection broke. */
  ended: Promise<'ended' | 'broken'>;
  /** The newest event's id, as a browser would send it back in Last-Event-ID. */
  lastEventId(): string | undefined;
  /** Resolves with the first event, past or future, that matches. */
  next(matches: (event: StreamEvent) => boolean, timeoutMs: number): Promise<StreamEvent>;
  close(): void;
}

/**
 * Follows an event stream as a browser's EventSource parses it (fields `event`, `id`, `data`,
 * `retry`; comment lines ignored), without reconnecting: the tests decide where to reconnect.
 */
export async function followEvents(url: string, headers: Record<string, string>): Promise<EventFollower> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const retries: number[] = [];
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(0);
  const dispatch = (block: string) => {
    const event: Partial<StreamEvent> = {};
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'retry' && /^\d+$/.test(value)) retries.push(Number(value));
      else if (field === 'event' || field === 'id') event[field] = value;
      else if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    }
    if (event.data !== undefined) {
      events.push(event as StreamEvent);
      arrivals.emit('event');
    }
  };
  const ended = (async (): Promise<'ended' | 'broken'> => {
    if (!response.body) return 'ended';
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
      return 'ended';
    } catch {
      return 'broken';
    } finally {
      arrivals.emit('end');
    }
  })();
  return {
    status: response.status,
    events,
    retries,
    ended,
    lastEventId: () => events.filter((event) => event.id !== undefined).at(-1)?.id,
    next: async (matches, timeoutMs) => {
      const signal = AbortSignal.timeout(timeoutMs);
      for (let seen = 0; ;) {
        const found = events.slice(seen).find(matches);
        if (found) return found;
        seen = events.length;
        await once(arrivals, 'event', { signal }).catch(() => {
          throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((event) => event.data))}`);
        });
      }
    },
    close: () => abort.abort(),
  };
}

/** The status document of an event. */
export const statusOf = (event: StreamEvent) => JSON.parse(event.data) as { status: string; [key: string]: any };
