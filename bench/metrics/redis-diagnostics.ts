import type { Redis } from 'ioredis';

export interface CommandStat {
  command: string;
  calls: number;
  /** Microseconds inside redis-server per call. */
  usecPerCall: number;
}

export interface KeyGroup {
  /** The key with ids, hashes and numbers replaced by placeholders. */
  pattern: string;
  keys: number;
  /** Estimated bytes of all keys of the group (MEMORY USAGE of a sample, scaled up). */
  bytes: number;
}

/** `CONFIG RESETSTAT`: command statistics count from now on. */
export async function resetCommandStats(redis: Redis): Promise<void> {
  await redis.config('RESETSTAT');
}

/** `INFO commandstats`, busiest first. */
export async function commandStats(redis: Redis): Promise<CommandStat[]> {
  const info = await redis.info('commandstats');
  const stats: CommandStat[] = [];
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/gm)) {
    stats.push({ command: match[1], calls: Number(match[2]), usecPerCall: Number(match[4]) });
  }
  return stats.sort((a, b) => b.calls * b.usecPerCall - a.calls * a.usecPerCall);
}

const SAMPLE_PER_GROUP = 50;

/** Groups ids of ours (26-character base32), BullMQ job ids, keyed hashes and numbers. */
export const keyPattern = (key: string): string =>
  key
    .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
    .replace(/[A-Za-z0-9_-]{32,}/g, '<hash>')
    .replace(/\b\d+\b/g, '<n>');

/**
 * What the keys in Redis are, by kind: SCAN everything, MEMORY USAGE (all elements) of up to 50
 * keys per kind, scaled to the kind's key count. What used_memory holds beyond the keys
 * (subscriptions of waiting clients, connection buffers) is the difference.
 */
export async function keyBreakdown(redis: Redis): Promise<KeyGroup[]> {
  const groups = new Map<string, string[]>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const pattern = keyPattern(key);
      const list = groups.get(pattern) ?? [];
      list.push(key);
      groups.set(pattern, list);
    }
  } while (cursor !== '0');
  const result: KeyGroup[] = [];
  for (const [pattern, keys] of groups) {
    const sample = keys.slice(0, SAMPLE_PER_GROUP);
    const sizes = await Promise.all(sample.map((key) => redis.memory('USAGE', key, 'SAMPLES', 0)));
    const sampled = sizes.reduce<number>((total, size) => total + (Number(size) || 0), 0);
    result.push({ pattern, keys: keys.length, bytes: Math.round((sampled / sample.length) * keys.length) });
  }
  return result.sort((a, b) => b.bytes - a.bytes);
}
