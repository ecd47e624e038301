import { randomBytes } from 'node:crypto';
import { startFaultProxy, type FaultProxy } from '../../../test/support/fault-proxy.js';
import { sampleAuthentication } from '../../../test/support/sample-authentication.js';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { AuthenticationRepository } from './authentication.repository.js';
import { ACQUIRE_INFLIGHT, CLAIM_DUE, CREATE, READ_FOR_POLL, TRANSITION } from './authentication.scripts.js';
import { FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';
import { LuaScript } from './lua-script.js';
import { connect, type RedisConnection } from './redis-clients.js';
import { RedisKeys } from './redis-keys.js';
import type { WriteList } from './transaction-write.js';
import { storeFailureKind } from './store-failure.js';

/**
 * A reply lost on the wire (the connection reset after Redis ran the command) makes ioredis send
 * the command again once it has reconnected. Every script must then answer for the caller's own
 * marker and change as if it had run once. Real Redis, a real TCP proxy, the product's options.
 */
describe('scripts repeated after a lost reply (real Redis through a fault proxy)', () => {
  let proxy: FaultProxy;
  let client: RedisConnection;
  // Before the test Redis stops (afterAll hooks run in the order they are declared).
  afterAll(async () => {
    client?.disconnect();
    await proxy?.close();
  });
  const db = useTestRedisClient();
  let repository: AuthenticationRepository;
  let keys: RedisKeys;

  beforeAll(async () => {
    const target = new URL(db.redis.url);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
    client = connect({ url: proxy.url }, 'command', 'lost-replies-spec');
    client.on('error', () => undefined);
    await client.connect();
    keys = new RedisKeys(db.redis.prefix);
    repository = new AuthenticationRepository(client, keys, new FieldCipher(Keyring.generate()), 60_000);
  });

  /** A stored pending authentication, with the scripts already known to Redis (so EVALSHA carries the SHA). */
  async function pending(): Promise<ReturnType<typeof sampleAuthentication>> {
    const record = sampleAuthentication({
      id: `A${randomBytes(6).toString('hex')}`,
      deliveryMode: 'poll',
      expiresAt: Date.now() + 60_000,
      nextPollAt: Date.now(),
    });
    await repository.create(record);
    await db.client.script('LOAD', ACQUIRE_INFLIGHT.source);
    await db.client.script('LOAD', TRANSITION.source);
    await db.client.script('LOAD', READ_FOR_POLL.source);
    return record;
  }

  it('answers "acquired" when the marker it finds is the caller\'s own', async () => {
    const record = await pending();
    const connectionsBefore = proxy.connections;
    const lost = proxy.loseReplyTo(ACQUIRE_INFLIGHT.sha);
    expect(await repository.acquireInflight(record.id, 'm1')).toBe('acquired');
    await lost;
    expect(proxy.connections).toBeGreaterThan(connectionsBefore); // it did reconnect and resend
    expect(await db.client.hget(keys.authentication(record.id), 'inflight')).toBe('m1');
    // Somebody else's marker still means busy.
    expect(await repository.acquireInflight(record.id, 'm2')).toBe('busy');
  });

  it('reads for a poll and takes the marker once, and a repeat after a lost reply is still "acquired"', async () => {
    const record = await pending();
    const lost = proxy.loseReplyTo(READ_FOR_POLL.sha);
    const read = await repository.readForPoll(record.id, 'm1', Date.now());
    await lost;
    expect(read.acquired).toBe(true);
    expect(read.record).toMatchObject({ id: record.id, status: 'pending' });
    expect(await db.client.hget(keys.authentication(record.id), 'inflight')).toBe('m1');
    // Another run reads it, with the marker held: no second marker.
    expect((await repository.readForPoll(record.id, 'm2', Date.now())).acquired).toBe(false);
  });

  it('answers "applied" for a fenced change its own first run applied, and applies it once', async () => {
    const record = await pending();
    expect(await repository.acquireInflight(record.id, 'm1')).toBe('acquired');
    const lost = proxy.loseReplyTo(TRANSITION.sha);
    const result = await repository.transition(record, {
      from: ['pending'],
      fence: 'm1',
      set: { inflight: null, progress: 'still waiting', nextPollAt: Date.now() + 5000 },
      nextRunAt: Date.now() + 5000,
    });
    await lost;
    expect(result).toEqual({ applied: true, seq: 2 });
    const stored = await repository.get(record.id);
    expect(stored).toMatchObject({ seq: 2, inflight: null, progress: 'still waiting' });
  });

  it("still refuses a change fenced by another worker's marker", async () => {
    const record = await pending();
    expect(await repository.acquireInflight(record.id, 'theirs')).toBe('acquired');
    const result = await repository.transition(record, { from: ['pending'], fence: 'mine', set: { progress: 'x' } });
    expect(result).toEqual({ applied: false, reason: 'fenced' });
  });

  it('applies a known answer whose marker Redis lost (a crash lost the last second of writes)', async () => {
    const record = await pending();
    const result = await repository.transition(record, { from: ['pending'], fence: 'lost-marker', set: { progress: 'p' } });
    expect(result).toMatchObject({ applied: true });
    // ...but not once an approval waits: nothing may overwrite saved tokens.
    await repository.transition(record, { from: ['pending'], set: { tokenResponse: { id_token: 'x' } } });
    const late = await repository.transition(record, { from: ['pending'], fence: 'lost-marker', set: { status: 'failed' } });
    expect(late).toEqual({ applied: false, reason: 'fenced' });
  });

  it('creates once: a repeat after a lost reply answers "existed", writes no second event and leaves a record moved on as it is', async () => {
    await db.client.script('LOAD', CREATE.source);
    const record = sampleAuthentication({
      id: `A${randomBytes(6).toString('hex')}`,
      expiresAt: Date.now() + 60_000,
      nextPollAt: Date.now(),
    });
    const events = `${db.redis.prefix}:create-events`;
    const alsoWrite = (writes: WriteList) => void writes.add('XADD', events, '*', 'started', record.id);
    const lost = proxy.loseReplyTo(CREATE.sha);
    // The first run is stored, its reply lost; ioredis sends the same call again after reconnecting.
    expect(await repository.create(record, { alsoWrite })).toBe('existed');
    await lost;
    expect(await db.client.xlen(events)).toBe(1);
    expect(await db.client.zscore(keys.due(record.provider), record.id)).not.toBeNull();
    // A worker moves it on; a late repeat of the create must not put it back.
    await repository.transition(record, { from: ['pending'], set: { progress: 'moved on' } });
    expect(await repository.create(record, { alsoWrite })).toBe('existed');
    expect(await repository.get(record.id)).toMatchObject({ seq: 2, progress: 'moved on' });
    expect(await db.client.xlen(events)).toBe(1);
  });

  it('claims the same members when a claim is sent again after its reply was lost, instead of stranding them under a lease', async () => {
    await db.client.script('LOAD', CLAIM_DUE.source);
    const provider = `lost-claim-${randomBytes(3).toString('hex')}`;
    await db.client.zadd(keys.due(provider), 100, 'C1', 100, 'C2');
    const lost = proxy.loseReplyTo(CLAIM_DUE.sha);
    // Redis ran the claim (both leased), the reply was lost, ioredis sent it again.
    const claim = await repository.claimDue(provider, 100, 60_000, 10);
    await lost;
    expect(claim.ids.sort()).toEqual(['C1', 'C2']);
    expect(await db.client.zrange(keys.due(provider), 0, -1, 'WITHSCORES')).toEqual(['C1', '59999.5', 'C2', '59999.5']);
  });

  it('runs a script after a restart even when the first attempt timed out (EVALSHA, then EVAL)', async () => {
    const script = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${randomBytes(4).toString('hex')}`);
    const key = `${db.redis.prefix}:evalsha-after-timeout`;
    await db.client.script('FLUSH'); // as after a restart: Redis knows no script
    proxy.blackhole();
    const failure = await script.run(client, 1, key, 1).catch((error: unknown) => error);
    expect(storeFailureKind(failure)).toBe('unreachable');
    proxy.heal();
    // The timed-out EVALSHA may be sent again after the reconnect; it ran at most once.
    const value = Number(await script.run(client, 1, key, 10));
    expect([10, 11]).toContain(value);
    expect(Number(await db.client.get(key))).toBe(value);
    expect(await script.run(client, 1, key, 100)).toBe(value + 100);
  });
});
