import { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-clients.js';

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

/** Counting windows in Redis: shared by every replica, one round trip per check. */
export class RateLimiter {
  constructor(private readonly redis: RedisConnection) {}

  /** Counts this request if the window has room; says whether it had. */
  async take(key: string, limit: number, windowMs: number): Promise<WindowCount> {
    const [current, ttl, allowed] = (await COUNT_IN_WINDOW.run(this.redis, 1, key, limit, windowMs, '1')) as [number, number, number];
    return { count: current, limit, resetMs: ttl, allowed: allowed === 1 };
  }

  /** Counts one more, even past the limit (something already happened that must count). */
  async add(key: string, windowMs: number): Promise<void> {
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.pexpire(key, windowMs);
  }

  /** Gives back one counted request (it turned out not to have happened), never below zero. */
  async giveBack(key: string): Promise<void> {
    await GIVE_BACK.run(this.redis, 1, key);
  }
}
