import { Redis } from 'ioredis';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { batchedCommands } from './command-batching.js';
import { LuaScript } from './lua-script.js';

/** Counts the socket writes a client makes (each is one syscall, and what batching saves). */
function countWrites(client: Redis): { count: () => number } {
  const stream = (client as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
  const write = stream.write.bind(stream);
  let count = 0;
  stream.write = (...args: unknown[]) => {
    count += 1;
    return write(...args);
  };
  return { count: () => count };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchedCommands (real Redis)', () => {
  const db = useTestRedisClient();
  let raw: Redis;
  let redis: Redis;
  const key = (name: string) => `${db.redis.prefix}:${name}`;

  beforeEach(async () => {
    raw = new Redis(db.redis.url);
    await raw.ping();
    redis = batchedCommands(raw);
  });
  afterEach(() => raw.disconnect());

  it('sends the commands of one turn in one write, each with its own reply', async () => {
    await raw.hset(key('h'), 'a', '1', 'b', '2');
    const writes = countWrites(raw);
    const replies = await Promise.all([
      redis.hmget(key('h'), 'a', 'b'),
      redis.incr(key('n')),
      redis.incr(key('n')),
      redis.get(key('missing')),
      redis.hget(key('h'), 'b'),
      redis.xadd(key('audit'), '*', 'event', 'ciba.approved'),
    ]);
    expect(replies).toEqual([['1', '2'], 1, 2, null, '2', expect.stringMatching(/^\d+-\d+$/)]);
    expect(writes.count()).toBe(1);
  });

  it('fails only the command that failed', async () => {
    await raw.set(key('text'), 'x');
    const [wrong, right] = await Promise.allSettled([redis.hget(key('text'), 'f'), redis.get(key('text'))]);
    expect(wrong.status).toBe('rejected');
    expect(String((wrong as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    expect(right).toEqual({ status: 'fulfilled', value: 'x' });
  });

  it('runs scripts by SHA, and still falls back to the body after SCRIPT FLUSH', async () => {
    const add = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
    await raw.script('FLUSH');
    const results = await Promise.all([add.run(redis, 1, key('s'), 2), add.run(redis, 1, key('s'), 3)]);
    expect(results.sort()).toEqual([2, 5]);
    expect(await add.run(redis, 1, key('s'), 1)).toBe(6);
  });

  it('never holds a batch until the previous one is answered', async () => {
    const admin = new Redis(db.redis.url);
    try {
      const writes = countWrites(raw);
      await admin.call('CLIENT', 'PAUSE', '300', 'ALL');
      const first = redis.incr(key('p'));
      await nextTurn();
      await nextTurn();
      const second = redis.incr(key('p'));
      await nextTurn();
      await nextTurn();
      // Both are on the wire while Redis has answered neither.
      expect(writes.count()).toBe(2);
      expect(await Promise.all([first, second])).toEqual([1, 2]);
    } finally {
      admin.disconnect();
    }
  });

  it("sends a transaction with the turn's other commands, all of it or nothing, replies as multi().exec()", async () => {
    await raw.set(key('text'), 'x');
    const writes = countWrites(raw);
    const [transaction, alongside] = await Promise.all([
      redis.multi().set(key('m'), '1').incr(key('m')).hget(key('text'), 'f').exec(),
      redis.get(key('text')),
    ]);
    expect(writes.count()).toBe(1);
    expect(transaction?.slice(0, 2)).toEqual([
      [null, 'OK'],
      [null, 2],
    ]);
    // A command that fails when run fails alone, as in a transaction of the client's own.
    expect(String(transaction?.[2][0])).toMatch(/WRONGTYPE/);
    expect(alongside).toBe('x');
  });

  it('rejects a transaction Redis refused to queue, and runs none of it', async () => {
    const [refused, alongside] = await Promise.allSettled([
      redis.multi().set(key('never'), '1').call('SET', key('never')).exec(),
      redis.incr(key('other')),
    ]);
    expect(refused.status).toBe('rejected');
    const reason = (refused as PromiseRejectedResult).reason as Error & { previousErrors?: Error[] };
    expect(String(reason)).toMatch(/EXECABORT/);
    // As ioredis's own multi().exec(): the refusals travel along (storeFailureKind reads OOM there).
    expect(reason.previousErrors?.map((error) => error.message)).toEqual([expect.stringMatching(/wrong number of arguments/)]);
    expect(await raw.exists(key('never'))).toBe(0);
    expect(alongside).toEqual({ status: 'fulfilled', value: 1 });
  });

  it('sends a transaction alone the same way, and passes everything else straight to the client', async () => {
    const results = await redis.multi().set(key('m'), '1').incr(key('m')).exec();
    expect(results).toEqual([
      [null, 'OK'],
      [null, 2],
    ]);
    expect(redis.status).toBe('ready');
    expect(redis instanceof Redis).toBe(true);
  });
});
