import {
  FAULT_INTERVAL_SECONDS,
  approveAllAndExpectApproved,
  startFaultStack,
  startForEveryCustomer,
  waitForReadiness,
  type FaultStack,
} from './fault-stack.js';
import { expectProviderDoorKept } from './provider-door.js';

/**
 * Redis SIGKILLed and restarted from its AOF while ~100 authentications are pending and polls
 * are in flight: the workers that hold an answer wait for Redis and store it, no marker turns
 * into `result_indeterminate`, and every approval the customers then give ends `approved`.
 */
describe('Redis killed and restarted with polls in flight', () => {
  let faults: FaultStack;

  beforeAll(async () => {
    faults = await startFaultStack({ consumers: 25 });
  }, 60_000);
  afterAll(async () => {
    await faults?.close();
  });

  it('loses no approval, redeems nothing twice, never polls early and never answers 500', async () => {
    const { ledger, redis, stack } = faults;
    const url = stack.bff!.url;
    const started = await startForEveryCustomer(faults);
    expect(started).toHaveLength(100);

    // A slow provider keeps polls in flight; Redis dies under them.
    ledger.settings.tokenAnswerDelayMs = 400;
    await ledger.waitFor(() => ledger.tokenRequests.filter((entry) => entry.outcome === 'open').length >= 3, 20_000, 'polls in flight');
    const killedAt = Date.now();
    await redis.kill();

    const down = await waitForReadiness(url, 503);
    expect(down).toMatchObject({ status: 'unavailable', checks: { redis: 'unreachable' } });
    expect(down.failing).toContain('redis');
    const read = await started[0].consumer.get(started[0].id);
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(read.headers.get('retry-after')).toBe('2');
    const cancel = await started[1].consumer.cancel(started[1].id);
    expect(cancel.status).toBe(503);

    // Answers the provider gave while Redis was away: only the workers' memory holds them now.
    await ledger.waitFor(
      () => ledger.tokenRequests.filter((entry) => entry.outcome === 'answered' && entry.answeredAt! > killedAt).length >= 3,
      20_000,
      'answers while Redis is down',
    );
    await redis.start();
    await waitForReadiness(url, 200);
    ledger.settings.tokenAnswerDelayMs = 0;

    await approveAllAndExpectApproved(faults, started);

    expectProviderDoorKept(ledger, FAULT_INTERVAL_SECONDS, { approvals: 100 });
    // Providers are reported, not required: their metadata, and the keys the approvals needed.
    expect((await waitForReadiness(url, 200)).providers).toMatchObject({ proxied: { metadata: 'loaded', keys: 'loaded' } });
  }, 150_000);
});
