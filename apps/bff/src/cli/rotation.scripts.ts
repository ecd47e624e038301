/**
 * Lua scripts of the key rotation. Each is one atomic step on one record's keys, so a BFF replica
 * writing at the same moment is either entirely before or entirely after it.
 */

/**
 * Compare-and-set of encrypted fields. KEYS: record. ARGV: triples of field, the envelope read,
 * its replacement. Returns, per triple, 1 (replaced) or 0 (the field changed meanwhile, or the
 * record is gone). Never creates the record: an HSET on a key that expired since the read would
 * bring back personal data without a TTL. HSET on an existing hash keeps its TTL.
 */
export const COMPARE_AND_SET_FIELDS = `
local replaced = {}
for i = 1, #ARGV, 3 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
    replaced[#replaced + 1] = 1
  else
    replaced[#replaced + 1] = 0
  end
end
return replaced
`;

/**
 * Copies a notification index entry to its name under the writing key. KEYS: the entry under a
 * former key, the entry under the writing key. ARGV: authentication id. Copies only an entry that
 * still names this authentication, with the time it has left, and never replaces one. Returns 1
 * when it copied.
 */
export const COPY_NOTIFICATION_ENTRY = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl, 'NX') then return 1 end
return 0
`;
