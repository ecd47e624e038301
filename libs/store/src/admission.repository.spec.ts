import { randomBytes } from 'node:crypto';
import { startFaultProxy, type FaultProxy } from '../../../test/support/fault-proxy.js';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { AdmissionRepository, type AdmissionRequest } from './admission.repository.js';
import { ADMIT_START } from './admission.scripts.js';
import { connect, type RedisConnection } from './redis-clients.js';
import { RedisKeys } from './redis-keys.js';

/**
 * The admission of a start against a real Redis: guard, reservation and per-customer limit in
 * that order, in one step, with nothing written by a refusal, and a repeat after a lost reply
 * (ioredis sends the call again) answered as the first run was.
 */
describe('admitting a start (real Redis)', () => {
  const db = useTestRedisClient();
  let keys: RedisKeys;
  let admissions: AdmissionRepository;

  beforeAll(() => {
    keys = new RedisKeys(db.redis.prefix);
    admissions = new AdmissionRepository(db.client, keys);
  });

  /** A request for a customer no other test uses; limits of 2 unless overridden. */
  const request = (overrides: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
    consumer: 'portal',
    provider: 'sandbox',
    customerKey: randomBytes(6).toString('hex'),
    id: `A${randomBytes(6).toString('hex')}`,
    reservationMs: 60_000,
    unknownCustomers: { max: 2, windowMs: 600_000 },
    perCustomer: { max: 2, windowMs: 300_000 },
    ...overrides,
  });
  const lock = (r: AdmissionRequest) => keys.pendingLock(r.consumer, r.provider, r.customerKey);
  const customerCount = async (r: AdmissionRequest) => Number((await db.client.get(keys.customerLimit(r.provider, r.customerKey))) ?? 0);

  it('reserves the customer for a minute and counts the request', async () => {
    const first = request();
    expect(await admissions.admit(first)).toEqual({ outcome: 'admitted' });
    expect(await db.client.get(lock(first))).toBe(first.id);
    expect(await db.client.pttl(lock(first))).toBeGreaterThan(59_000);
    expect(await customerCount(first)).toBe(1);
    expect(await db.client.pttl(keys.customerLimit(first.provider, first.customerKey))).toBeGreaterThan(299_000);
  });

  it('names the holder of a reservation and counts nothing', async () => {
    const first = request();
    await admissions.admit(first);
    const second = { ...first, id: 'B2' };
    expect(await admissions.admit(second)).toEqual({ outcome: 'held', holder: first.id });
    expect(await customerCount(first)).toBe(1);
    // Another consumer has its own reservation for the same customer.
    expect(await admissions.admit({ ...second, consumer: 'other' })).toEqual({ outcome: 'admitted' });
  });

  it('past the per-customer limit drops the reservation it took and says how long is left', async () => {
    const first = request();
    for (const consumer of ['a', 'b']) expect(await admissions.admit({ ...first, consumer })).toEqual({ outcome: 'admitted' });
    const third = { ...first, consumer: 'c' };
    const refused = await admissions.admit(third);
    expect(refused).toMatchObject({ outcome: 'customer_limited' });
    expect(refused.outcome === 'customer_limited' && refused.resetMs).toBeGreaterThan(299_000);
    expect(await db.client.exists(lock(third))).toBe(0);
    expect(await customerCount(first)).toBe(2);
  });

  it('with the enumeration guard full, refuses before reserving or counting anything', async () => {
    const guarded = request({ consumer: `enumerator-${randomBytes(3).toString('hex')}` });
    await db.client.set(keys.unknownCustomerLimit(guarded.consumer), 2, 'PX', 500_000);
    const refused = await admissions.admit(guarded);
    expect(refused).toMatchObject({ outcome: 'enumeration_guard' });
    expect(refused.outcome === 'enumeration_guard' && refused.resetMs).toBeGreaterThan(499_000);
    expect(refused.outcome === 'enumeration_guard' && refused.resetMs).toBeLessThanOrEqual(500_000);
    expect(await db.client.exists(lock(guarded))).toBe(0);
    expect(await customerCount(guarded)).toBe(0);
    // One below the budget is not full: the guard only peeks, and lets it through.
    await db.client.set(keys.unknownCustomerLimit(guarded.consumer), 1, 'PX', 500_000);
    expect(await admissions.admit(guarded)).toEqual({ outcome: 'admitted' });
    expect(await db.client.get(keys.unknownCustomerLimit(guarded.consumer))).toBe('1');
  });

  describe('after a lost reply', () => {
    let proxy: FaultProxy;
    let client: RedisConnection;

    beforeAll(async () => {
      const target = new URL(db.redis.url);
      proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
      client = connect({ url: proxy.url }, 'command', 'admission-spec');
      client.on('error', () => undefined);
      await client.connect();
    });
    afterAll(async () => {
      client?.disconnect();
      await proxy?.close();
    });

    it('answers "admitted" to its own repeat, not "held" by itself, and counts the customer once', async () => {
      await db.client.script('LOAD', ADMIT_START.source); // so the call carries the SHA the proxy looks for
      const first = request();
      const connectionsBefore = proxy.connections;
      const lost = proxy.loseReplyTo(ADMIT_START.sha);
      expect(await new AdmissionRepository(client, keys).admit(first)).toEqual({ outcome: 'admitted' });
      await lost;
      expect(proxy.connections).toBeGreaterThan(connectionsBefore); // it did reconnect and resend
      expect(await db.client.get(lock(first))).toBe(first.id);
      expect(await customerCount(first)).toBe(1);
    });
  });
});
