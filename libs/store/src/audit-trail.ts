import type { Initiator } from '@ciba/ciba';
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
  /** Who started the authentication, or who made the call (API.md §7); null when unknown (and in events written before it existed). */
  initiatedBy: Initiator | null;
  requestId?: string | null;
}

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export interface AuditQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  /** The last stream id the previous page examined. */
  cursor?: string;
  /** Only this consumer's events (a supervisor's view); every event when absent. */
  consumer?: string;
}

const FIELDS = [
  'time',
  'event',
  'consumer',
  'provider',
  'authenticationId',
  'customer',
  'outcome',
  'source',
  'initiatedBy',
  'requestId',
] as const;
/** Stored as JSON text (a stream holds strings only). */
const JSON_FIELDS: ReadonlySet<string> = new Set(['initiatedBy']);
/** Entries read per round trip of a filtered page. */
const FILTERED_BATCH = 500;
/**
 * Entries one filtered page examines at most: a consumer with few events in a busy trail gets
 * short pages (with a cursor) instead of one request that reads the whole stream.
 */
const SCAN_BUDGET = 10_000;

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
    return (writes) => void writes.add('XADD', ...this.xaddArguments(event));
  }

  private xaddArguments(event: AuditEvent): [string, 'MINID', '~', string, '*', ...string[]] {
    const fields = FIELDS.flatMap((name) => {
      const value = event[name] ?? '';
      return [name, typeof value === 'string' ? value : JSON.stringify(value)];
    });
    return [this.keys.audit(), 'MINID', '~', String(Date.now() - this.retentionMs), '*', ...fields];
  }

  /**
   * Events from `from` to `to` (epoch ms, inclusive), oldest first, after `cursor`: up to `limit`
   * of them, reading on past the events `consumer` filters out. `nextCursor` is the id of the last
   * event returned (or, when a filtered page spent its scan budget, of the last one examined: such
   * a page may be short, even empty); null when nothing more is there.
   */
  async read(query: AuditQuery): Promise<AuditPage> {
    const wanted = (event: AuditEvent) => query.consumer === undefined || event.consumer === query.consumer;
    const end = query.to !== undefined ? String(query.to) : '+';
    let start = query.cursor ? `(${query.cursor}` : query.from !== undefined ? String(query.from) : '-';
    // Unfiltered, one more than the page tells whether there is a next one.
    const batch = query.consumer === undefined ? query.limit + 1 : Math.max(FILTERED_BATCH, query.limit + 1);
    const items: AuditEvent[] = [];
    for (let examined = 0; ;) {
      const entries = await this.redis.xrange(this.keys.audit(), start, end, 'COUNT', batch);
      const events = entries.map(([id, values]) => ({ id, event: decodeEvent(values) }));
      for (const [index, { id, event }] of events.entries()) {
        if (!wanted(event)) continue;
        items.push(event);
        if (items.length < query.limit) continue;
        // A next page only if this batch holds another wanted event, or the stream goes on past it.
        const more =
          events.slice(index + 1).some((later) => wanted(later.event)) ||
          (entries.length === batch && (await this.hasAfter(events.at(-1)!.id, end)));
        return { items, nextCursor: more ? id : null };
      }
      if (entries.length < batch) return { items, nextCursor: null };
      examined += entries.length;
      const last = events.at(-1)!.id;
      if (examined >= SCAN_BUDGET) return { items, nextCursor: last };
      start = `(${last}`;
    }
  }

  private async hasAfter(id: string, end: string): Promise<boolean> {
    return (await this.redis.xrange(this.keys.audit(), `(${id}`, end, 'COUNT', 1)).length > 0;
  }
}

/** An entry's fields; one missing (an entry written before the field existed) or empty reads as null. */
function decodeEvent(values: string[]): AuditEvent {
  const stored: Record<string, string> = {};
  for (let i = 0; i < values.length; i += 2) stored[values[i]] = values[i + 1];
  const event: Record<string, unknown> = {};
  for (const name of FIELDS) {
    const text = stored[name];
    event[name] = text === undefined || text === '' ? null : JSON_FIELDS.has(name) ? JSON.parse(text) : text;
  }
  return event as unknown as AuditEvent;
}
