import type { RedisConnection } from './redis-clients.js';

export class RedisPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisPolicyError';
  }
}

/**
 * BullMQ only warns when Redis may evict keys; for us an evicted job lock or record loses a
 * customer's answer. Outside the sandbox start-up refuses such a Redis.
 */
export async function assertNoEviction(redis: RedisConnection): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    // Managed services may forbid CONFIG; INFO memory has the same answer.
    const info = await redis.info('memory');
    policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; it must be "noeviction" (evicted queue locks or records lose results). Set it with: CONFIG SET maxmemory-policy noeviction`,
    );
  }
}
