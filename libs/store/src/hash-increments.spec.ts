import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { HashIncrements } from './hash-increments.js';

describe('HashIncrements (real Redis)', () => {
  const db = useTestRedisClient();

  it('adds up in memory and writes nothing until flushed', async () => {
    const key = `${db.redis.prefix}:buffered`;
    const increments = new HashIncrements(db.client, undefined, 3_600_000);
    for (let i = 0; i < 5; i += 1) increments.add(key, 'polls', 1);
    increments.addFloat(key, 'sum', 0.25);
    increments.addFloat(key, 'sum', 0.5);
    expect(await db.client.hgetall(key)).toEqual({});
    await increments.flush();
    expect(await db.client.hgetall(key)).toEqual({ polls: '5', sum: '0.75' });
    await increments.flush(); // nothing pending: nothing written twice
    expect(await db.client.hget(key, 'polls')).toBe('5');
  });

  it('writes by itself after the flush period', async () => {
    const key = `${db.redis.prefix}:timed`;
    const written = new Promise<void>((resolve) => {
      const increments = new HashIncrements(db.client, undefined, 10);
      increments.add(key, 'n', 2);
      // Nothing announces the timer's write: read until it shows (a few turns of the event loop).
      const check = () => void db.client.hget(key, 'n').then((value) => (value === '2' ? resolve() : setImmediate(check)));
      check();
    });
    await written;
    expect(await db.client.hget(key, 'n')).toBe('2');
  });

  it('reports a failed write to onError and drops it, instead of throwing', async () => {
    const key = `${db.redis.prefix}:wrongtype`;
    await db.client.set(key, 'not a hash');
    const failures: unknown[] = [];
    const increments = new HashIncrements(db.client, (error) => failures.push(error), 3_600_000);
    increments.add(key, 'n', 1);
    await expect(increments.flush()).resolves.toBeUndefined();
    expect(String(failures[0])).toMatch(/WRONGTYPE/);
  });
});
