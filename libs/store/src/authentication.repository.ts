import {
  ACTIVE_STATUSES,
  VIEW_FIELDS,
  VISIBLE_FIELDS,
  isTerminal,
  type Authentication,
  type AuthenticationChange,
  type AuthenticationStatus,
  type AuthenticationView,
} from '@ciba/ciba';
import type { RedisConnection } from './redis-clients.js';
import { decodeRecord, decodeView, encodeFields } from './authentication.codec.js';
import {
  ACQUIRE_INFLIGHT,
  CLAIM_DUE,
  CREATE,
  READ_FOR_POLL,
  RELEASE_INFLIGHT,
  RELEASE_PENDING,
  RESCHEDULE_DUE,
  TRANSITION,
} from './authentication.scripts.js';
import type { FieldCipher } from './field-cipher.js';
import type { RedisKeys } from './redis-keys.js';
import { pooledRandomBytes } from './random-pool.js';
import { WriteList, type TransactionWrite } from './transaction-write.js';
import { transitionCall } from './transition-call.js';

/** A change the domain decided (authentication-lifecycle.ts), as the store applies it. */
export interface TransitionChange extends AuthenticationChange {
  /**
   * Names this change, so that sending it again (a retry after a lost reply) is recognised as
   * the same change. Default: a fresh id per call.
   */
  changeId?: string;
}

/**
 * A lease's score in a due set: half a millisecond before its end, so it is due again at
 * `leaseUntil` as before, and told apart from planned polls (whole milliseconds) by its fraction.
 */
export const leaseScore = (leaseUntil: number): number => Math.floor(leaseUntil) - 0.5;

/**
 * A fresh change id (for a caller that will retry one change several times). One per stored poll
 * answer: cut from the CSPRNG pool, as a draw of its own cost a trip into OpenSSL per poll.
 */
export const newChangeId = (): string => pooledRandomBytes(12).toString('base64url');

/** A claim's own name: a repeat under it takes what the first one took (CLAIM_DUE). */
export const newClaimToken = (): string => pooledRandomBytes(9).toString('base64url');
/**
 * How long a claim remembers what it took. A repeat comes within a reconnect (at most a second
 * apart) or the loop's next try; past this, its authentications wait for their lease as before.
 * Short, as each claim that took something leaves a key this long.
 */
const CLAIM_MEMORY_MS = 5000;

export type TransitionResult = { applied: true; seq: number } | { applied: false; reason: string };
export type InflightResult = 'acquired' | 'busy' | 'early' | 'inactive';

/** What one claim took: the ids, and when the next member falls due (epoch ms), if any. */
export interface Claim {
  ids: string[];
  nextDueAt: number | null;
}

