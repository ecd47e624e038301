import type { Redis } from 'ioredis';
import { batchedCommands } from './command-batching.js';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { connect } from './redis-clients.js';
import { storeFailureKind } from './store-failure.js';

/** Real errors from a real Redis and ioredis, read as the API and the workers read them. */
describe('storeFailureKind', () => {
  const db = useTestRedisClient();

  it('reads refusals of a full Redis as "refusing", single commands, scripts and transactions alike', async () => {
    await db.client.config('SET', 'maxmemory', '1');
    try {
      const key = `${db.redis.prefix}:full`;
      const single = await db.client.set(key, '1').catch((error: unknown) => error);
      const script = await db.client.eval(`return redis.call('SET', KEYS[1], '1')`, 1, key).catch((error: unknown) => error);
      const transaction = await db.client
        .multi()
        .set(key, '1')
        .pexpire(key, 1000)
        .exec()
        .catch((error: unknown) => error);
      const batched = await batchedCommands(db.client)
        .multi()
        .set(key, '1')
        .pexpire(key, 1000)
        .exec()
        .catch((error: unknown) => error);
      expect([single, script, transaction, batched].map(storeFailureKind)).toEqual(['refusing', 'refusing', 'refusing', 'refusing']);
      // Reads still work then.
      expect(await db.client.get(key)).toBeNull();
    } finally {
      await db.client.config('SET', 'maxmemory', '0');
    }
  });

  it('reads a Redis nobody answers for as "unreachable"', async () => {
    const nowhere = connect({ url: 'redis://127.0.0.1:1' }, 'command', 'store-failure-spec') as Redis;
    nowhere.on('error', () => undefined);
    const error = await nowhere.get('x').catch((failure: unknown) => failure);
    nowhere.disconnect();
    expect(storeFailureKind(error)).toBe('unreachable');
  });

  it('reads a pipelined command cut off by the connection closing as "unreachable"', async () => {
    const client = connect({ url: db.redis.url }, 'command', 'store-failure-spec') as Redis;
    client.on('error', () => undefined);
    try {
      const key = `${db.redis.prefix}:cut`;
      // Redis answers the first two, then closes the connection it was told to kill: ioredis
      // aborts the rest of the pipeline (it cannot know whether Redis ran it).
      const id = String(await client.client('ID'));
      const results = await client.pipeline().get(key).client('KILL', 'ID', id, 'SKIPME', 'no').get(key).exec();
      const cut = results?.[2]?.[0];
      expect(cut).toBeInstanceOf(Error);
      expect(storeFailureKind(cut)).toBe('unreachable');
    } finally {
      client.disconnect();
    }
  });

  it('leaves our own mistakes alone: a script error or a bug is no store failure', async () => {
    const scriptError = await db.client.eval(`return redis.error_reply('BROKEN')`, 0).catch((error: unknown) => error);
    const wrongType = await db.client.eval(`return redis.call('INCR', 'x', 'y')`, 0).catch((error: unknown) => error);
    expect([scriptError, wrongType, new TypeError('bug'), 'text'].map(storeFailureKind)).toEqual([null, null, null, null]);
  });
});
