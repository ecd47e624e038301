import { readServerSentEvents, type ServerSentEvent } from './sse-stream.js';

/** A body delivered in the chunks given (split anywhere, as a network would). */
const bodyOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

async function all(body: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(body)) events.push(event);
  return events;
}

describe(readServerSentEvents.name, () => {
  it('parses events split across chunks, joins data lines, skips comments and keeps ids and retry', async () => {
    const events = await all(bodyOf(': ping\n\nevent: sta', 'tus\nid: 3\ndata: {"a":\ndata: 1}\n\n', 'retry: 2500\n\ndata: x\r\n\r\n'));
    expect(events).toEqual([
      { event: 'status', id: '3', data: '{"a":\n1}', retry: undefined },
      { event: 'retry', data: '', retry: 2500 },
      { event: 'message', id: undefined, data: 'x', retry: undefined },
    ]);
  });

  it('drops an event cut off before its blank line', async () => {
    expect(await all(bodyOf('event: status\ndata: half'))).toEqual([]);
  });
});
