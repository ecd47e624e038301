import { Redis } from 'ioredis';
import type { JWK } from 'jose';
import { startStack, type Stack } from '../support/bff-stack.js';
import { startJwksFront, type JwksFront } from '../support/jwks-front.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const COOLDOWN_MS = 2000;
/** The front records a fetch a moment after the BFF's clock started its cooldown (more under load). */
const JITTER_MS = 250;
const FIVE_MB = 5 * 1024 * 1024;

/**
 * "Never lose a customer's approval", against the real sandbox provider: the approval survives a
 * jwks_uri in trouble and a key rotation the BFF has not seen yet, a key that never appears still
 * fails (after one refetch past the cooldown), and a 5 MB token response is refused without
 * reaching Redis. Each provider here has its own JWKS front (so its own key cache in the BFF).
 */
describe('ID Token keys and provider answer limits', () => {
  let stack: Stack;
  const fronts: Record<string, JwksFront> = {};
  let oversized: RecordingProxy;

  beforeAll(async () => {
    stack = await startStack({
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        const published = (await (await fetch(endpoints.jwks)).json()) as { keys: JWK[] };
        // oidc-provider signs ID Tokens with RS256 unless the client asks otherwise.
        const signingKid = published.keys.find((key) => key.alg === 'RS256')!.kid!;
        fronts.flaky = await startJwksFront(endpoints.jwks, { unavailable: 2 });
        fronts.rotated = await startJwksFront(endpoints.jwks, { hidden: { kids: [signingKid], fetches: 1 } });
        fronts.unknown = await startJwksFront(endpoints.jwks, { hidden: { kids: [signingKid], fetches: Infinity } });
        oversized = await startRecordingProxy(endpoints, { ackInterval: 1, oversizedTokenResponseBytes: FIVE_MB });
        const common = {
          issuer: sandbox.issuer,
          clientId: 'bff',
          clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
          scope: 'openid profile',
          allowInsecureHttp: true,
        };
        // Discovery, with jwks_uri given on top of it.
        const viaFront = (front: JwksFront) => ({ ...common, jwksUri: front.url, jwksCooldownSeconds: COOLDOWN_MS / 1000 });
        return {
          'jwks-flaky': viaFront(fronts.flaky),
          'jwks-rotated': viaFront(fronts.rotated),
          'jwks-unknown': viaFront(fronts.unknown),
          oversized: {
            ...common,
            backchannelAuthenticationEndpoint: `${oversized.url}/backchannel`,
            tokenEndpoint: `${oversized.url}/token`,
            jwksUri: endpoints.jwks,
          },
        };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all([...Object.values(fronts).map((front) => front.close()), oversized?.close()]);
  });

  /** Starts, has the customer approve on the sandbox's phone, and waits for the final status. */
  async function approveAndWait(provider: string, customer: string) {
    const start = await stack.portal.start({ provider, loginHint: customer });
    expect(start.status).toBe(201);
    await stack.sandbox.approve((await stack.sandbox.waitForRequest(customer)).id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 60);
    return { body: done.body!, at: Date.now() };
  }
  /** Gaps between consecutive JWKS fetches: none shorter than the cooldown. */
  const gaps = (front: JwksFront) => front.fetches.slice(1).map((fetch, i) => fetch.at - front.fetches[i].at);

  it('jwks_uri answering 503 at first: verification waits, and the authentication still ends approved', async () => {
    const { body } = await approveAndWait('jwks-flaky', 'alice');
    expect(body).toMatchObject({ status: 'approved', error: null, result: { subject: expect.any(String) } });
    expect(fronts.flaky.fetches.map((fetch) => fetch.answer)).toEqual(['unavailable', 'unavailable', 'full']);
    for (const gap of gaps(fronts.flaky)) expect(gap).toBeGreaterThanOrEqual(COOLDOWN_MS - JITTER_MS);
  }, 90_000);

  it('signing key missing from the first fetch (rotation published right after): approved after one refetch', async () => {
    const { body } = await approveAndWait('jwks-rotated', 'bob');
    expect(body).toMatchObject({ status: 'approved', error: null });
    expect(fronts.rotated.fetches.map((fetch) => fetch.answer)).toEqual(['without_hidden_keys', 'full']);
    expect(gaps(fronts.rotated)[0]).toBeGreaterThanOrEqual(COOLDOWN_MS - JITTER_MS);
  }, 90_000);

  it('signing key that never appears: failed / provider_invalid_response, after the one refetch and not before', async () => {
    const { body, at } = await approveAndWait('jwks-unknown', 'carol');
    expect(body).toMatchObject({ status: 'failed', result: null, error: { code: 'provider_invalid_response' } });
    const fetches = fronts.unknown.fetches;
    expect(fetches.map((fetch) => fetch.answer)).toEqual(['without_hidden_keys', 'without_hidden_keys']);
    expect(gaps(fronts.unknown)[0]).toBeGreaterThanOrEqual(COOLDOWN_MS - JITTER_MS);
    expect(at).toBeGreaterThanOrEqual(fetches[1].at);
  }, 90_000);

  it('a 5 MB token response: failed / provider_invalid_response, and Redis does not grow by megabytes', async () => {
    const redis = new Redis(stack.redis.url);
    try {
      const before = await memory(redis);
      const start = await stack.portal.start({ provider: 'oversized', loginHint: 'dave' });
      expect(start.status).toBe(201);
      const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 60);
      expect(done.body).toMatchObject({
        status: 'failed',
        result: null,
        error: { code: 'provider_invalid_response', description: expect.stringContaining('more than 65536 bytes') },
      });
      expect(oversized.tokenRequests).toHaveLength(1);
      const after = await memory(redis);
      // Peak too: a record holding the answer for a moment would have raised it by megabytes.
      expect(after.used - before.used).toBeLessThan(1024 * 1024);
      expect(after.peak - before.peak).toBeLessThan(1024 * 1024);
    } finally {
      redis.disconnect();
    }
  }, 90_000);
});

/** INFO memory: bytes Redis holds now, and the most it ever held. */
async function memory(redis: Redis): Promise<{ used: number; peak: number }> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)![1]);
  return { used: field('used_memory'), peak: field('used_memory_peak') };
}
