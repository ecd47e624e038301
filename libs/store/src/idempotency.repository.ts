import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/** What the first request with an `Idempotency-Key` left behind. */
export type IdempotencyEntry =
  | { state: 'in_progress'; fingerprint: string }
  | { state: 'created'; fingerprint: string; id: string }
  | { state: 'refused'; fingerprint: string; status: number; problem: Record<string, unknown> };

/** How long a finished key is remembered (a day, as payment APIs do). */
const KEEP_MS = 24 * 3600 * 1000;
/** An in-progress claim expires on its own if its request died before finishing. */
const CLAIM_MS = 60 * 1000;

/** `Idempotency-Key` handling, scoped per consumer; the key itself is stored only hashed. */
export class IdempotencyRepository {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  /** Claims the key for this request; returns the existing entry if another request had it first. */
  async claim(consumer: string, key: string, fingerprint: string): Promise<IdempotencyEntry | null> {
    const redisKey = this.redisKey(consumer, key);
    const entry: IdempotencyEntry = { state: 'in_progress', fingerprint };
    const ok = await this.redis.set(redisKey, JSON.stringify(entry), 'PX', CLAIM_MS, 'NX');
    if (ok) return null;
    const existing = await this.redis.get(redisKey);
    return existing ? (JSON.parse(existing) as IdempotencyEntry) : this.claim(consumer, key, fingerprint);
  }

  async finish(consumer: string, key: string, entry: Exclude<IdempotencyEntry, { state: 'in_progress' }>): Promise<void> {
    await this.redis.set(this.redisKey(consumer, key), JSON.stringify(entry), 'PX', KEEP_MS);
  }

  /** Forgets a claim whose request failed in a way that should not be replayed (e.g. our own outage). */
  async release(consumer: string, key: string): Promise<void> {
    await this.redis.del(this.redisKey(consumer, key));
  }

  async read(consumer: string, key: string): Promise<IdempotencyEntry | null> {
    const value = await this.redis.get(this.redisKey(consumer, key));
    return value ? (JSON.parse(value) as IdempotencyEntry) : null;
  }

  private redisKey(consumer: string, key: string): string {
    return this.keys.idempotency(consumer, createHash('sha256').update(key).digest('base64url'));
  }
}
