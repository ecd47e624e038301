import { startStack, type Stack } from '../support/bff-stack.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * The poll loop's protocol duties (CIBA Core §7.3, §11), observed at the provider's door: a
 * recording proxy in front of the real sandbox provider notes when each token request arrived.
 */
describe('poll timing', () => {
  let stack: Stack;
  const proxies: Record<string, RecordingProxy> = {};

  beforeAll(async () => {
    stack = await startStack({
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        const entry = (proxy: RecordingProxy) => ({
          issuer: sandbox.issuer,
          backchannelAuthenticationEndpoint: `${proxy.url}/backchannel`,
          tokenEndpoint: `${proxy.url}/token`,
          jwksUri: endpoints.jwks,
          clientId: 'bff',
          clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
          scope: 'openid profile',
          allowInsecureHttp: true,
        });
        proxies.fast = await startRecordingProxy(endpoints, { ackInterval: 1 });
        proxies.slow = await startRecordingProxy(endpoints, { ackInterval: 1, slowDowns: 1 });
        proxies.plain = await startRecordingProxy(endpoints);
        proxies.flaky = await startRecordingProxy(endpoints, { ackInterval: 1, unavailable: 2 });
        return { fast: entry(proxies.fast), slow: entry(proxies.slow), plain: entry(proxies.plain), flaky: entry(proxies.flaky) };
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
  });

  it('expiry: ends `expired` at the deadline with no poll after it', async () => {
    const start = await stack.portal.start({ provider: 'fast', loginHint: 'alice', requestedExpiry: 4 });
    expect(start.status).toBe(201);
    const acknowledgedAt = Date.parse(start.body!.createdAt);
    const deadline = Date.parse(start.body!.expiresAt);
    expect(deadline - acknowledgedAt).toBe(4000);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'expired', error: { code: 'expired' } });
    const polls = proxies.fast.tokenRequests;
    expect(polls.length).toBeGreaterThanOrEqual(2);
    // The first poll waits one interval; none comes after the deadline.
    expect(polls[0] - acknowledgedAt).toBeGreaterThanOrEqual(1000);
    for (const at of polls) expect(at).toBeLessThan(deadline);
    for (let i = 1; i < polls.length; i += 1) expect(polls[i] - polls[i - 1]).toBeGreaterThanOrEqual(1000);
  });

  it('no interval from the provider: waits 5 s, so a short deadline passes without any poll', async () => {
    const start = await stack.portal.start({ provider: 'plain', loginHint: 'bob', requestedExpiry: 3 });
    expect(start.body!.interval).toBe(5);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body!.status).toBe('expired');
    expect(proxies.plain.tokenRequests).toEqual([]);
  });

  it('slow_down: the interval grows by 5 s for the next polls, and the status shows it', async () => {
    const start = await stack.portal.start({ provider: 'slow', loginHint: 'carol' });
    expect(start.body!.interval).toBe(1);
    const request = await stack.sandbox.waitForRequest('carol');
    await proxies.slow.waitForTokenRequests(2, 15_000);
    const [first, second] = proxies.slow.tokenRequests;
    expect(second - first).toBeGreaterThanOrEqual(6000);
    expect((await stack.portal.get(start.body!.id)).body!.interval).toBe(6);
    await stack.sandbox.approve(request.id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body!.status).toBe('approved');
    const third = proxies.slow.tokenRequests[2];
    expect(third - second).toBeGreaterThanOrEqual(6000);
  });

  it('transient 503s are retried with back-off and the authentication still completes', async () => {
    const start = await stack.portal.start({ provider: 'flaky', loginHint: 'dave' });
    const request = await stack.sandbox.waitForRequest('dave');
    await stack.sandbox.approve(request.id);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 30);
    expect(done.body!.status).toBe('approved');
    const polls = proxies.flaky.tokenRequests;
    expect(polls).toHaveLength(3);
    expect(polls[1] - polls[0]).toBeGreaterThanOrEqual(1000);
    expect(polls[2] - polls[1]).toBeGreaterThanOrEqual(2000); // back-off doubled after the second failure
  });
});
