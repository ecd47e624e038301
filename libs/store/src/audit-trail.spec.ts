import { randomBytes } from 'node:crypto';
import type { Initiator } from '@ciba/ciba';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { AuditTrail, type AuditEvent, type AuditPage } from './audit-trail.js';
import { RedisKeys } from './redis-keys.js';

const event = (consumer: string, initiatedBy: Initiator | null, outcome = 'pending'): AuditEvent => ({
  time: new Date().toISOString(),
  event: 'ciba.start',
  consumer,
  provider: 'sandbox',
  authenticationId: randomBytes(4).toString('hex'),
  customer: '*******1111',
  outcome,
  source: '127.0.0.1',
  initiatedBy,
  requestId: 'req-1',
});

/** The audit stream against a real Redis: who started what (API.md §7), and a supervisor's filtered pages. */
describe('AuditTrail (real Redis)', () => {
  const db = useTestRedisClient();
  let keys: RedisKeys;
  let trail: AuditTrail;

  beforeEach(() => {
    keys = new RedisKeys(`${db.redis.prefix}${randomBytes(3).toString('hex')}`);
    trail = new AuditTrail(db.client, keys, 3_600_000);
  });

  /** Every item of every page, following `nextCursor`, and the pages' sizes. */
  async function readAll(query: { limit: number; consumer?: string }): Promise<{ items: AuditEvent[]; sizes: number[] }> {
    const items: AuditEvent[] = [];
    const sizes: number[] = [];
    let page: AuditPage = { items: [], nextCursor: null };
    do {
      page = await trail.read({ ...query, cursor: page.nextCursor ?? undefined });
      items.push(...page.items);
      sizes.push(page.items.length);
    } while (page.nextCursor);
    return { items, sizes };
  }

  it('keeps initiatedBy as written: an agent, a consumer, or null', async () => {
    const written = [
      event('portal', { type: 'agent', subject: 'agent-7', name: 'Nino Beridze' }),
      event('portal', { type: 'consumer', id: 'portal' }),
      event('portal', null),
    ];
    for (const entry of written) await trail.append(entry);
    expect((await trail.read({ limit: 10 })).items).toEqual(written);
  });

  it('reads an entry written before initiatedBy existed with initiatedBy null', async () => {
    // As the trail wrote it before: no initiatedBy field at all.
    await db.client.xadd(
      keys.audit(),
      '*',
      'time',
      new Date().toISOString(),
      'event',
      'ciba.start',
      'consumer',
      'portal',
      'outcome',
      'pending',
    );
    const [old] = (await trail.read({ limit: 1 })).items;
    expect(old).toMatchObject({ event: 'ciba.start', consumer: 'portal', initiatedBy: null, provider: null });
  });

  it('unfiltered pages are as before: `limit` events, and no cursor after the last one', async () => {
    for (let i = 0; i < 4; i += 1) await trail.append(event('portal', null, `e${i}`));
    expect(await readAll({ limit: 2 })).toMatchObject({ sizes: [2, 2] });
    expect((await trail.read({ limit: 4 })).nextCursor).toBeNull();
  });

  it("a consumer filter reads on past other consumers' events, page after page, to the same events in order", async () => {
    const written = Array.from({ length: 11 }, (_, i) => event(i % 3 === 0 ? 'portal' : 'other', null, `e${i}`));
    for (const entry of written) await trail.append(entry);
    const mine = written.filter((entry) => entry.consumer === 'portal');
    const { items, sizes } = await readAll({ limit: 2, consumer: 'portal' });
    expect(items).toEqual(mine);
    expect(sizes).toEqual([2, 2]);
    expect((await trail.read({ limit: 4, consumer: 'portal' })).nextCursor).toBeNull();
    expect(await trail.read({ limit: 5, consumer: 'nobody' })).toEqual({ items: [], nextCursor: null });
  });

  it('a filtered page that spent its scan budget is short, with a cursor that reads on to the rest', async () => {
    const pipeline = db.client.pipeline();
    const filler = event('busy', null);
    for (let i = 0; i < 10_250; i += 1) pipeline.xadd(keys.audit(), '*', 'time', filler.time, 'event', 'ciba.start', 'consumer', 'busy');
    await pipeline.exec();
    const rare = event('quiet', { type: 'consumer', id: 'quiet' });
    await trail.append(rare);

    const first = await trail.read({ limit: 10, consumer: 'quiet' });
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    expect(await readAll({ limit: 10, consumer: 'quiet' })).toEqual({ items: [rare], sizes: [0, 1] });
  });
});
