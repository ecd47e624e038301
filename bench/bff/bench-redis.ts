import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { EMBEDDED_REDIS_ENTRY } from '../support/repo-paths.js';

/** The product's own `startRedisServer()` (libs/embedded-redis), loaded from `dist/`. */
interface EmbeddedRedisModule {
  startRedisServer(options?: { persistent?: boolean }): Promise<{ url: string; port: number; stop(): Promise<void> }>;
}

export interface BenchRedis {
  url: string;
  pid: number;
  version: string;
  /** A client for diagnostics (INFO, SCAN, MEMORY USAGE). */
  client: Redis;
  /** `INFO memory` used_memory, bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A redis-server child on a free port (never the machine's 6379), started by the product's
 * embedded-redis library; its pid (for /proc) comes from `INFO server`.
 */
export async function startBenchRedis(options: { aof: boolean }): Promise<BenchRedis> {
  const embedded = (await import(pathToFileURL(EMBEDDED_REDIS_ENTRY).href)) as EmbeddedRedisModule;
  const server = await embedded.startRedisServer({ persistent: options.aof });
  const client = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  const info = await client.info('server');
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('redis-server did not report its process_id');
  return {
    url: server.url,
    pid,
    version,
    client,
    usedMemory: async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]),
    stop: async () => {
      client.disconnect();
      await server.stop();
    },
  };
}
