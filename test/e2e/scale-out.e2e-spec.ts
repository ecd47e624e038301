import { Redis } from 'ioredis';
import { ConsumerClient } from '../support/consumer-client.js';
import type { BffProcess } from '../scale/bff-process.js';
import { waitForQuietMoment } from '../scale/quiet-moment.js';
import { ACK_INTERVAL_SECONDS, startScaleStack, type ScaleStack } from '../scale/scale-stack.js';
import { followEvents, statusOf, type EventFollower } from '../scale/sse-follower.js';

/** Eight authentications, two per demo customer (user name, personal number or phone number as the hint). */
const CASES = [
  { hint: 'alice', customer: 'alice', decision: 'approved', decidedBeforeKill: true },
  { hint: '01001011111', customer: 'alice', decision: 'denied', decidedBeforeKill: true },
  { hint: 'bob', customer: 'bob', decision: 'denied', decidedBeforeKill: true },
  { hint: '01001022222', customer: 'bob', decision: 'approved', decidedBeforeKill: true },
  { hint: 'carol', customer: 'carol', decision: 'approved', decidedBeforeKill: true },
  { hint: '+995599345678', customer: 'carol', decision: 'denied', decidedBeforeKill: false },
  { hint: 'dave', customer: 'dave', decision: 'denied', decidedBeforeKill: false },
  { hint: '+995599456789', customer: 'dave', decision: 'approved', decidedBeforeKill: false },
] as const;

const TERMINAL = new Set(['approved', 'denied', 'expired', 'failed', 'cancelled']);
const INTERVAL_MS = ACK_INTERVAL_SECONDS * 1000;

/**
 * Production's shape: two API processes and two worker processes of the compiled BFF
 * (`ROLE=api|worker`) on one Redis. Authentications start on one API process and are followed
 * over SSE on the other; one worker is SIGKILLed while it holds a job mid-verification and
 * while the others' polls continue. Every authentication must still end as the customer decided,
 * with no poll sooner than the interval and no approval redeemed twice, at the provider's door.
 */
describe('scale-out: two API and two worker processes on one Redis', () => {
  let scale: ScaleStack;
  let api1: BffProcess;
  let api2: BffProcess;
  let workers: BffProcess[];
  let redis: Redis;
  const followers: EventFollower[] = [];

  beforeAll(async () => {
    scale = await startScaleStack();
    [api1, api2, ...workers] = await Promise.all([
      scale.start('api1', 'api'),
      scale.start('api2', 'api'),
      scale.start('worker1', 'worker'),
      scale.start('worker2', 'worker'),
    ]);
    redis = new Redis(scale.stack.redis.url);
  });
  afterAll(async () => {
    for (const follower of followers) follower.close();
    redis?.disconnect();
    await scale?.close();
  });

  it('every authentication ends as decided, after a worker is killed mid-run', async () => {
    const { stack, ledger } = scale;
    const portal = new ConsumerClient(api1.url, stack.keys.portal);
    const started = await Promise.all(
      CASES.map(async (testCase, index) => {
        const bindingMessage = `SCALE-${index}`;
        const start = await portal.start({ provider: 'proxied', loginHint: testCase.hint, bindingMessage });
        expect(start.status).toBe(201);
        const id = start.body!.id as string;
        // Another replica serves the stream, authenticated by the consumer's key.
        const follower = await followEvents(`${api2.url}/v1/authentications/${id}/events`, {
          authorization: `Bearer ${stack.keys.portal}`,
        });
        followers.push(follower);
        expect(follower.status).toBe(200);
        const request = stack.sandbox.pending(testCase.customer).find((view) => view.bindingMessage === bindingMessage);
        expect(request).toBeDefined();
        return { ...testCase, id, follower, sandboxId: request!.id, authReqId: ledger.authReqIdOf(bindingMessage) };
      }),
    );
    expect(new Set(started.map((auth) => auth.authReqId)).size).toBe(CASES.length);
    expect(ledger.backchannel.every((entry) => entry.tag === 'api1')).toBe(true);

    await ledger.waitFor(
      () => started.every((auth) => ledger.tokenRequestsFor(auth.authReqId).some((entry) => entry.outcome === 'answered')),
      20_000,
      'a first answered poll of every authentication',
    );

    // A worker that redeems an approval now stays mid-job (its ID Token verification waits for the keys).
    ledger.holdJwks();
    await Promise.all(started.filter((auth) => auth.decidedBeforeKill).map((auth) => decide(auth)));
    const victimName = await ledger.waitFor(
      () => ledger.jwks.find((entry) => entry.outcome === 'held')?.tag,
      15_000,
      'a held verification',
    );
    const victim = workers.find((worker) => worker.name === victimName)!;
    const survivor = workers.find((worker) => worker !== victim)!;
    await waitForQuietMoment(
      redis,
      (id) => `${stack.redis.prefix}:auth:${id}`,
      started.map((auth) => auth.id),
      400,
      10_000,
    );
    await victim.kill();
    const killedAt = Date.now();
    // It died holding a job whose approval it had redeemed but not yet verified: only a
    // stalled-job recovery by the other worker can finish that authentication.
    expect(ledger.jwks.some((entry) => entry.tag === victim.name && entry.outcome !== 'answered')).toBe(true);
    expect(ledger.tokenRequests.some((entry) => entry.tag === victim.name && entry.status === 200)).toBe(true);
    ledger.releaseJwks();
    await Promise.all(started.filter((auth) => !auth.decidedBeforeKill).map((auth) => decide(auth)));

    for (const auth of started) {
      const last = statusOf(await auth.follower.next((event) => TERMINAL.has(statusOf(event).status), 60_000));
      expect({ hint: auth.hint, status: last.status }).toEqual({ hint: auth.hint, status: auth.decision });
      if (auth.decision === 'approved') {
        const customer = stack.sandbox.customers.find((known) => known.username === auth.customer)!;
        expect(last.result.claims.personal_number).toBe(customer.personalNumber);
      } else {
        expect(last.error.code).toBe('access_denied');
      }
      await expect(auth.follower.ended).resolves.toBe('ended');
    }

    // At the provider's door: never sooner than the interval after the previous answer, every
    // request answered (the kill cut none), and an approval redeemed exactly once.
    for (const auth of started) {
      const polls = ledger.tokenRequestsFor(auth.authReqId);
      expect(polls.map((poll) => poll.outcome)).toEqual(polls.map(() => 'answered'));
      for (let i = 1; i < polls.length; i += 1) expect(polls[i].arrivedAt - polls[i - 1].answeredAt!).toBeGreaterThanOrEqual(INTERVAL_MS);
      expect(polls.filter((poll) => poll.status === 200)).toHaveLength(auth.decision === 'approved' ? 1 : 0);
    }
    // Both workers polled, the survivor went on after the kill, an API process never polled.
    expect(new Set(ledger.tokenRequests.map((entry) => entry.tag))).toEqual(new Set([victim.name, survivor.name]));
    expect(ledger.tokenRequests.some((entry) => entry.tag === survivor.name && entry.arrivedAt > killedAt)).toBe(true);
    expect(ledger.tokenRequests.some((entry) => entry.tag === victim.name && entry.arrivedAt > killedAt)).toBe(false);
  }, 120_000);

  function decide(auth: { decision: string; sandboxId: string }): Promise<void> {
    return auth.decision === 'approved' ? scale.stack.sandbox.approve(auth.sandboxId) : scale.stack.sandbox.deny(auth.sandboxId);
  }
});
