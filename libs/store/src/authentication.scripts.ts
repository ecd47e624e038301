import { LuaScript } from './lua-script.js';

/**
 * Lua scripts: each change of an authentication is one atomic step that checks the status it
 * expects, writes, bumps the sequence, keeps the index and TTL right and publishes the event.
 */

/**
 * KEYS: record, the provider's due set, pending lock, webhook outbox.
 * ARGV: id, allowed statuses (comma list), fence ('' = none), fields to set (JSON object),
 *       fields to delete (JSON array), visible ('1'/'0'), active score ('' = remove),
 *       expire-at ms, terminal ('1'/'0'), events channel, outbox ('1' = this change ends an
 *       authentication that has a webhook: record it in the same step), now ms, change id.
 * Returns {1, seq} or {0, reason}.
 *
 * Idempotent: a connection reset while the reply is on the wire makes ioredis send the same
 * call again. The change id it carries is remembered, so the repeat answers "applied" instead
 * of failing on the status or fence its own first run changed.
 *
 * The fence: the change applies while the caller's marker is held, or while no marker is held
 * and no token response waits (Redis may lose the last second of writes on a crash, our marker
 * with them; a pending answer is still the truth then). Another worker's marker, or a saved
 * approval, fences it out.
 */
export const TRANSITION = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], 'status', 'change', 'inflight', 'seq')
local status = current[1]
if not status then return {0, 'missing'} end
if current[2] == ARGV[13] then return {1, tonumber(current[4])} end
if not string.find(',' .. ARGV[2] .. ',', ',' .. status .. ',', 1, true) then return {0, 'status:' .. status} end
if ARGV[3] ~= '' then
  local holder = current[3]
  if holder ~= ARGV[3] and (holder or redis.call('HEXISTS', KEYS[1], 'tokenResponse') == 1) then return {0, 'fenced'} end
end
local seq = tonumber(current[4]) or 0
if ARGV[6] == '1' then seq = seq + 1 end
local fields = {'change', ARGV[13], 'seq', seq}
for field, value in pairs(cjson.decode(ARGV[4])) do
  fields[#fields + 1] = field
  fields[#fields + 1] = value
end
redis.call('HSET', KEYS[1], unpack(fields))
local del = cjson.decode(ARGV[5])
if #del > 0 then redis.call('HDEL', KEYS[1], unpack(del)) end
if ARGV[7] == '' then redis.call('ZREM', KEYS[2], ARGV[1]) else redis.call('ZADD', KEYS[2], ARGV[7], ARGV[1]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
if ARGV[9] == '1' and redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if ARGV[11] == '1' then redis.call('ZADD', KEYS[4], ARGV[12], ARGV[1]) end
if ARGV[6] == '1' then redis.call('PUBLISH', ARGV[10], seq) end
return {1, seq}
`);

/**
 * Takes the in-flight marker before a token request. KEYS: record. ARGV: marker, active statuses,
 * now ms ('' = any time). Returns 'acquired' (also when the marker is already ours: a repeat of
 * this call after a lost reply), 'busy' (another marker is there), 'early' (the record's next
 * poll is still to come: another run polled and stored meanwhile) or 'inactive:<status>'.
 */
export const ACQUIRE_INFLIGHT = new LuaScript(`
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'inactive:missing' end
if not string.find(',' .. ARGV[2] .. ',', ',' .. status .. ',', 1, true) then return 'inactive:' .. status end
local holder = redis.call('HGET', KEYS[1], 'inflight')
if holder == ARGV[1] then return 'acquired' end
if holder then return 'busy' end
if ARGV[3] ~= '' and tonumber(redis.call('HGET', KEYS[1], 'nextPollAt') or '0') > tonumber(ARGV[3]) then return 'early' end
redis.call('HSET', KEYS[1], 'inflight', ARGV[1])
return 'acquired'
`);

/**
 * Reads a record for a poll run and, when a token request is due by the record itself (pending,
 * not push, no saved approval, before the deadline, its next poll come, no marker), takes the
 * in-flight marker in the same step: one round trip instead of a read and an acquire. The same
 * conditions as the poll service's, which decides everything else from the record returned.
 * KEYS: record. ARGV: marker, now ms. Returns {'acquired' | 'read', the record's fields}; a
 * repeat after a lost reply finds its own marker and answers 'acquired' again.
 */
export const READ_FOR_POLL = new LuaScript(`
local h = redis.call('HGETALL', KEYS[1])
local f = {}
for i = 1, #h, 2 do f[h[i]] = h[i + 1] end
local now = tonumber(ARGV[2])
local due = f.status == 'pending' and f.deliveryMode ~= 'push' and not f.tokenResponse
  and tonumber(f.expiresAt) > now and tonumber(f.nextPollAt) <= now
if due and f.inflight == ARGV[1] then return {'acquired', h} end
if due and not f.inflight then
  redis.call('HSET', KEYS[1], 'inflight', ARGV[1])
  return {'acquired', h}
end
return {'read', h}
`);

/**
 * Claims a provider's due authentications for one worker. KEYS: due set. ARGV: now ms, lease end
 * ms, how many at most. The claimed members are re-scored to the lease's end: another worker
 * cannot claim them meanwhile, and a worker that dies leaves them due again when it runs out.
 * Returns the claimed ids, then the earliest score left (when to look again), or nothing.
 */
export const CLAIM_DUE = new LuaScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
if #ids > 0 then
  local leases = {}
  for i, id in ipairs(ids) do
    leases[2 * i - 1] = ARGV[2]
    leases[2 * i] = id
  end
  redis.call('ZADD', KEYS[1], unpack(leases))
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {ids, first[2] or false}
`);

/**
 * After a run: the member's next time, unless someone moved it since the claim (a ping, a
 * transition) to something sooner. KEYS: due set. ARGV: id, next ms, the lease end it was claimed
 * with. An authentication that ended (no member) stays gone.
 */
export const RESCHEDULE_DUE = new LuaScript(`
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current then return 0 end
if tonumber(current) == tonumber(ARGV[3]) or tonumber(ARGV[2]) < tonumber(current) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
`);

/** Drops the in-flight marker only if it is this one. KEYS: record. ARGV: marker. */
export const RELEASE_INFLIGHT = new LuaScript(
  `if redis.call('HGET', KEYS[1], 'inflight') == ARGV[1] then return redis.call('HDEL', KEYS[1], 'inflight') end return 0`,
);

/** Drops a reservation only if it still names this authentication. KEYS: pending lock. ARGV: id. */
export const RELEASE_PENDING = new LuaScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);
