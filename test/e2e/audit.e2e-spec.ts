import { startStack, type Stack } from '../support/bff-stack.js';

/** The audit trail: every start, cancel and outcome, readable by admin consumers only. */
describe('audit trail', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ configure: (tree) => (tree.consumers.portal.admin = true) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('records starts, cancels and outcomes with masked customers, and pages through them', async () => {
    const since = new Date().toISOString();
    const approved = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111' });
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('01001011111')).id);
    await stack.portal.waitForStatusChange(approved.body!.id, 'pending', 30);
    const cancelled = await stack.other.start({ provider: 'sandbox', loginHint: 'bob' });
    await stack.other.cancel(cancelled.body!.id);
    const refused = await stack.other.start({ provider: 'sandbox', loginHint: 'nobody-known' });
    expect(refused.status).toBe(422);

    const page = await stack.portal.request('GET', `/v1/audit?from=${encodeURIComponent(since)}&limit=500`);
    expect(page.status).toBe(200);
    const items = page.body!.items as Record<string, string | null>[];
    const of = (id: string) => items.filter((item) => item.authenticationId === id).map((item) => `${item.event} ${item.outcome}`);
    expect(of(approved.body!.id)).toEqual(['ciba.start pending', 'ciba.finished approved']);
    expect(of(cancelled.body!.id)).toEqual(['ciba.start pending', 'ciba.finished cancelled', 'ciba.cancel cancelled']);
    expect(items).toContainEqual(expect.objectContaining({ event: 'ciba.start', outcome: 'customer_unknown', consumer: 'other' }));
    const started = items.find((item) => item.authenticationId === approved.body!.id)!;
    expect(started).toMatchObject({
      consumer: 'portal',
      provider: 'sandbox',
      customer: '*******1111',
      source: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(JSON.stringify(items)).not.toContain('01001011111');
    expect(Date.parse(started.time!)).toBeGreaterThanOrEqual(Date.parse(since));

    // Pages of one, following the cursor, give the same events in the same order.
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const next = await stack.portal.request(
        'GET',
        `/v1/audit?from=${encodeURIComponent(since)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...(next.body!.items as unknown[]));
      cursor = next.body!.nextCursor as string | null;
    } while (cursor);
    expect(paged).toEqual(items);
  });

  it('is a 404 for consumers without admin, and says what is wrong with a bad query', async () => {
    const denied = await stack.other.request('GET', '/v1/audit');
    expect(denied.status).toBe(404);
    expect(denied.body).toMatchObject({ code: 'not_found' });
    for (const query of ['from=yesterday', 'limit=0', 'limit=501', 'cursor=abc']) {
      const answer = await stack.portal.request('GET', `/v1/audit?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'invalid_request' });
    }
  });
});
