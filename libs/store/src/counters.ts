import type { HashIncrements } from './hash-increments.js';
import { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/** KEYS: a due set. ARGV: now ms. Counts the members scored in the future with a fraction (leases). */
const COUNT_LEASED = new LuaScript(`
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')
local leased = 0
for i = 2, #members, 2 do
  if string.find(members[i], '.', 1, true) then leased = leased + 1 end
end
return leased
`);

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

  /**
   * A provider's authentications in a worker's hands now (claimed, their run not yet stored):
   * the members scored as a lease (`leaseScore`, the only fractional scores).
   */
  async leased(provider: string, now = Date.now()): Promise<number> {
    return Number(await COUNT_LEASED.run(this.redis, 1, this.keys.due(provider), now));
  }

  /** Active authentications of these providers (pending or awaiting a code). */
  async active(providers: readonly string[]): Promise<number> {
    const counts = await Promise.all(providers.map((provider) => this.redis.zcard(this.keys.due(provider))));
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
