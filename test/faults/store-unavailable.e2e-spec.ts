import { Redis } from 'ioredis';
import { readSse, type SseEvent } from '../support/sse-reader.js';
import { FAULT_INTERVAL_SECONDS, startFaultStack, waitForReadiness, type FaultStack } from './fault-stack.js';

/** API.md §6: a store that cannot be used is a 503 within 3 s, never a hang. */
const ANSWER_WITHIN_MS = 3000;
const OUTAGE_MS = 6000;

async function answered<T>(call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([call, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const expectStoreUnavailable = (response: { status: number; headers: Headers; body: Record<string, any> | null }) => {
  expect(response.status).toBe(503);
  expect(response.body).toMatchObject({ code: 'store_unavailable', status: 503, type: 'urn:ciba-bff:problem:store_unavailable' });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('retry-after')).toBe('2');
};

/**
 * Redis unusable in each way an operator meets it: blackholed (no answer, no reset), out of
 * memory (reads work, writes are refused), down and back. The API answers 503 store_unavailable
 * with Retry-After, never a 500 and never a hang; reads survive a refused bookkeeping write;
 * readiness names what fails; a start acknowledged by the provider but not storable releases its
 * reservation and is logged.
 */
describe('the store unusable', () => {
  let faults: FaultStack;
  let admin: Redis;
  let existing: string;
  let existingEvents: string;

  beforeAll(async () => {
    faults = await startFaultStack();
    admin = new Redis(faults.redis.url);
    const start = await faults.consumers[0].start({ provider: 'proxied', loginHint: '01001044444' });
    expect(start.status).toBe(201);
    existing = start.body!.id;
    existingEvents = start.body!.eventsUrl;
  }, 60_000);
  afterAll(async () => {
    admin?.disconnect();
    await faults?.close();
  });
  afterEach(async () => {
    faults.proxy.heal();
    await admin.config('SET', 'maxmemory', '0');
    await waitForReadiness(faults.stack.bff!.url, 200);
  });

  // First in this file: no long-poll or event stream has watched a record in this process yet.
  it('blackholed before the process ever watched: a long-poll and an event stream are 503 within 3 s; once Redis is back, its first watch hears changes', async () => {
    const consumer = faults.consumers[0];
    const api = faults.stack.bff!.url;
    faults.proxy.blackhole();
    expectStoreUnavailable(await answered(consumer.get(existing, '?wait=10&status=pending')));
    const stream = await answered(fetch(`${api}${existingEvents}`));
    expect(stream.status).toBe(503);
    expect(await stream.json()).toMatchObject({ code: 'store_unavailable' });
    faults.proxy.heal();
    await waitForReadiness(api, 200);

    // The subscriber connection lived through the outage: the process's first subscription is
    // made now, and a change reaches a stream through it.
    const started = await consumer.start({ provider: 'proxied', loginHint: '01001011111' });
    expect(started.status).toBe(201);
    const events: SseEvent[] = [];
    let firstEvent!: () => void;
    const first = new Promise<void>((resolve) => (firstEvent = resolve));
    const followed = await readSse(`${api}${started.body!.eventsUrl}`, {}, (event) => {
      events.push(event);
      firstEvent();
    });
    expect(followed.status).toBe(200);
    await first;
    expect((await consumer.cancel(started.body!.id)).status).toBe(200);
    await followed.ended; // the stream ends after the final event
    expect(events.map((event) => (JSON.parse(event.data!) as { status: string }).status)).toEqual(['pending', 'cancelled']);
  });

  it('blackholed: 503 within 3 s for reads and writes, readiness 503 naming Redis', async () => {
    const consumer = faults.consumers[0];
    faults.proxy.blackhole();
    expectStoreUnavailable(await answered(consumer.get(existing)));
    expectStoreUnavailable(await answered(consumer.start({ provider: 'proxied', loginHint: '01001011111' })));
    const ready = await answered(fetch(`${faults.stack.bff!.url}/health/ready`));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'unavailable',
      failing: expect.arrayContaining(['redis']),
      checks: { redis: 'unreachable' },
    });
    faults.proxy.heal();
    await waitForReadiness(faults.stack.bff!.url, 200);
    expect((await consumer.get(existing)).status).toBe(200);
  });

  it('out of memory: reads still answer, writes are 503, readiness says Redis refuses writes', async () => {
    const consumer = faults.consumers[0];
    await admin.config('SET', 'maxmemory', '1');
    const read = await answered(consumer.get(existing));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: existing, status: 'pending' });
    expectStoreUnavailable(await answered(consumer.start({ provider: 'proxied', loginHint: '01001011111' })));
    expectStoreUnavailable(await answered(consumer.cancel(existing)));
    const ready = await waitForReadiness(faults.stack.bff!.url, 503);
    expect(ready).toMatchObject({
      failing: ['redis'],
      checks: { redis: 'refusing_writes', queue: 'ok' },
      providers: { proxied: { metadata: 'loaded', keys: 'not_loaded' }, sandbox: { metadata: 'loaded' } },
    });
  });

  it('out of memory right after the provider acknowledged: 503, reservation released, the orphan logged', async () => {
    const consumer = faults.consumers[0];
    faults.ledger.settings.afterBackchannelAnswer = async () => {
      faults.ledger.settings.afterBackchannelAnswer = undefined;
      await admin.config('SET', 'maxmemory', '1');
    };
    const first = await answered(consumer.start({ provider: 'proxied', loginHint: '01001022222' }));
    expectStoreUnavailable(first);
    expect(faults.logs.filter((line) => line.event === 'ciba.start_orphaned')).toHaveLength(1);
    await admin.config('SET', 'maxmemory', '0');
    // Not "409 pending_exists" for a record that never came to be.
    const retry = await consumer.start({ provider: 'proxied', loginHint: '01001022222' });
    expect(retry.status).toBe(201);
    expect((await consumer.get(retry.body!.id)).status).toBe(200);
  });

  it('down and back: a start right after Redis returns is answered promptly and polled', async () => {
    const consumer = faults.consumers[0];
    await faults.redis.kill();
    expectStoreUnavailable(await answered(consumer.get(existing)));
    // The outage itself lasts a while (nothing to await: its length is the fault). Long enough
    // for back-off that grows with each failed reconnect (BullMQ's own reaches 7 s, then 20 s).
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await faults.redis.start();
    // Sent at once, not after readiness: every connection must be back within about a second.
    const start = await answered(consumer.start({ provider: 'proxied', loginHint: '01001033333' }));
    expect(start.status).toBe(201);
    const authReqId = faults.ledger.backchannel.at(-1)!.authReqId!;
    // Its first poll reaches the provider one interval later, give or take the reconnect: the
    // queue's own connections are back too.
    await faults.ledger.waitFor(
      () => faults.ledger.tokenRequestsFor(authReqId).length > 0,
      FAULT_INTERVAL_SECONDS * 1000 + ANSWER_WITHIN_MS,
      'first poll after the outage',
    );
  });
});
