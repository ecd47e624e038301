import { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

export interface WindowCount {
  /** Requests counted in the current window, this one included when it was counted. */
  count: number;
  limit: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
  allowed: boolean;
}

/**
 * KEYS: window counter. ARGV: limit, window ms, count ('1' = count this request if allowed).
 * A fixed window that starts with its first request; atomic, so the limit holds across replicas.
 */
const COUNT_IN_WINDOW = new LuaScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[2]) end
if current >= tonumber(ARGV[1]) then return {current, ttl, 0} end
if ARGV[3] == '1' then
  current = redis.call('INCR', KEYS[1])
  if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
return {current, ttl, 1}
`);

/** KEYS: window counter. Decrements a live window's count; an expired window stays gone. */
const GIVE_BACK = new LuaScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > 0 then redis.call('DECR', KEYS[1]) end
return current
`);

const MINUTE_MS = 60_000;

/**
 * Counting windows in Redis: shared by every replica, one round trip per check. Callers name the
 * window (a consumer's, an agent's, a customer's at a provider); the keys stay in here.
 */
export class RateLimiter {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  /** A consumer's requests per minute (API.md §4). */
  takeConsumer(consumer: string, perMinute: number): Promise<WindowCount> {
    return this.take(this.keys.consumerLimit(consumer), perMinute, MINUTE_MS);
  }

  /** A signed-in agent's requests per minute (API.md §7); `agentKey` is a keyed hash of the subject. */
  takeAgent(agentKey: string, perMinute: number): Promise<WindowCount> {
    return this.take(this.keys.agentLimit(agentKey), perMinute, MINUTE_MS);
  }

  /** A start that never reached the provider does not count against the customer. */
  giveBackCustomer(provider: string, customerKey: string): Promise<void> {
    return this.giveBack(this.keys.customerLimit(provider, customerKey));
  }

  /** One more "customer unknown" answer for the consumer's enumeration guard. */
  addUnknownCustomer(consumer: string, windowMs: number): Promise<void> {
    return this.add(this.keys.unknownCustomerLimit(consumer), windowMs);
  }

  /** Counts this request if the window has room; says whether it had. */
  private async take(key: string, limit: number, windowMs: number): Promise<WindowCount> {
    const [current, ttl, allowed] = (await COUNT_IN_WINDOW.run(this.redis, 1, key, limit, windowMs, '1')) as [number, number, number];
    return { count: current, limit, resetMs: ttl, allowed: allowed === 1 };
  }

  /** Counts one more, even past the limit (something already happened that must count). */
  private async add(key: string, windowMs: number): Promise<void> {
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.pexpire(key, windowMs);
  }

  /** Gives back one counted request (it turned out not to have happened), never below zero. */
  private async giveBack(key: string): Promise<void> {
    await GIVE_BACK.run(this.redis, 1, key);
  }
}
