import { LuaScript } from './lua-script.js';

/**
 * Lua scripts: each change of an authentication is one atomic step that checks the status it
 * expects, writes, bumps the sequence, keeps the index and TTL right and publishes the event.
 */

/**
 * One change of an authentication. Its KEYS and ARGV are built by `transitionCall`
 * (`transition-call.ts`), the only place that knows their order; the script names them in its
 * first two lines, in that order. Returns {1, seq} or {0, reason}.
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
local record, dueSet, pendingLock, outbox = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, allowed, fence, setJson, delJson, visible, dueAt, expireAt, terminal, channel, toOutbox, now, change = unpack(ARGV)
local current = redis.call('HMGET', record, 'status', 'change', 'inflight', 'seq')
local status = current[1]
if not status then return {0, 'missing'} end
if current[2] == change then return {1, tonumber(current[4])} end
if not string.find(',' .. allowed .. ',', ',' .. status .. ',', 1, true) then return {0, 'status:' .. status} end
if fence ~= '' then
  local holder = current[3]
  if holder ~= fence and (holder or redis.call('HEXISTS', record, 'tokenResponse') == 1) then return {0, 'fenced'} end
end
local seq = tonumber(current[4]) or 0
if visible == '1' then seq = seq + 1 end
local fields = {'change', change, 'seq', seq}
for field, value in pairs(cjson.decode(setJson)) do
  fields[#fields + 1] = field
  fields[#fields + 1] = value
end
redis.call('HSET', record, unpack(fields))
local del = cjson.decode(delJson)
if #del > 0 then redis.call('HDEL', record, unpack(del)) end
if dueAt == '' then redis.call('ZREM', dueSet, id) else redis.call('ZADD', dueSet, dueAt, id) end
redis.call('PEXPIREAT', record, expireAt)
if terminal == '1' and redis.call('GET', pendingLock) == id then redis.call('DEL', pendingLock) end
if toOutbox == '1' then redis.call('ZADD', outbox, now, id) end
if visible == '1' then redis.call('PUBLISH', channel, seq) end
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
 * Claims a provider's due authentications for one worker. KEYS: due set, the claim's key. ARGV:
 * now ms, lease end, how many at most, how long the claim's key lives (ms). The claimed members
 * are re-scored to the lease's end: another worker cannot claim them meanwhile, and a worker that
 * dies leaves them due again when it runs out. Returns the claimed ids, then the earliest score
 * left (when to look again), or nothing.
 *
 * Idempotent for a while: the ids are kept under the claim's key, and a repeat (ioredis sends a
 * call again whose reply a reset lost; the loop tries again under the same key) takes the same
 * ones, leased anew, instead of leaving them to wait out a lease nobody knows it holds.
 */
export const CLAIM_DUE = new LuaScript(`
local dueSet, claimKey = KEYS[1], KEYS[2]
local ids
local taken = redis.call('GET', claimKey)
if taken then
  ids = {}
  for id in string.gmatch(taken, '%S+') do
    -- An authentication that ended meanwhile has no member any more: it is not taken again.
    if redis.call('ZSCORE', dueSet, id) then
      redis.call('ZADD', dueSet, ARGV[2], id)
      ids[#ids + 1] = id
    end
  end
else
  ids = redis.call('ZRANGEBYSCORE', dueSet, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
  if #ids > 0 then
    local leases = {}
    for i, id in ipairs(ids) do
      leases[2 * i - 1] = ARGV[2]
      leases[2 * i] = id
    end
    redis.call('ZADD', dueSet, unpack(leases))
    redis.call('SET', claimKey, table.concat(ids, ' '), 'PX', ARGV[4])
  end
end
local first = redis.call('ZRANGE', dueSet, 0, 0, 'WITHSCORES')
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

/**
 * A new authentication and everything written with it, once. KEYS: its record first, then every
 * other key written (all under the hash tag, so one slot); ARGV: the writes as `WriteList`
 * records them (per command its word count, then the command and its arguments). Returns 1 when
 * written, 0 when the record already exists: nothing is written then.
 *
 * Idempotent, so a create whose reply was lost (a connection reset after Redis ran it) can be
 * sent again, by ioredis or by the start, without a second audit event or a record written over
 * after a worker has moved it on. A Redis out of memory refuses the first write, before anything
 * is written.
 */
export const CREATE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local i = 1
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + n))
  i = i + n + 1
end
return 1
`);