/** What is written together with a new authentication, in its one transaction. */
export interface CreateOptions {
  /** Ping and push: a keyed hash of its auth_req_id, under which the notification endpoint finds it. */
  notificationKey?: string;
  /** Extends the record's pending reservation (taken at admission) to the record's expiry. */
  confirmReservation?: boolean;
  /** Another store's write that must happen with the record or not at all (its audit event). */
  alsoWrite?: TransactionWrite;
}

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
   * Stores a new authentication (sequence 1) and indexes it for its first run, with what
   * `options` adds, in one script (`CREATE`): one round trip, all of it or (Redis refusing, out
   * of memory) none of it, and once only. `existed` answers a repeat whose first run was stored
   * (its reply lost on the wire): the record is left as it is.
   */
  async create(record: Authentication, options: CreateOptions = {}): Promise<'created' | 'existed'> {
    const { set } = encodeFields(record.id, record, this.cipher);
    const recordKey = this.keys.authentication(record.id);
    // The record's write comes first: its key is the script's KEYS[1], the one CREATE checks.
    const writes = new WriteList()
      .add('HSET', recordKey, ...Object.entries(set).flat())
      .add('PEXPIREAT', recordKey, record.expiresAt + this.retentionMs)
      .add('ZADD', this.keys.due(record.provider), Math.min(record.nextPollAt, record.expiresAt), record.id)
      .add('PUBLISH', this.keys.events(record.id), String(record.seq));
    if (options.notificationKey)
      writes.add(
        'SET',
        this.keys.notification(record.provider, options.notificationKey),
        record.id,
        'PXAT',
        record.expiresAt + this.retentionMs,
      );
    // As confirmPending: pending until the provider's deadline, not only the admission's minute.
    if (options.confirmReservation)
      writes.add('SET', this.keys.pendingLock(record.consumer, record.provider, record.customerKey), record.id, 'PXAT', record.expiresAt);
    options.alsoWrite?.(writes);
    const written = await CREATE.run(this.redis, writes.keys.length, ...writes.keys, ...writes.words);
    return written === 1 ? 'created' : 'existed';
  }

  /** The authentication a notification names, if any. */
  async findByNotification(provider: string, notificationKey: string): Promise<string | null> {
    return this.redis.get(this.keys.notification(provider, notificationKey));
  }

  async get(id: string): Promise<Authentication | null> {
    const hash = await this.redis.hgetall(this.keys.authentication(id));
    return hash.id ? decodeRecord(hash, this.cipher) : null;
  }

  /** What a status read needs (`VIEW_FIELDS`), in one round trip, decrypting only the result. */
  async view(id: string): Promise<AuthenticationView | null> {
    return decodeView(await this.redis.hmget(this.keys.authentication(id), ...VIEW_FIELDS), this.cipher);
  }

  /**
   * The record for a poll run, with the in-flight marker taken when a token request is due by the
   * record itself (see READ_FOR_POLL): one round trip for the common run.
   */
  async readForPoll(id: string, marker: string, now: number): Promise<{ record: Authentication | null; acquired: boolean }> {
    const [verdict, fields] = (await READ_FOR_POLL.run(this.redis, 1, this.keys.authentication(id), marker, now)) as [string, string[]];
    const hash: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) hash[fields[i]] = fields[i + 1];
    return { record: hash.id ? decodeRecord(hash, this.cipher) : null, acquired: verdict === 'acquired' };
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
    const call = transitionCall(
      {
        record: this.keys.authentication(record.id),
        dueSet: this.keys.due(record.provider),
        pendingLock: this.keys.pendingLock(record.consumer, record.provider, record.customerKey),
        webhookOutbox: this.keys.webhookOutbox(),
      },
      {
        id: record.id,
        allowedStatuses: change.from,
        fence: change.fence ?? null,
        set,
        del,
        visible,
        dueAt: terminal ? null : Math.min(change.nextRunAt ?? record.nextPollAt, expiresAt),
        expireAt: (terminal ? now : expiresAt) + this.retentionMs,
        terminal,
        eventsChannel: this.keys.events(record.id),
        recordInOutbox: Boolean(ending && record.callbackUrl),
        now,
        changeId: change.changeId ?? newChangeId(),
      },
    );
    const reply = (await TRANSITION.run(this.redis, call.numKeys, ...call.values)) as [number, number | string];
    if (reply[0] !== 1) return { applied: false, reason: String(reply[1]) };
    if (ending) this.observer?.finished(record, status, change.set);
    return { applied: true, seq: Number(reply[1]) };
  }

  /**
   * Takes the in-flight marker of an active authentication before a token request; with `now`,
   * only if its next poll has come (so two runs never poll one after the other too soon).
   */
  async acquireInflight(id: string, marker: string, now?: number): Promise<InflightResult> {
    const reply = String(
      await ACQUIRE_INFLIGHT.run(this.redis, 1, this.keys.authentication(id), marker, ACTIVE_STATUSES.join(','), now ?? ''),
    );
    return reply.startsWith('inactive') ? 'inactive' : (reply as InflightResult);
  }

  /** Gives back a marker that no token request went out with. */
  async releaseInflight(id: string, marker: string): Promise<void> {
    await RELEASE_INFLIGHT.run(this.redis, 1, this.keys.authentication(id), marker);
  }

  /** Finished authentications whose webhook job may not exist yet, oldest first. */
  /**
   * Claims up to `limit` of a provider's due authentications until `leaseUntil` (see CLAIM_DUE).
   * A lease's score is `leaseScore(leaseUntil)`, the only scores that are not whole milliseconds:
   * that is how `Counters.leased` tells a lease from a planned poll. A claim tried again under the
   * same `token` (its reply lost) takes what the first one took, for `CLAIM_MEMORY_MS`.
   */
  async claimDue(provider: string, now: number, leaseUntil: number, limit: number, token = newClaimToken()): Promise<Claim> {
    const keys = [this.keys.due(provider), this.keys.claim(token)];
    const reply = await CLAIM_DUE.run(this.redis, 2, ...keys, now, leaseScore(leaseUntil), limit, CLAIM_MEMORY_MS);
    const [ids, first] = reply as [string[], string | null];
    return { ids, nextDueAt: first === null ? null : Number(first) };
  }

  /** Sets a claimed authentication's next run unless it was moved sooner meanwhile (see RESCHEDULE_DUE). */
  async rescheduleClaimed(provider: string, id: string, next: number, leaseUntil: number): Promise<void> {
    await RESCHEDULE_DUE.run(this.redis, 1, this.keys.due(provider), id, next, leaseScore(leaseUntil));
  }

  /** Brings an active authentication's next run forward to `at` (a ping); never later, never back to life. */
  async dueNoLaterThan(provider: string, id: string, at: number): Promise<void> {
    await this.redis.zadd(this.keys.due(provider), 'XX', 'LT', at, id);
  }

  /**
   * Moves the active authentications of a deployment from before the due sets into them (once, on
   * upgrade; idempotent). Returns how many moved.
   */
  async migrateLegacyActive(batch = 500): Promise<number> {
    let moved = 0;
    for (;;) {
      const entries = await this.redis.zrange(this.keys.legacyActive(), 0, batch - 1, 'WITHSCORES');
      if (entries.length === 0) return moved;
      for (let i = 0; i < entries.length; i += 2) {
        const [id, score] = [entries[i], entries[i + 1]];
        const provider = await this.redis.hget(this.keys.authentication(id), 'provider');
        if (provider) await this.redis.zadd(this.keys.due(provider), 'NX', score, id);
        await this.redis.zrem(this.keys.legacyActive(), id);
        moved += provider ? 1 : 0;
      }
    }
  }

  /**
   * Extends or drops a reservation (after the provider answered). The reservation itself is taken
   * at admission (AdmissionRepository), and a start confirms it in its `create`.
   */
  async confirmPending(consumer: string, provider: string, customerKey: string, id: string, untilMs: number): Promise<void> {
    await this.redis.set(this.keys.pendingLock(consumer, provider, customerKey), id, 'PXAT', untilMs);
  }

  async releasePending(consumer: string, provider: string, customerKey: string, id: string): Promise<void> {
    const key = this.keys.pendingLock(consumer, provider, customerKey);
    await RELEASE_PENDING.run(this.redis, 1, key, id);
  }
}
