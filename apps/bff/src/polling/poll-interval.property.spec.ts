import { jest } from '@jest/globals';
import fc from 'fast-check';
import type { CibaConfig } from '@ciba/config';
import type { PollOutcome } from '@ciba/ciba';
import type { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, FieldCipher, Keyring, RedisKeys, type Counters, type Histograms } from '@ciba/store';
import pino from 'pino';
import { sampleAuthentication } from '../../../../test/support/sample-authentication.js';
import { useTestRedisClient } from '../../../../test/support/test-redis.js';
import { PollService } from './poll.service.js';
import type { TokenResultService } from './token-result.service.js';
import { fakeDateOnly } from '../../../../test/support/fake-date.js';

type Answer = { kind: 'pending' } | { kind: 'slow_down' } | { kind: 'transient' } | { kind: 'pending'; retryAfterSeconds: number };

const answer = fc.oneof(
  fc.constant<Answer>({ kind: 'pending' }),
  fc.constant<Answer>({ kind: 'slow_down' }),
  fc.constant<Answer>({ kind: 'transient' }),
  fc.integer({ min: 1, max: 30 }).map<Answer>((retryAfterSeconds) => ({ kind: 'pending', retryAfterSeconds })),
);
/** A run of the engine at some moment (early ones included), and what the provider says if asked. */
const step = fc.record({ advanceMs: fc.integer({ min: 0, max: 20_000 }), answer });

/**
 * CIBA Core §7.3 and §11, whatever the provider answers and whenever a worker happens to run:
 * no token request comes sooner after the previous answer than the interval in force (`slow_down`
 * adds 5 s for this and every later request; `Retry-After` and back-off only lengthen a wait).
 * Real Redis and the real PollService; the provider is a scripted sequence of answers and the
 * clock is moved by the test (only `Date` is faked).
 */
describe('no poll before its interval (property, real Redis)', () => {
  const db = useTestRedisClient();

  beforeAll(() => {
    fakeDateOnly();
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  it('holds over random answer sequences and run times', async () => {
    const keys = new RedisKeys(db.redis.prefix);
    const repository = new AuthenticationRepository(db.client, keys, new FieldCipher(Keyring.generate()), 60_000);
    const script: Answer[] = [];
    const polledAt: number[] = [];
    const adapter = {
      poll: (): Promise<PollOutcome> => {
        polledAt.push(Date.now());
        return Promise.resolve(script.shift() as PollOutcome);
      },
    };
    const polls = new PollService(
      repository,
      { get: () => adapter } as unknown as ProviderRegistry,
      {} as TokenResultService,
      pino({ level: 'silent' }),
      { providers: new Map([['sandbox', { pingFallbackSeconds: 30 }]]) } as unknown as CibaConfig,
      { increment: () => undefined } as unknown as Counters,
      { observe: () => undefined } as unknown as Histograms,
    );

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (interval, steps) => {
        let now = 1_900_000_000_000 + Math.floor(Math.random() * 1e9);
        jest.setSystemTime(now);
        const record = sampleAuthentication({
          id: `P${now}`,
          deliveryMode: 'poll',
          interval,
          nextPollAt: now + interval * 1000,
          expiresAt: now + 3_600_000,
        });
        await repository.create(record);
        polledAt.length = 0;
        // The model: after each answer, the earliest moment the next request may go out.
        let inForce = interval;
        let earliest = record.nextPollAt;
        for (const { advanceMs, answer: next } of steps) {
          now += advanceMs;
          jest.setSystemTime(now);
          script.splice(0, script.length, next);
          const before = polledAt.length;
          await polls.run(record.id, now);
          if (polledAt.length === before) continue;
          expect(now).toBeGreaterThanOrEqual(earliest);
          if (next.kind === 'slow_down') inForce += 5;
          const retryAfter = 'retryAfterSeconds' in next ? next.retryAfterSeconds : 0;
          earliest = now + Math.max(inForce, retryAfter) * 1000;
        }
      }),
      { numRuns: 60 },
    );
  });
});
