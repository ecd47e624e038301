import { EventStreams, type ReconnectableStream } from './event-streams.js';
import { SSE_RETRY_MS } from '../shutdown/shutdown-budget.js';

/** A stream that remembers what it was told. */
const stream = () => {
  const told: number[] = [];
  return { told, reconnect: (retryMs: number) => void told.push(retryMs) } satisfies ReconnectableStream & { told: number[] };
};

describe('EventStreams', () => {
  it('tells every open stream to reconnect, with the reconnection time, once', () => {
    const logged: unknown[] = [];
    const streams = new EventStreams({ info: (fields: unknown) => void logged.push(fields) });
    const [a, b, ended] = [stream(), stream(), stream()];
    streams.register(a);
    streams.register(b);
    streams.register(ended)();
    expect(streams.size).toBe(2);

    expect(streams.reconnectAll()).toBe(2);
    expect(a.told).toEqual([SSE_RETRY_MS]);
    expect(b.told).toEqual([SSE_RETRY_MS]);
    expect(ended.told).toEqual([]);
    expect(logged).toEqual([{ event: 'sse.reconnect_requested', streams: 2 }]);

    // Nest's hook after an earlier call (or a second shutdown path): the second changes nothing.
    streams.beforeApplicationShutdown();
    expect(a.told).toEqual([SSE_RETRY_MS]);
    expect(logged).toHaveLength(1);
  });

  it('a stream opened while stopping is told to reconnect at once', () => {
    const streams = new EventStreams();
    streams.reconnectAll();
    const late = stream();
    streams.register(late);
    expect(late.told).toEqual([SSE_RETRY_MS]);
    expect(streams.size).toBe(0);
  });

  it('a stream that fails to write does not keep the others open', () => {
    const streams = new EventStreams();
    const healthy = stream();
    streams.register({
      reconnect: () => {
        throw new Error('socket gone');
      },
    });
    streams.register(healthy);
    expect(() => streams.reconnectAll()).not.toThrow();
    expect(healthy.told).toEqual([SSE_RETRY_MS]);
  });
});
