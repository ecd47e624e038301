import type { HashIncrements } from './hash-increments.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Counters shared by every process, in one Redis hash: a worker's polls and an API's starts add
 * up in one place, so any API replica's /metrics shows the whole deployment. Increments are
 * buffered (`HashIncrements`): another process's show within a second, this process's at once.
 */
export class Counters {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly increments: HashIncrements,
  ) {}

  increment(name: string, ...labels: string[]): void {
    this.increments.add(this.keys.metrics(), [name, ...labels].join('|'), 1);
  }

  /** Every counter: name, its labels, its value. */
  async read(): Promise<{ name: string; labels: string[]; value: number }[]> {
    await this.increments.flush();
    const hash = await this.redis.hgetall(this.keys.metrics());
    return Object.entries(hash).map(([field, value]) => {
      const [name, ...labels] = field.split('|');
      return { name, labels, value: Number(value) };
    });
  }

  /** A provider's authentications due now: claimed ones are re-scored to their lease's end. */
  async due(provider: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.keys.due(provider), '-inf', now);
  }

  /** Active authentications of these providers (pending or awaiting a code). */
  async active(providers: readonly string[]): Promise<number> {
    const counts = await Promise.all(providers.map((provider) => this.redis.zcard(this.keys.due(provider))));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
