import { findFreePort } from '@ciba/embedded-redis';
import { Keyring } from '@ciba/store';
import { startBff, type RunningBff } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { sha256, startStack, type Stack } from '../support/bff-stack.js';
import { discover } from '../support/recording-proxy.js';

const THIRD_KEY = 'third-consumer-key-0123456789';

/** The abuse limits of a bank's audit: per consumer (across replicas), per customer, enumeration. */
describe('limits', () => {
  let stack: Stack;
  let second: RunningBff;

  beforeAll(async () => {
    stack = await startStack({
      // A provider whose backchannel endpoint refuses every connection (nothing listens there).
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        return {
          unreachable: {
            issuer: sandbox.issuer,
            backchannelAuthenticationEndpoint: `http://127.0.0.1:${await findFreePort()}/backchannel`,
            tokenEndpoint: endpoints.token,
            jwksUri: endpoints.jwks,
            clientId: 'bff',
            clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
            allowInsecureHttp: true,
          },
        };
      },
      configure: (tree) => {
        tree.consumers.other.rateLimit = { perMinute: 8 };
        tree.consumers.third = { apiKeySha256: sha256(THIRD_KEY), providers: ['sandbox'] };
        tree.consumers.portal.admin = true;
        tree.limits = { perLoginHint: { max: 3, windowSeconds: 300 }, unknownCustomers: { max: 2, windowSeconds: 600 } };
      },
    });
    // A second API replica on the same Redis: limits must hold across both.
    second = await startBff({
      config: stack.config,
      keyring: Keyring.parse(stack.encryptionKey),
      logger: createLogger('silent'),
      redisUrl: stack.redis.url,
      role: 'api',
      port: 0,
      host: '127.0.0.1',
      sandbox: false,
    });
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  it("a consumer's requests per minute hold across two API replicas, with RateLimit headers", async () => {
    const replicas = [stack.other, new ConsumerClient(second.url, stack.keys.other)];
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => replicas[i % 2].get('0123456789ABCDEFGHJKMNPQRS')));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 404)).toHaveLength(8);
    expect(limited).toHaveLength(4);
    for (const answer of limited) {
      expect(answer.body).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.headers.get('ratelimit-remaining')).toBe('0');
    }
    expect(answers[0].headers.get('ratelimit-limit')).toBe('8');
    expect(Number(answers[0].headers.get('ratelimit-reset'))).toBeGreaterThan(0);
  });

  it('a fourth start for one customer within the window is 429, whichever consumer asks', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'dave' });
      expect(start.status).toBe(201);
      ids.push(start.body!.id as string);
      await stack.portal.cancel(start.body!.id as string);
    }
    const fourth = await new ConsumerClient(second.url, stack.keys.portal).start({ provider: 'sandbox', loginHint: 'dave' });
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ code: 'customer_rate_limited' });
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    // The provider heard exactly three requests for dave.
    expect(new Set(ids).size).toBe(3);
    // Another customer is not affected.
    const carol = await stack.portal.start({ provider: 'sandbox', loginHint: 'carol' });
    expect(carol.status).toBe(201);
    await stack.portal.cancel(carol.body!.id as string);
  });

  it('a start that never reached the provider does not count against the customer', async () => {
    for (let i = 0; i < 5; i += 1) {
      const start = await stack.portal.start({ provider: 'unreachable', loginHint: 'erin' });
      expect(start.status).toBe(503);
      expect(start.body).toMatchObject({ code: 'provider_unavailable', detail: expect.stringMatching(/nothing was sent/) });
    }
  });

  it('past its budget of unknown customers a consumer is stopped (enumeration guard)', async () => {
    for (const name of ['ghost-1', 'ghost-2']) {
      const answer = await stack.portal.start({ provider: 'sandbox', loginHint: name });
      expect(answer.body).toMatchObject({ status: 422, code: 'customer_unknown' });
    }
    const guarded = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    expect(guarded.status).toBe(429);
    expect(guarded.body).toMatchObject({ code: 'enumeration_guard' });
    expect(stack.sandbox.pending('alice')).toEqual([]);
    const audit = await stack.portal.request('GET', '/v1/audit?limit=500');
    expect(audit.body!.items).toContainEqual(
      expect.objectContaining({ event: 'security.enumeration_guard', consumer: 'portal', outcome: 'refused' }),
    );
    // Another consumer keeps its own budget.
    const third = await new ConsumerClient(stack.bff!.url, THIRD_KEY).start({ provider: 'sandbox', loginHint: 'bob' });
    expect(third.status).toBe(201);
  });
});
