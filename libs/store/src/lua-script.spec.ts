import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '../../../test/support/test-redis.js';
import { LuaScript } from './lua-script.js';

/** How many times Redis ran a command, from INFO commandstats. */
async function calls(client: Redis, command: string): Promise<number> {
  const info = await client.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('LuaScript (real Redis)', () => {
  let redis: TestRedis;
  let client: Redis;
  const increment = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);

  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('sends the body once when Redis lacks it, then runs it by SHA1 only', async () => {
    await client.script('FLUSH');
    const key = `${redis.prefix}:n`;
    const evalsBefore = await calls(client, 'eval');
    expect(await increment.run(client, 1, key, 2)).toBe(2);
    expect(await calls(client, 'eval')).toBe(evalsBefore + 1);
    const evalshasBefore = await calls(client, 'evalsha');
    expect(await increment.run(client, 1, key, 3)).toBe(5);
    expect(await calls(client, 'eval')).toBe(evalsBefore + 1);
    expect(await calls(client, 'evalsha')).toBe(evalshasBefore + 1);
    // NOSCRIPT runs nothing: the fallback ran the script exactly once per call.
    expect(await client.get(key)).toBe('5');
  });

  it('passes a script error through, and never retries it', async () => {
    const failing = new LuaScript(`redis.call('INCR', KEYS[1]); return redis.error_reply('BROKEN by design')`);
    const key = `${redis.prefix}:once`;
    await client.script('FLUSH');
    await expect(failing.run(client, 1, key)).rejects.toThrow(/BROKEN by design/);
    await expect(failing.run(client, 1, key)).rejects.toThrow(/BROKEN by design/);
    expect(await client.get(key)).toBe('2');
  });
});
