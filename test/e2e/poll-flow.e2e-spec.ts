import { Redis } from 'ioredis';
import { readSse, type SseEvent } from '../support/sse-reader.js';
import { startStack, type Stack } from '../support/bff-stack.js';

describe('poll mode against the sandbox provider', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('approve: the events stream delivers `approved` with the validated claims', async () => {
    const start = await stack.portal.start({
      provider: 'sandbox',
      loginHint: 'alice',
      bindingMessage: 'W4SP-1234',
      reference: 'till-7/receipt-99',
    });
    expect(start.status).toBe(201);
    expect(start.headers.get('location')).toBe(`/v1/authentications/${start.body!.id}`);
    expect(start.body).toMatchObject({
      provider: 'sandbox',
      status: 'pending',
      bindingMessage: 'W4SP-1234',
      reference: 'till-7/receipt-99',
      interval: 5,
      result: null,
      error: null,
    });

    const events: SseEvent[] = [];
    const stream = await readSse(`${stack.bff!.url}${start.body!.eventsUrl}`, {}, (event) => events.push(event));
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);

    const request = await stack.sandbox.waitForRequest('alice');
    expect(request.bindingMessage).toBe('W4SP-1234');
    await stack.sandbox.approve(request.id);
    await stream.ended;

    expect(events[0]).toMatchObject({ event: 'status', id: '1' });
    expect(JSON.parse(events[0].data!).status).toBe('pending');
    const last = JSON.parse(events.at(-1)!.data!);
    expect(last.status).toBe('approved');
    const alice = stack.sandbox.customers.find((c) => c.username === 'alice')!;
    expect(last.result).toMatchObject({
      subject: alice.sub,
      claims: { sub: alice.sub, name: alice.name, personal_number: alice.personalNumber, phone_number: alice.phoneNumber },
      acr: expect.any(String),
      amr: expect.any(Array),
      authTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      tokens: { idToken: expect.any(String), accessToken: expect.any(String), tokenType: expect.stringMatching(/bearer/i) },
    });
    expect(Number(events.at(-1)!.id)).toBeGreaterThan(1);

    // At rest, nothing of the customer or the tokens is readable: not in records, not in jobs.
    const canaries = [
      alice.personalNumber,
      alice.phoneNumber,
      alice.name,
      last.result.tokens.accessToken,
      last.result.tokens.idToken.split('.')[1],
    ];
    const stored = await dumpRedis(stack.redis.url, stack.redis.prefix);
    expect(stored.length).toBeGreaterThan(0);
    for (const canary of canaries) expect(stored.filter((value) => value.includes(canary))).toEqual([]);
  });

  it('deny: ends `denied` with access_denied', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'bob' });
    expect(start.status).toBe(201);
    expect(start.body!.bindingMessage).toMatch(/^[A-Z0-9]{6}$/);
    const request = await stack.sandbox.waitForRequest('bob');
    expect(request.bindingMessage).toBe(start.body!.bindingMessage);
    await stack.sandbox.deny(request.id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'denied', result: null, error: { code: 'access_denied' } });
  });

  it('tokens are absent, not null, for a consumer that may not receive them', async () => {
    const start = await stack.other.start({ provider: 'sandbox', loginHint: 'carol' });
    expect(start.status).toBe(201);
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('carol')).id);
    const done = await stack.other.waitForStatusChange(start.body!.id, 'pending');
    expect(done.body!.status).toBe('approved');
    expect(done.body!.result).not.toHaveProperty('tokens');
    expect(done.body!.result.claims.name).toBeDefined();
  });

  it('/metrics shows the deployment-wide counters in Prometheus format, without a key', async () => {
    const response = await fetch(`${stack.bff!.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/ciba_authentications_started_total\{provider="sandbox"\} [1-9]/);
    expect(text).toMatch(/ciba_authentications_finished_total\{provider="sandbox",status="approved"\} [1-9]/);
    expect(text).toMatch(/ciba_authentications_finished_total\{provider="sandbox",status="denied"\} [1-9]/);
    expect(text).toMatch(/ciba_token_polls_total\{provider="sandbox",outcome="approved"\} [1-9]/);
    expect(text).toContain('ciba_bff_process_cpu_seconds_total');
  });
});

/** Every key and value under a prefix, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function dumpRedis(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? JSON.stringify(await redis.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await redis.lrange(key, 0, -1))
                : type === 'set'
                  ? JSON.stringify(await redis.smembers(key))
                  : type === 'zset'
                    ? JSON.stringify(await redis.zrange(key, 0, -1))
                    : type === 'stream'
                      ? JSON.stringify(await redis.xrange(key, '-', '+'))
                      : '';
        out.push(`${key} ${value}`);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out;
}
