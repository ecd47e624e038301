import { Redis } from 'ioredis';
import { startStack, type Stack } from '../support/bff-stack.js';
import { discover, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { startWorkerProcess, writeConfigFile, type WorkerProcess } from '../support/worker-process.js';

/**
 * The API in this process (ROLE=api, never polls), workers as separate processes of the compiled
 * BFF. A worker killed mid-flow (SIGKILL) loses nothing: the next worker picks the job up with
 * the interval stored in Redis, and the authentication still completes.
 */
describe('worker killed and restarted mid-flow', () => {
  let stack: Stack;
  let proxy: RecordingProxy;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    stack = await startStack({
      role: 'api',
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        proxy = await startRecordingProxy(endpoints, { ackInterval: 2 });
        return {
          proxied: {
            issuer: sandbox.issuer,
            backchannelAuthenticationEndpoint: `${proxy.url}/backchannel`,
            tokenEndpoint: `${proxy.url}/token`,
            jwksUri: endpoints.jwks,
            clientId: 'bff',
            clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
            scope: 'openid profile',
            allowInsecureHttp: true,
          },
        };
      },
    });
    workerEnv = { CIBA_CONFIG: writeConfigFile(stack.configTree), REDIS_URL: stack.redis.url, CIBA_ENCRYPTION_KEY: stack.encryptionKey };
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stack?.close();
    await proxy?.close();
  });

  it('the authentication completes after a SIGKILL, without polls closer than the interval', async () => {
    const first = await startWorkerProcess(workerEnv);
    workers.push(first);
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    // A worker serves the health routes and nothing else.
    expect((await fetch(`${first.url}/v1/authentications`, { method: 'POST' })).status).toBe(404);

    const start = await stack.portal.start({ provider: 'proxied', loginHint: 'alice' });
    expect(start.status).toBe(201);
    const request = await stack.sandbox.waitForRequest('alice');
    await proxy.waitForTokenRequests(2, 15_000);
    // Kill while the job waits for its next poll: the answer to the last one is stored.
    await untilStored(start.body!.id);
    await first.kill();
    const polledBeforeKill = proxy.tokenRequests.length;

    await stack.sandbox.approve(request.id);
    const second = await startWorkerProcess(workerEnv);
    workers.push(second);

    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 60);
    expect(done.body!.error).toBeNull();
    expect(done.body!.status).toBe('approved');
    expect(done.body!.result.claims.personal_number).toBe('01001011111');
    expect(proxy.tokenRequests.length).toBeGreaterThan(polledBeforeKill);
    const polls = proxy.tokenRequests;
    for (let i = 1; i < polls.length; i += 1) expect(polls[i] - polls[i - 1]).toBeGreaterThanOrEqual(2000);
  });

  it('killed after the provider issued tokens but before they were stored: result_indeterminate, never a second redemption', async () => {
    // Only the worker this test kills may hold the job.
    await Promise.all(workers.map((w) => w.stop()));
    const worker = await startWorkerProcess(workerEnv);
    workers.push(worker);
    const start = await stack.portal.start({ provider: 'proxied', loginHint: 'bob' });
    expect(start.status).toBe(201);
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('bob')).id);
    // The next token request redeems the approval at the provider; its answer never arrives.
    const held = proxy.holdNextTokenResponse();
    await held.forwarded;
    await worker.kill();
    held.release();
    const requestsAtKill = proxy.tokenRequests.length;

    const next = await startWorkerProcess(workerEnv);
    workers.push(next);
    const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 60);
    expect(done.body).toMatchObject({ status: 'failed', error: { code: 'result_indeterminate' }, result: null });
    expect(proxy.tokenRequests.length).toBe(requestsAtKill);
  });

  /** Waits until the record holds no in-flight marker (the last poll's answer is stored). */
  async function untilStored(id: string): Promise<void> {
    const redis = new Redis(stack.redis.url);
    try {
      // The record is internal state with no event of its own; a short read loop is the only way in.
      while (await redis.hexists(`${stack.redis.prefix}:auth:${id}`, 'inflight')) await new Promise((r) => setTimeout(r, 20));
    } finally {
      redis.disconnect();
    }
  }
});
