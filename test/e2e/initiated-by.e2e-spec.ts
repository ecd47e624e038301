import { RedisKeys } from '@ciba/store';
import { Redis } from 'ioredis';
import { startStack, type Stack } from '../support/bff-stack.js';
import { readSse, type SseEvent } from '../support/sse-reader.js';

/**
 * Who started an authentication (API.md §7), as a Bearer consumer sees it: on the status
 * document of every route, in every SSE event and in every audit event. (Agents, who sign in to
 * the console, are covered in agent-visibility.e2e-spec.ts.)
 */
describe('initiatedBy for Bearer callers', () => {
  let stack: Stack;
  const byPortal = { type: 'consumer', id: 'portal' };

  beforeAll(async () => {
    stack = await startStack({ configure: (tree) => (tree.consumers.portal.admin = true) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is on the status document of start, read, long-poll, the event stream and cancel, and in the audit events', async () => {
    const since = new Date().toISOString();
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    expect(start.status).toBe(201);
    expect(start.body!.initiatedBy).toEqual(byPortal);
    const id = start.body!.id as string;
    expect((await stack.portal.get(id)).body!.initiatedBy).toEqual(byPortal);
    expect((await stack.portal.get(id, '?wait=1')).body!.initiatedBy).toEqual(byPortal);

    const events: SseEvent[] = [];
    const stream = await readSse(`${stack.bff!.url}${start.body!.eventsUrl}`, {}, (event) => events.push(event));
    expect(stream.status).toBe(200);
    const cancelled = await stack.portal.cancel(id);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', initiatedBy: byPortal });
    await stream.ended;
    const documents = events.map((event) => JSON.parse(event.data!) as Record<string, unknown>);
    expect(documents.map((document) => document.initiatedBy)).toEqual(documents.map(() => byPortal));
    expect(JSON.parse(events.at(-1)!.data!).status).toBe('cancelled');

    const audit = await stack.portal.request('GET', `/v1/audit?from=${encodeURIComponent(since)}&limit=500`);
    const mine = (audit.body!.items as Record<string, unknown>[]).filter((item) => item.authenticationId === id);
    expect(mine.map((item) => [item.event, item.initiatedBy])).toEqual([
      ['ciba.start', byPortal],
      ['ciba.finished', byPortal],
      ['ciba.cancel', byPortal],
    ]);
  });

  it("an audit event without an authentication carries the caller's initiator", async () => {
    const since = new Date().toISOString();
    expect((await stack.other.start({ provider: 'sandbox', loginHint: 'nobody-known' })).status).toBe(422);
    const audit = await stack.portal.request('GET', `/v1/audit?from=${encodeURIComponent(since)}&limit=500`);
    expect(audit.body!.items).toContainEqual(
      expect.objectContaining({
        event: 'ciba.start',
        outcome: 'customer_unknown',
        authenticationId: null,
        initiatedBy: { type: 'consumer', id: 'other' },
      }),
    );
  });

  it('a record its consumer started stores no initiatedBy, as records written before it existed, and answers as started by its consumer (no migration)', async () => {
    const start = await stack.other.start({ provider: 'sandbox', loginHint: 'bob' });
    const id = start.body!.id as string;
    const redis = new Redis(stack.redis.url);
    try {
      expect(await redis.hexists(new RedisKeys(stack.config.storage.keyPrefix).authentication(id), 'initiatedBy')).toBe(0);
    } finally {
      redis.disconnect();
    }
    expect((await stack.other.get(id)).body!.initiatedBy).toEqual({ type: 'consumer', id: 'other' });
    expect((await stack.other.cancel(id)).body).toMatchObject({ status: 'cancelled', initiatedBy: { type: 'consumer', id: 'other' } });
  });
});
