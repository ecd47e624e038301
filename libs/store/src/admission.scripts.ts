import { LuaScript } from './lua-script.js';

/**
 * Admits a start before its provider is called, in one atomic step and in this order:
 * 1. the enumeration guard: refused while the consumer's window of unknown customers is full
 *    (peeked, never counted: only an answer of the provider counts there);
 * 2. the reservation "one pending authentication per consumer, provider and customer": taken
 *    for this id, or the id that holds it is returned;
 * 3. the per-customer limit: counted, or, when full, the reservation just taken is dropped again
 *    (a refused start must not leave the customer "pending").
 * The windows are those of RateLimiter's COUNT_IN_WINDOW: fixed, starting with their first
 * request; a window without a TTL reports a whole window left.
 *
 * KEYS: unknown-customer window, pending lock, customer window.
 * ARGV: id, reservation ms, unknown limit, unknown window ms, customer limit, customer window ms.
 * Returns {'admitted'}, {'enumeration_guard', ms left}, {'held', holder id} or
 * {'customer_limited', ms left}.
 *
 * Idempotent: a connection reset while the reply is on the wire makes ioredis send the call
 * again. A reservation that already names this id is this call's own first run, which counted
 * the customer: the repeat answers "admitted" instead of "held by itself" and counts nothing.
 */
export const ADMIT_START = new LuaScript(`
local unknown = tonumber(redis.call('GET', KEYS[1]) or '0')
if unknown >= tonumber(ARGV[3]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[4]) end
  return {'enumeration_guard', ttl}
end
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then
  local holder = redis.call('GET', KEYS[2])
  if holder == ARGV[1] then return {'admitted'} end
  return {'held', holder}
end
local count = tonumber(redis.call('GET', KEYS[3]) or '0')
if count >= tonumber(ARGV[5]) then
  redis.call('DEL', KEYS[2])
  local ttl = redis.call('PTTL', KEYS[3])
  if ttl < 0 then ttl = tonumber(ARGV[6]) end
  return {'customer_limited', ttl}
end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[6]) end
return {'admitted'}
`);
