import { request, type Agent } from 'node:http';

/** One `status` event of the stream: its id (the authentication's sequence) and document. */
export interface StreamEvent {
  id: string | undefined;
  document: Record<string, unknown>;
}

/**
 * Reads one `text/event-stream` response (API.md §4, "Stream") the way a browser's `EventSource`
 * would: `onEvent` gets each `status` event as soon as its block is complete, and returns true
 * when it has what it waited for (the stream is then closed). Resolves with the HTTP status when
 * the stream ends or is closed; a non-200 answer is read no further.
 */
export function readEventStream(
  url: string,
  agent: Agent,
  lastEventId: string | undefined,
  onEvent: (event: StreamEvent) => boolean,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const call = request(
      url,
      { agent, headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) } },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          response.resume();
          response.on('end', () => resolve(status));
          return;
        }
        response.setEncoding('utf8');
        let pending = '';
        let done = false;
        response.on('data', (chunk: string) => {
          if (done) return;
          pending += chunk;
          let end: number;
          while (!done && (end = pending.indexOf('\n\n')) >= 0) {
            const event = parseBlock(pending.slice(0, end));
            pending = pending.slice(end + 2);
            if (event && onEvent(event)) done = true;
          }
          if (done) {
            call.destroy();
            resolve(status);
          }
        });
        response.on('end', () => resolve(status));
        response.on('error', (error) => (done ? undefined : reject(error)));
      },
    );
    call.on('error', reject);
    call.end();
  });
}

/** A block of `field: value` lines; comments (`: ping`) and other event types give nothing. */
function parseBlock(block: string): StreamEvent | undefined {
  let type = 'message';
  let id: string | undefined;
  let data = '';
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data += data ? `\n${value}` : value;
  }
  if (type !== 'status' || !data) return undefined;
  return { id, document: JSON.parse(data) as Record<string, unknown> };
}
