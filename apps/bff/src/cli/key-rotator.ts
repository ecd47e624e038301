import { isTerminal, type AuthenticationStatus } from '@ciba/ciba';
import { FieldCipher, type RedisKeys } from '@ciba/store';
import type { Redis } from 'ioredis';
import { notificationKey } from '../notifications/notification-token.js';
import { ENCRYPTED_FIELDS } from './encrypted-fields.js';
import { planRecord } from './record-plan.js';
import type { RotationKeyrings } from './rotation-keyrings.js';
import { COMPARE_AND_SET_FIELDS, COPY_NOTIFICATION_ENTRY } from './rotation.scripts.js';
import { RotationTally, type RotationSummary } from './rotation-tally.js';

export interface RotationResult {
  summary: RotationSummary;
  /** Why each failed record failed (field and cause, never a value), for stderr. */
  failures: ReadonlyMap<string, string>;
}

/** Besides the encrypted fields: what decides whether a notification index entry must follow. */
const READ_FIELDS = [...ENCRYPTED_FIELDS, 'provider', 'status', 'notificationTokenHash'] as const;
type ReadField = (typeof READ_FIELDS)[number];
type StoredRecord = { id: string; values: Record<ReadField, string | null> };

/** A record whose field changed between our read and our write is read again, this many times in all. */
const MAX_ATTEMPTS = 3;

export interface KeyRotatorOptions extends RotationKeyrings {
  redis: Redis;
  keys: RedisKeys;
  /** SCAN COUNT, and so the size of each read and write pipeline. */
  batchSize?: number;
  /** Test seam: runs after a batch is read, before it is written back. */
  beforeWrite?: (ids: readonly string[]) => Promise<void>;
}

/**
 * Re-encrypts every authentication field that is not under the writing key, without ever
 * replacing a value a BFF replica wrote meanwhile (compare-and-set on the envelope read), and
 * copies ping/push notification index entries to their name under the writing key.
 */
export class KeyRotator {
  private readonly cipher: FieldCipher;
  private readonly batchSize: number;

  constructor(private readonly options: KeyRotatorOptions) {
    this.cipher = new FieldCipher(options.keyring);
    this.batchSize = options.batchSize ?? 500;
  }

  async run(): Promise<RotationResult> {
    const { redis, keys, keyring, formerKeys } = this.options;
    const tally = new RotationTally(
      keyring.writeKid,
      formerKeys.map((former) => former.writeKid),
    );
    const base = keys.authentication('');
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', this.batchSize, 'TYPE', 'hash');
      cursor = next;
      if (found.length > 0)
        await this.rotateBatch(
          found.map((key) => key.slice(base.length)),
          tally,
        );
    } while (cursor !== '0');
    return { summary: tally.summary(), failures: tally.failures() };
  }

  private async rotateBatch(ids: string[], tally: RotationTally): Promise<void> {
    let pending = ids;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const records = await this.read(pending);
      if (attempt === 1) tally.scanned += records.length;
      await this.options.beforeWrite?.(records.map((record) => record.id));
      const changed = await this.write(records, tally);
      if (attempt === MAX_ATTEMPTS) {
        for (const id of changed) tally.fail(id, `changed by another writer during ${MAX_ATTEMPTS} attempts`);
        return;
      }
      pending = changed;
    }
  }

  /** The fields we need of each record; a record that expired since SCAN is left out. */
  private async read(ids: string[]): Promise<StoredRecord[]> {
    const pipeline = this.options.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.options.keys.authentication(id), ...READ_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, index) => {
      const [error, fields] = replies[index] as [Error | null, (string | null)[] | null];
      if (error) throw error;
      if (!fields || fields.every((value) => value === null)) return [];
      return [{ id, values: Object.fromEntries(READ_FIELDS.map((name, i) => [name, fields[i]])) as StoredRecord['values'] }];
    });
  }

  /** Writes a batch back in one pipeline; returns the ids whose fields changed meanwhile. */
  private async write(records: StoredRecord[], tally: RotationTally): Promise<string[]> {
    const pipeline = this.options.redis.pipeline();
    const sent: { id: string; kind: 'fields' | 'index' }[] = [];
    for (const record of records) {
      const plan = planRecord(record.id, record.values, this.options.keyring, this.cipher);
      if (plan.kind === 'skip') tally.skip(record.id, plan.unknownKids);
      if (plan.kind === 'fail') tally.fail(record.id, plan.reason);
      if (plan.kind !== 'rotate') continue;
      let entries: [string, string][];
      try {
        entries = this.notificationEntries(record);
      } catch (error) {
        tally.fail(record.id, `authReqId: ${(error as Error).message}`);
        continue;
      }
      if (plan.changes.length > 0) {
        const triples = plan.changes.flatMap((change) => [change.field, change.from, change.to]);
        pipeline.eval(COMPARE_AND_SET_FIELDS, 1, this.options.keys.authentication(record.id), ...triples);
        sent.push({ id: record.id, kind: 'fields' });
      }
      for (const [from, to] of entries) {
        pipeline.eval(COPY_NOTIFICATION_ENTRY, 2, from, to, record.id);
        sent.push({ id: record.id, kind: 'index' });
      }
    }
    if (sent.length === 0) return [];
    const replies = (await pipeline.exec()) ?? [];
    const changed = new Set<string>();
    sent.forEach(({ id, kind }, index) => {
      const [error, reply] = replies[index];
      if (error) return tally.fail(id, `Redis refused the write: ${error.message}`);
      if (kind === 'index') {
        if (reply === 1) tally.notificationsReindexed += 1;
        return;
      }
      for (const replaced of reply as number[]) {
        if (replaced === 1) tally.rotatedField(id);
        else changed.add(id);
      }
    });
    return [...changed];
  }

  /**
   * Ping and push notifications find their authentication by an HMAC of the auth_req_id keyed by
   * the WRITING key (notification-token.ts): after a new key writes, entries made under a former
   * key are no longer found and a push result would be refused. Each active record's entry is
   * copied to its new name (the old one stays, for replicas not yet restarted, and expires).
   */
  private notificationEntries(record: StoredRecord): [string, string][] {
    const { provider, status, notificationTokenHash, authReqId } = record.values;
    if (!provider || !status || !notificationTokenHash || !authReqId) return [];
    if (isTerminal(status as AuthenticationStatus)) return [];
    const { keys, keyring, formerKeys } = this.options;
    const plain = this.cipher.decrypt(authReqId, record.id, 'authReqId');
    const to = keys.notification(provider, notificationKey(keyring, provider, plain));
    return formerKeys.map((former) => [keys.notification(provider, notificationKey(former, provider, plain)), to]);
  }
}
