import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';
import type { TransactionWrite } from './transaction-write.js';

/** One audit event (API.md §6). Customers appear masked only. */
export interface AuditEvent {
  time: string;
  event: string;
  consumer: string | null;
  provider: string | null;
  authenticationId: string | null;
  customer: string | null;
  outcome: string | null;
  source: string | null;
  requestId?: string | null;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

const FIELDS = ['time', 'event', 'consumer', 'provider', 'authenticationId', 'customer', 'outcome', 'source', 'requestId'] as const;

/**
 * The append-only audit trail: a Redis stream, written with XADD only (never updated), trimmed by
 * age (MINID) so it keeps `retentionMs` of history. Stream ids are time-ordered, so a time range
 * is an id range and the cursor is the last id read.
 */
export class AuditTrail {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    await this.redis.xadd(...this.xaddArguments(event));
  }

  /** Appends `event` inside another write's transaction (stored with it, or not at all). */
  appendIn(event: AuditEvent): TransactionWrite {
    return (transaction: ChainableCommander) => transaction.xadd(...this.xaddArguments(event));
  }

  private xaddArguments(event: AuditEvent): [string, 'MINID', '~', string, '*', ...string[]] {
    const fields = FIELDS.flatMap((name) => [name, event[name] ?? '']);
    return [this.keys.audit(), 'MINID', '~', String(Date.now() - this.retentionMs), '*', ...fields];
  }

  /** Events from `from` to `to` (epoch ms, inclusive), oldest first, after `cursor`. */
  async read(query: { from?: number; to?: number; limit: number; cursor?: string }): Promise<AuditPage> {
    const start = query.cursor ? `(${query.cursor}` : query.from !== undefined ? String(query.from) : '-';
    const end = query.to !== undefined ? String(query.to) : '+';
    const entries = await this.redis.xrange(this.keys.audit(), start, end, 'COUNT', query.limit + 1);
    const page = entries.slice(0, query.limit);
    const items = page.map(([, values]) => {
      const record: Record<string, string | null> = {};
      for (let i = 0; i < values.length; i += 2) record[values[i]] = values[i + 1] === '' ? null : values[i + 1];
      return record as unknown as AuditEvent;
    });
    return { items, nextCursor: entries.length > query.limit ? page.at(-1)![0] : null };
  }
}
