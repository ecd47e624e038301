import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { RateLimiter } from './rate-limiter.js';
import { RedisKeys } from './redis-keys.js';

describe('RateLimiter (real Redis): named windows, keys kept inside', () => {
  const db = useTestRedisClient();
  const limiter = () => new RateLimiter(db.client, new RedisKeys(db.redis.prefix));

  it('counts a consumer\u2019s requests in its own window and refuses past the limit', async () => {
    const windows = limiter();
    expect(await windows.takeConsumer('pos', 2)).toMatchObject({ count: 1, limit: 2, allowed: true });
    expect(await windows.takeConsumer('pos', 2)).toMatchObject({ count: 2, allowed: true });
    expect(await windows.takeConsumer('pos', 2)).toMatchObject({ count: 2, allowed: false });
    // Another consumer, another window.
    expect(await windows.takeConsumer('portal', 2)).toMatchObject({ count: 1, allowed: true });
    const ttl = await db.client.pttl(new RedisKeys(db.redis.prefix).consumerLimit('pos'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps an agent\u2019s window apart from the consumer\u2019s', async () => {
    const windows = limiter();
    expect(await windows.takeAgent('agent-hash', 1)).toMatchObject({ allowed: true });
    expect(await windows.takeAgent('agent-hash', 1)).toMatchObject({ allowed: false });
    expect(await windows.takeConsumer('branch', 1)).toMatchObject({ allowed: true });
  });

  it('gives back a customer\u2019s count, never below zero, and adds unknown customers past any limit', async () => {
    const keys = new RedisKeys(db.redis.prefix);
    const windows = limiter();
    await db.client.set(keys.customerLimit('sandbox', 'c1'), '1', 'PX', 60_000);
    await windows.giveBackCustomer('sandbox', 'c1');
    await windows.giveBackCustomer('sandbox', 'c1');
    expect(await db.client.get(keys.customerLimit('sandbox', 'c1'))).toBe('0');
    await windows.addUnknownCustomer('pos', 30_000);
    await windows.addUnknownCustomer('pos', 30_000);
    expect(await db.client.get(keys.unknownCustomerLimit('pos'))).toBe('2');
    expect(await db.client.pttl(keys.unknownCustomerLimit('pos'))).toBeLessThanOrEqual(30_000);
  });
});
