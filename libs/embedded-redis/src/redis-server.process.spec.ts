import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { findFreePort, RedisServerUnavailableError, startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { startRedisServerWithPorts } from './redis-server.process.js';

/** Resolves with the connection error, or undefined if something accepted the connection. */
function connectionError(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error) => resolve(error));
  });
}

function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return address.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * ioredis arms a destroy timer on disconnect() that is only cleared by a later
 * 'close', so calling it on an already closed client leaks the timer.
 */
async function closeClient(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise((resolve) => redis.once('end', resolve));
  redis.disconnect();
  await ended;
}

describe('startRedisServer', () => {
  const started: RunningRedisServer[] = [];
  const clients: Redis[] = [];

  async function start(...args: Parameters<typeof startRedisServer>): Promise<RunningRedisServer> {
    const server = await startRedisServer(...args);
    started.push(server);
    return server;
  }

  function client(url: string): Redis {
    const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(redis);
    return redis;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeClient));
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  it('serves a noeviction Redis on a free port and stops cleanly', async () => {
    const server = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);

    const redis = client(server.url);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await redis.set('greeting', 'hello')).toBe('OK');
    expect(await redis.get('greeting')).toBe('hello');
    const [, dir] = (await redis.config('GET', 'dir')) as [string, string];
    expect(existsSync(dir)).toBe(true);
    await redis.quit();

    await server.stop();
    expect((await connectionError(server.port))?.code).toBe('ECONNREFUSED');
    expect(existsSync(dir)).toBe(false);
    // stop() is idempotent: a second call must not throw or hang.
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('turns AOF on when persistent', async () => {
    const server = await start({ persistent: true });
    const redis = client(server.url);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });

  it('forwards server output to the log callback', async () => {
    const lines: string[] = [];
    await start({ log: (line) => lines.push(line) });
    expect(lines.some((line) => line.includes('Ready to accept connections'))).toBe(true);
  });

  it('rejects with RedisServerUnavailableError when the binary is missing', async () => {
    const attempt = startRedisServer({ binary: '/nonexistent/redis-server-for-test' });
    await expect(attempt).rejects.toBeInstanceOf(RedisServerUnavailableError);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server.*docker compose up redis.*REDIS_URL/s);
  });

  it('retries on another port when the picked one was taken in the meantime', async () => {
    const squatter = await occupyPort();
    try {
      const busyPort = portOf(squatter);
      const offered: number[] = [];
      const lines: string[] = [];
      const server = await startRedisServerWithPorts({ log: (line) => lines.push(line) }, async () => {
        const port = offered.length === 0 ? busyPort : await findFreePort();
        offered.push(port);
        return port;
      });
      started.push(server);

      expect(offered).toHaveLength(2);
      expect(server.port).toBe(offered[1]);
      expect(server.port).not.toBe(busyPort);
      expect(lines.some((line) => line.includes('Address already in use'))).toBe(true);
      expect(await client(server.url).ping()).toBe('PONG');
    } finally {
      await closeServer(squatter);
    }
  });

  it('does not move away from an explicitly requested port that is taken', async () => {
    const squatter = await occupyPort();
    try {
      await expect(startRedisServer({ port: portOf(squatter) })).rejects.toThrow(/already in use/);
    } finally {
      await closeServer(squatter);
    }
  });
});

describe('findFreePort', () => {
  it('returns a port that can be bound right away', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    expect(portOf(server)).toBe(port);
    await closeServer(server);
  });
});
