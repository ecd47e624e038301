import type { Redis } from 'ioredis';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { LuaScript } from './lua-script.js';

/** How many times Redis ran a command, from INFO commandstats. */
async function calls(client: Redis, command: string): Promise<number> {
  const info = await client.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('LuaScript (real Redis)', () => {
  const db = useTestRedisClient();
  const increment = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);

  it('sends the body once when Redis lacks it, then runs it by SHA1 only', async () => {
    await db.client.script('FLUSH');
    const key = `${db.redis.prefix}:n`;
    const evalsBefore = await calls(db.client, 'eval');
    expect(await increment.run(db.client, 1, key, 2)).toBe(2);
    expect(await calls(db.client, 'eval')).toBe(evalsBefore + 1);
    const evalshasBefore = await calls(db.client, 'evalsha');
    expect(await increment.run(db.client, 1, key, 3)).toBe(5);
    expect(await calls(db.client, 'eval')).toBe(evalsBefore + 1);
    expect(await calls(db.client, 'evalsha')).toBe(evalshasBefore + 1);
    // NOSCRIPT runs nothing: the fallback ran the script exactly once per call.
    expect(await db.client.get(key)).toBe('5');
  });

  it('passes a script error through, and never retries it', async () => {
    const failing = new LuaScript(`redis.call('INCR', KEYS[1]); return redis.error_reply('BROKEN by design')`);
    const key = `${db.redis.prefix}:once`;
    await db.client.script('FLUSH');
    await expect(failing.run(db.client, 1, key)).rejects.toThrow(/BROKEN by design/);
    await expect(failing.run(db.client, 1, key)).rejects.toThrow(/BROKEN by design/);
    expect(await db.client.get(key)).toBe('2');
  });
});
