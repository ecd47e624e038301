import { randomBytes } from 'node:crypto';
import { startRedisServer } from '@ciba/embedded-redis';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /** A key prefix no other test uses (a hash tag, like the product's). */
  prefix: string;
  stop(): Promise<void>;
}

/**
 * A real Redis for one test file: `REDIS_URL` when set (then only keys under a fresh prefix are
 * touched, and deleted afterwards), else a `redis-server` child process on a free port.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const prefix = `{t${randomBytes(6).toString('hex')}}`;
  const external = process.env.REDIS_URL;
  if (!external) {
    const server = await startRedisServer();
    return { url: server.url, prefix, stop: () => server.stop() };
  }
  return {
    url: external,
    prefix,
    stop: async () => {
      const client = new Redis(external);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length > 0) await client.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        client.disconnect();
      }
    },
  };
}

/**
 * For a describe block: a test Redis and one client on it, started before all its tests and
 * stopped after them. Read `redis` and `client` inside the tests (they exist from `beforeAll` on).
 */
export function useTestRedisClient(): { readonly redis: TestRedis; readonly client: Redis } {
  const handle = {} as { redis: TestRedis; client: Redis };
  beforeAll(async () => {
    handle.redis = await startTestRedis();
    handle.client = new Redis(handle.redis.url);
  });
  afterAll(async () => {
    handle.client?.disconnect();
    await handle.redis?.stop();
  });
  return handle;
}
