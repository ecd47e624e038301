import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-clients.js';

const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * A Lua script run by its SHA1 (`EVALSHA`), so the body crosses the wire and is hashed by Redis
 * only when Redis does not have it yet: after a restart, a failover, or on another cluster node
 * it answers NOSCRIPT, which runs nothing, and the script is sent once with `EVAL`. (ioredis's
 * `defineCommand` does the same, but per client instance and typed loosely; this works with any
 * connection, Cluster included.)
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, numKeys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return redis.eval(this.source, numKeys, ...args);
    }
  }
}
