import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Finished authentications whose webhook is still to be queued. The TRANSITION script adds an id
 * in the same step that ends the authentication; the dispatcher removes it once the job is queued,
 * so a crash in between leaves it here for the maintenance job.
 */
export class WebhookOutbox {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  /** The oldest ids still waiting, at most `limit`. */
  list(limit = 500): Promise<string[]> {
    return this.redis.zrange(this.keys.webhookOutbox(), 0, limit - 1);
  }

  async clear(id: string): Promise<void> {
    await this.redis.zrem(this.keys.webhookOutbox(), id);
  }
}
