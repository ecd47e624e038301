import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** `redis://127.0.0.1:<port>`: what the code under test connects to. */
  url: string;
  port: number;
  /** Connections opened through the proxy so far. */
  readonly connections: number;
  /** Closes every open connection with a TCP reset, as a restarting load balancer would. */
  resetAll(): void;
  /**
   * Blackholes: nothing passes either way and new connections are accepted but never served
   * (no RST, no FIN: the peer only notices by its own timeouts). `heal()` ends it; connections
   * that lived through it are reset then, as TCP would end them after its retransmissions.
   */
  blackhole(): void;
  heal(): void;
  /**
   * The next `count` times a client sends a command containing `marker`, the server's next reply
   * on that connection is dropped and the connection reset: the command ran, its reply was lost.
   * Resolves when that has happened `count` times.
   */
  loseReplyTo(marker: string, count?: number): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  /** Drop the next reply and reset (the command it answers has run). */
  loseNextReply?: () => void;
}

/**
 * A TCP proxy for fault tests, loopback only (node `net`): sits between the BFF and Redis and
 * resets, blackholes or cuts connections at the moments that matter, so the tests hit real
 * processes with real sockets instead of mocking a client.
 */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let opened = 0;
  let holes = false;
  const held: Socket[] = [];
  const replyCuts: { marker: Buffer; remaining: number; done: () => void }[] = [];

  const server: Server = createServer((client) => {
    opened += 1;
    client.on('error', () => undefined);
    if (holes) {
      held.push(client);
      return;
    }
    const upstream = createConnection(target);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, server: upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (holes) return;
      const cut = replyCuts.find((rule) => rule.remaining > 0 && chunk.includes(rule.marker));
      if (cut && !pair.loseNextReply) {
        cut.remaining -= 1;
        pair.loseNextReply = () => {
          client.resetAndDestroy();
          upstream.destroy();
          if (cut.remaining === 0) cut.done();
        };
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holes) return;
      if (pair.loseNextReply) return pair.loseNextReply();
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get connections() {
      return opened;
    },
    resetAll: () => {
      for (const pair of pairs) {
        pair.client.resetAndDestroy();
        pair.server.destroy();
      }
    },
    blackhole: () => {
      holes = true;
    },
    heal: () => {
      holes = false;
      for (const socket of held.splice(0)) socket.resetAndDestroy();
      for (const pair of pairs) {
        pair.client.resetAndDestroy();
        pair.server.destroy();
      }
    },
    loseReplyTo: (marker, count = 1) =>
      new Promise<void>((done) => replyCuts.push({ marker: Buffer.from(marker), remaining: count, done })),
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
