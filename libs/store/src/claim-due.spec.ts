import { Redis } from 'ioredis';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { AuthenticationRepository } from './authentication.repository.js';
import { Counters } from './counters.js';
import { FieldCipher } from './field-cipher.js';
import { HashIncrements } from './hash-increments.js';
import { Keyring } from './keyring.js';
import { RedisKeys } from './redis-keys.js';

/**
 * The poll engine's claim against a real Redis: two workers (two connections, as two processes
 * have) claiming from one provider's due set at the same time never take the same
 * authentication, take only what is due and what they have room for, and a lease keeps what was
 * taken until it runs out.
 */
describe('claiming due authentications (real Redis)', () => {
  let other: Redis;
  // Before the test Redis stops (Jest runs afterAll hooks in the order they are declared): a
  // client left connected to a stopped server keeps reconnecting and holds the worker open.
  afterAll(() => other?.disconnect());
  const db = useTestRedisClient();
  const cipher = new FieldCipher(Keyring.generate());
  let keys: RedisKeys;
  let first: AuthenticationRepository;
  let second: AuthenticationRepository;

  beforeAll(() => {
    other = new Redis(db.redis.url);
    keys = new RedisKeys(db.redis.prefix);
    first = new AuthenticationRepository(db.client, keys, cipher, 60_000);
    second = new AuthenticationRepository(other, keys, cipher, 60_000);
  });

  it('two workers claiming at once share the backlog and never take the same one', async () => {
    const now = 1_000_000;
    const ids = Array.from({ length: 500 }, (_, i) => `A${i}`);
    await db.client.zadd(keys.due('race'), ...ids.flatMap((id, i) => [now - i, id]));
    await db.client.zadd(keys.due('race'), now + 60_000, 'later');
    const taken: [string[], string[]] = [[], []];
    const drain = async (repository: AuthenticationRepository, into: string[]) => {
      for (;;) {
        const claim = await repository.claimDue('race', now, now + 30_000, 7);
        if (claim.ids.length === 0) return claim;
        expect(claim.ids.length).toBeLessThanOrEqual(7);
        into.push(...claim.ids);
      }
    };
    const [lastFirst] = await Promise.all([drain(first, taken[0]), drain(second, taken[1])]);
    expect(taken[0].length).toBeGreaterThan(0);
    expect(taken[1].length).toBeGreaterThan(0);
    expect(taken[0].filter((id) => taken[1].includes(id))).toEqual([]);
    expect([...taken[0], ...taken[1]].sort()).toEqual([...ids].sort());
    // What is left is the one not due yet, and the leases' end: when to look again.
    expect(lastFirst.nextDueAt).toBe(now + 30_000 - 0.5);
    expect(await db.client.zscore(keys.due('race'), 'later')).toBe(String(now + 60_000));
  });

  it('a lease holds until it runs out, then the authentication is due for anyone', async () => {
    await db.client.zadd(keys.due('lease'), 100, 'L1');
    expect((await first.claimDue('lease', 100, 5_000, 10)).ids).toEqual(['L1']);
    expect((await second.claimDue('lease', 4_999, 9_999, 10)).ids).toEqual([]);
    expect((await second.claimDue('lease', 5_000, 9_999, 10)).ids).toEqual(['L1']);
  });

  it('a claim tried again under its token takes the same members, leased anew, and no others', async () => {
    await db.client.zadd(keys.due('again'), 100, 'R1', 100, 'R2', 100, 'R3');
    const taken = (await first.claimDue('again', 100, 5_000, 2, 'token-1')).ids;
    expect(taken).toHaveLength(2);
    // The reply was lost: the loop tries again later, under the same token.
    const repeat = await first.claimDue('again', 200, 6_000, 2, 'token-1');
    expect(repeat.ids).toEqual(taken);
    for (const id of taken) expect(await db.client.zscore(keys.due('again'), id)).toBe('5999.5');
    // One of them ended meanwhile: a later repeat does not take it again.
    await db.client.zrem(keys.due('again'), taken[0]);
    expect((await first.claimDue('again', 300, 7_000, 2, 'token-1')).ids).toEqual([taken[1]]);
    // A new claim takes what is left.
    expect((await second.claimDue('again', 300, 7_000, 2, 'token-2')).ids).toEqual(['R1', 'R2', 'R3'].filter((id) => !taken.includes(id)));
  });

  it('after a run: its next time, unless moved sooner meanwhile (a ping), and never back to life', async () => {
    await db.client.zadd(keys.due('next'), 100, 'N1', 100, 'N2', 100, 'N3');
    await first.claimDue('next', 100, 5_000, 10);
    await first.rescheduleClaimed('next', 'N1', 7_000, 5_000); // untouched since the claim: set
    await first.dueNoLaterThan('next', 'N2', 200); // a ping during the run
    await first.rescheduleClaimed('next', 'N2', 7_000, 5_000);
    await db.client.zrem(keys.due('next'), 'N3'); // ended during the run
    await first.rescheduleClaimed('next', 'N3', 7_000, 5_000);
    expect(await db.client.zrange(keys.due('next'), 0, -1, 'WITHSCORES')).toEqual(['N2', '200', 'N1', '7000']);
    // A ping never pushes a time later, and never adds an authentication that ended.
    await first.dueNoLaterThan('next', 'N1', 9_000);
    await first.dueNoLaterThan('next', 'N3', 0);
    expect(await db.client.zrange(keys.due('next'), 0, -1, 'WITHSCORES')).toEqual(['N2', '200', 'N1', '7000']);
  });

  it("the gauges tell the backlog (due now), the leases (in a worker's hands) and the planned polls apart", async () => {
    const counters = new Counters(db.client, keys, new HashIncrements(db.client));
    await db.client.zadd(keys.due('gauge'), 100, 'G1', 100, 'G2', 100, 'G3', 9_000, 'G4');
    expect([await counters.due('gauge', 1_000), await counters.leased('gauge', 1_000)]).toEqual([3, 0]);
    await first.claimDue('gauge', 1_000, 6_000, 2);
    expect([await counters.due('gauge', 1_000), await counters.leased('gauge', 1_000)]).toEqual([1, 2]);
    // A run stored its next time (a whole millisecond): no longer leased, planned.
    const [claimed] = await db.client.zrangebyscore(keys.due('gauge'), 5_000, 6_000);
    await first.rescheduleClaimed('gauge', claimed, 7_000, 6_000);
    expect([await counters.due('gauge', 1_000), await counters.leased('gauge', 1_000)]).toEqual([1, 1]);
    // A lease that ran out is due again (its worker died), not leased.
    expect([await counters.due('gauge', 6_000), await counters.leased('gauge', 6_000)]).toEqual([2, 0]);
  });
});
