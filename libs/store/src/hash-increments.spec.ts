import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '../../../test/support/test-redis.js';
import { HashIncrements } from './hash-increments.js';

describe('HashIncrements (real Redis)', () => {
  let redis: TestRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('adds up in memory and writes nothing until flushed', async () => {
    const key = `${redis.prefix}:buffered`;
    const increments = new HashIncrements(client, undefined, 3_600_000);
    for (let i = 0; i < 5; i += 1) increments.add(key, 'polls', 1);
    increments.addFloat(key, 'sum', 0.25);
    increments.addFloat(key, 'sum', 0.5);
    expect(await client.hgetall(key)).toEqual({});
    await increments.flush();
    expect(await client.hgetall(key)).toEqual({ polls: '5', sum: '0.75' });
    await increments.flush(); // nothing pending: nothing written twice
    expect(await client.hget(key, 'polls')).toBe('5');
  });

  it('writes by itself after the flush period', async () => {
    const key = `${redis.prefix}:timed`;
    const written = new Promise<void>((resolve) => {
      const increments = new HashIncrements(client, undefined, 10);
      increments.add(key, 'n', 2);
      // Nothing announces the timer's write: read until it shows (a few turns of the event loop).
      const check = () => void client.hget(key, 'n').then((value) => (value === '2' ? resolve() : setImmediate(check)));
      check();
    });
    await written;
    expect(await client.hget(key, 'n')).toBe('2');
  });

  it('reports a failed write to onError and drops it, instead of throwing', async () => {
    const key = `${redis.prefix}:wrongtype`;
    await client.set(key, 'not a hash');
    const failures: unknown[] = [];
    const increments = new HashIncrements(client, (error) => failures.push(error), 3_600_000);
    increments.add(key, 'n', 1);
    await expect(increments.flush()).resolves.toBeUndefined();
    expect(String(failures[0])).toMatch(/WRONGTYPE/);
  });
});
