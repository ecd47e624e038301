import { LuaScript } from './lua-script.js';

/**
 * KEYS: the session hash. ARGV: now (epoch ms), idle limit (ms).
 * One use of a session: gone or past its absolute expiry → nil (and deleted); else `lastSeenAt`
 * is now and the key lives for the idle limit again, never beyond the absolute expiry (which
 * never moves). Atomic, so two replicas touching one session cannot stretch it.
 */
export const USE_SESSION = new LuaScript(`
local absolute = tonumber(redis.call('HGET', KEYS[1], 'absoluteExpiresAt') or '0')
local now = tonumber(ARGV[1])
if absolute == 0 then return false end
if absolute <= now then
  redis.call('DEL', KEYS[1])
  return false
end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), absolute - now))
return redis.call('HGETALL', KEYS[1])
`);
