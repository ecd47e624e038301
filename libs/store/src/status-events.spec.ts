import { Redis } from 'ioredis';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { RedisKeys } from './redis-keys.js';
import { StatusEvents } from './status-events.js';

/** How many times Redis ran a command, from INFO commandstats. */
async function calls(client: Redis, command: string): Promise<number> {
  const info = await client.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

/** The next call of a listener, as a promise. */
function nextCall(): { listener: (seq: number) => void; next: () => Promise<number> } {
  const queue: number[] = [];
  const waiting: ((seq: number) => void)[] = [];
  return {
    listener: (seq) => {
      const resolve = waiting.shift();
      if (resolve) resolve(seq);
      else queue.push(seq);
    },
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))),
  };
}

describe('StatusEvents (real Redis pub/sub)', () => {
  const db = useTestRedisClient();
  let subscriber: Redis;
  let keys: RedisKeys;
  let events: StatusEvents;

  beforeEach(() => {
    subscriber = new Redis(db.redis.url, { lazyConnect: true, connectionName: `status-events-${process.pid}` });
    keys = new RedisKeys(db.redis.prefix);
    events = new StatusEvents(subscriber, keys);
  });
  afterEach(() => subscriber.disconnect());

  it('gives each watcher the changes of its own authentication only', async () => {
    const a = nextCall();
    const b = nextCall();
    await events.watch('a', a.listener);
    await events.watch('b', b.listener);
    await db.client.publish(keys.events('b'), '7');
    await db.client.publish(keys.events('a'), '3');
    expect(await a.next()).toBe(3);
    expect(await b.next()).toBe(7);
  });

  it('subscribes once per process: watching and unwatching send nothing to Redis', async () => {
    const subscribes = await calls(db.client, 'subscribe');
    const unsubscribes = await calls(db.client, 'unsubscribe');
    const patterns = await calls(db.client, 'psubscribe');
    const stops = await Promise.all(Array.from({ length: 20 }, (_, i) => events.watch(`id-${i}`, () => undefined)));
    await Promise.all(stops.map((stop) => stop()));
    expect(events.watchedCount).toBe(0);
    expect(await calls(db.client, 'psubscribe')).toBe(patterns + 1);
    expect(await calls(db.client, 'subscribe')).toBe(subscribes);
    expect(await calls(db.client, 'unsubscribe')).toBe(unsubscribes);
  });

  it('stops calling a watcher once it unwatches, and keeps calling the others of the same id', async () => {
    const gone: number[] = [];
    const kept = nextCall();
    const stop = await events.watch('x', (seq) => gone.push(seq));
    await events.watch('x', kept.listener);
    await stop();
    await db.client.publish(keys.events('x'), '2');
    expect(await kept.next()).toBe(2);
    expect(gone).toEqual([]);
  });

  it('ignores channels of another key prefix', async () => {
    const mine = nextCall();
    await events.watch('same-id', mine.listener);
    await db.client.publish(new RedisKeys('{other}').events('same-id'), '9');
    await db.client.publish(keys.events('same-id'), '1');
    expect(await mine.next()).toBe(1);
  });

  it('falls back to a channel per watched id when an ACL refuses the pattern, and says so once', async () => {
    const user = `events-${process.pid}`;
    await db.client.acl('SETUSER', user, 'on', '>secret', `~${db.redis.prefix}*`, `&${keys.events('')}*`, '+@all');
    const limited = new Redis(db.redis.url, { username: user, password: 'secret', lazyConnect: true });
    const refusals: Error[] = [];
    try {
      const fallback = new StatusEvents(limited, keys, (error) => refusals.push(error));
      const watcher = nextCall();
      const stop = await fallback.watch('f', watcher.listener);
      await fallback.watch('g', () => undefined);
      await db.client.publish(keys.events('f'), '4');
      expect(await watcher.next()).toBe(4);
      expect(refusals.map((error) => error.message)).toEqual([expect.stringMatching(/^NOPERM/)]);
      await stop();
      expect((await db.client.call('PUBSUB', 'CHANNELS', `${keys.events('')}*`)) as string[]).toEqual([keys.events('g')]);
    } finally {
      limited.disconnect();
      await db.client.acl('DELUSER', user);
    }
  });

  it('tells watchers to re-read after the connection comes back, and hears changes again', async () => {
    const watcher = nextCall();
    await events.watch('r', watcher.listener);
    // Only this test's subscriber (a shared REDIS_URL may serve other tests' connections).
    const list = (await db.client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = list.split('\n').find((entry) => entry.includes(`name=status-events-${process.pid} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await db.client.call('CLIENT', 'KILL', 'ID', id!);
    expect(await watcher.next()).toBeNaN();
    await db.client.publish(keys.events('r'), '5');
    expect(await watcher.next()).toBe(5);
  });

  it('tells them only once the subscription holds again, so a change published right then is heard', async () => {
    // As in the app: the connection is up before the events are built on it.
    await subscriber.connect();
    events = new StatusEvents(subscriber, keys);
    const watcher = nextCall();
    let published: Promise<number> | undefined;
    await events.watch('h', (seq) => {
      // Another process stores a change the moment this one is told to re-read.
      if (Number.isNaN(seq)) published ??= db.client.publish(keys.events('h'), '7');
      watcher.listener(seq);
    });
    const list = (await db.client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = list.split('\n').find((entry) => entry.includes(`name=status-events-${process.pid} `));
    await db.client.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line ?? '')![1]);
    expect(await watcher.next()).toBeNaN();
    // PUBLISH answers how many subscribers received it: ours, subscribed again.
    expect(await published).toBe(1);
    expect(await watcher.next()).toBe(7);
  });

  it('keeps hearing after the connection drops again right after coming back (ioredis alone forgets the subscription then)', async () => {
    // As in the app: the connection is up before the events are built on it.
    await subscriber.connect();
    events = new StatusEvents(subscriber, keys);
    const watcher = nextCall();
    await events.watch('twice', watcher.listener);
    const list = (await db.client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = list.split('\n').find((entry) => entry.includes(`name=status-events-${process.pid} `));
    // Back from the first drop, the connection drops again before ioredis has taken its
    // subscriptions again.
    subscriber.once('ready', () => subscriber.stream.destroy());
    await db.client.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line ?? '')![1]);
    expect(await watcher.next()).toBeNaN();
    expect(await db.client.publish(keys.events('twice'), '9')).toBe(1);
    // Each time back, a "re-read" (NaN); then the change.
    let heard = await watcher.next();
    while (Number.isNaN(heard)) heard = await watcher.next();
    expect(heard).toBe(9);
  });
});
