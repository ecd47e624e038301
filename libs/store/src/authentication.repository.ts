import { randomBytes } from 'node:crypto';
import { ACTIVE_STATUSES, VISIBLE_FIELDS, isTerminal, type Authentication, type AuthenticationStatus } from '@ciba/ciba';
import type { RedisConnection } from './redis-clients.js';
import { decodeRecord, encodeFields } from './authentication.codec.js';
import { ACQUIRE_INFLIGHT, RELEASE_INFLIGHT, RELEASE_PENDING, TRANSITION } from './authentication.scripts.js';
import type { FieldCipher } from './field-cipher.js';
import type { RedisKeys } from './redis-keys.js';

export interface TransitionChange {
  /** The statuses the record must be in for the change to apply. */
  from: readonly AuthenticationStatus[];
  set: Partial<Authentication>;
  /** Apply only while this in-flight marker is held. */
  fence?: string;
  /** When the poll job should next run; ignored for terminal statuses. */
  nextRunAt?: number;
  /**
   * Names this change, so that sending it again (a retry after a lost reply) is recognised as
   * the same change. Default: a fresh id per call.
   */
  changeId?: string;
}

/** A fresh change id (for a caller that will retry one change several times). */
export const newChangeId = (): string => randomBytes(12).toString('base64url');

export type TransitionResult = { applied: true; seq: number } | { applied: false; reason: string };
export type InflightResult = 'acquired' | 'busy' | 'inactive';

/** Told of every change that ended an authentication (metrics, audit): the one place it happens. */
export interface TransitionObserver {
  finished(record: Authentication, status: AuthenticationStatus, set: Partial<Authentication>): void;
}

/** Authentications in Redis: one hash each, with a TTL, an index of active ones, and events. */
export class AuthenticationRepository {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly cipher: FieldCipher,
    private readonly retentionMs: number,
    private readonly observer?: TransitionObserver,
  ) {}

  /**
   * Stores a new authentication (sequence 1) and indexes it for its first run; in ping and push
   * mode also under `notificationKey` (a keyed hash of its auth_req_id) for the notification endpoint.
   */
  async create(record: Authentication, notificationKey?: string): Promise<void> {
    const { set } = encodeFields(record.id, record, this.cipher);
    const multi = this.redis.multi();
    if (notificationKey)
      multi.set(this.keys.notification(record.provider, notificationKey), record.id, 'PXAT', record.expiresAt + this.retentionMs);
    await multi
      .hset(this.keys.authentication(record.id), set)
      .pexpireat(this.keys.authentication(record.id), record.expiresAt + this.retentionMs)
      .zadd(this.keys.active(), Math.min(record.nextPollAt, record.expiresAt), record.id)
      .publish(this.keys.events(record.id), String(record.seq))
      .exec();
  }

  /** The authentication a notification names, if any. */
  async findByNotification(provider: string, notificationKey: string): Promise<string | null> {
    return this.redis.get(this.keys.notification(provider, notificationKey));
  }

  async get(id: string): Promise<Authentication | null> {
    const hash = await this.redis.hgetall(this.keys.authentication(id));
    return hash.id ? decodeRecord(hash, this.cipher) : null;
  }

  /** Applies a change atomically if the record is still in one of `from` (and holds `fence`). */
  async transition(record: Authentication, change: TransitionChange, now = Date.now()): Promise<TransitionResult> {
    const status = change.set.status ?? record.status;
    const terminal = isTerminal(status);
    // Only the step into a terminal status ends the authentication (a later webhook update does not).
    const ending = terminal && !isTerminal(record.status);
    const { set, del } = encodeFields(record.id, change.set, this.cipher);
    const visible =
      terminal ||
      VISIBLE_FIELDS.some((field) => field in change.set && JSON.stringify(change.set[field]) !== JSON.stringify(record[field]));
    const expiresAt = change.set.expiresAt ?? record.expiresAt;
    const reply = (await TRANSITION.run(
      this.redis,
      4,
      this.keys.authentication(record.id),
      this.keys.active(),
      this.keys.pendingLock(record.consumer, record.provider, record.customerKey),
      this.keys.webhookOutbox(),
      record.id,
      change.from.join(','),
      change.fence ?? '',
      JSON.stringify(set),
      JSON.stringify(del),
      visible ? '1' : '0',
      terminal ? '' : String(Math.min(change.nextRunAt ?? record.nextPollAt, expiresAt)),
      String((terminal ? now : expiresAt) + this.retentionMs),
      terminal ? '1' : '0',
      this.keys.events(record.id),
      ending && record.callbackUrl ? '1' : '0',
      String(now),
      change.changeId ?? newChangeId(),
    )) as [number, number | string];
    if (reply[0] !== 1) return { applied: false, reason: String(reply[1]) };
    if (ending) this.observer?.finished(record, status, change.set);
    return { applied: true, seq: Number(reply[1]) };
  }

  /** Takes the in-flight marker of an active authentication before a token request. */
  async acquireInflight(id: string, marker: string): Promise<InflightResult> {
    const reply = String(await ACQUIRE_INFLIGHT.run(this.redis, 1, this.keys.authentication(id), marker, ACTIVE_STATUSES.join(',')));
    return reply.startsWith('inactive') ? 'inactive' : (reply as InflightResult);
  }

  /** Gives back a marker that no token request went out with. */
  async releaseInflight(id: string, marker: string): Promise<void> {
    await RELEASE_INFLIGHT.run(this.redis, 1, this.keys.authentication(id), marker);
  }

  /** Finished authentications whose webhook job may not exist yet, oldest first. */
  async webhookOutbox(limit = 500): Promise<string[]> {
    return this.redis.zrange(this.keys.webhookOutbox(), 0, limit - 1);
  }

  async clearWebhookOutbox(id: string): Promise<void> {
    await this.redis.zrem(this.keys.webhookOutbox(), id);
  }

  /** Active authentications whose job should have run by `before` (for the reconciler). */
  async overdue(before: number, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.active(), 0, before, 'LIMIT', 0, limit);
  }

  /** Reserves "one pending authentication per consumer, provider and customer". */
  async reservePending(consumer: string, provider: string, customerKey: string, id: string, ttlMs: number): Promise<string | null> {
    const key = this.keys.pendingLock(consumer, provider, customerKey);
    const ok = await this.redis.set(key, id, 'PX', ttlMs, 'NX');
    return ok ? null : this.redis.get(key);
  }

  /** Extends or drops a reservation (after the provider answered). */
  async confirmPending(consumer: string, provider: string, customerKey: string, id: string, untilMs: number): Promise<void> {
    await this.redis.set(this.keys.pendingLock(consumer, provider, customerKey), id, 'PXAT', untilMs);
  }

  async releasePending(consumer: string, provider: string, customerKey: string, id: string): Promise<void> {
    const key = this.keys.pendingLock(consumer, provider, customerKey);
    await RELEASE_PENDING.run(this.redis, 1, key, id);
  }
}
