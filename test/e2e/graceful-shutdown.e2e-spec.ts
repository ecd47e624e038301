import { LOOPS_PER_PROVIDER, loopJobId } from '../../apps/bff/src/polling/poll-queues.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ConsumerClient } from '../support/consumer-client.js';
import { ACK_INTERVAL_SECONDS, startScaleStack, type ScaleStack } from '../scale/scale-stack.js';
import { followEvents, statusOf } from '../scale/sse-follower.js';
import { within } from '../scale/within.js';

/** The promise to operators: a SIGTERM'd process is gone within 25 s (README, Operations). */
const EXIT_PROMISE_MS = 25_000;
const INTERVAL_MS = ACK_INTERVAL_SECONDS * 1000;
/** Long enough that a process which simply died could not have answered (the slow provider). */
const SLOW_ANSWER_MS = 2000;

/**
 * SIGTERM to the compiled BFF (`npm run start:bff`): it stops taking work, lets the poll in
 * flight finish and hands its job back, tells SSE clients to reconnect (`retry:`), exits 0 in
 * time, and the next process carries on without an early poll or a second redemption.
 */
describe('graceful shutdown on SIGTERM', () => {
  let scale: ScaleStack;
  let redis: Redis;

  beforeAll(async () => {
    scale = await startScaleStack();
    redis = new Redis(scale.stack.redis.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await scale?.close();
  });

  it('API and workers in one process: the poll in flight finishes, the SSE client is told to reconnect, nothing is lost', async () => {
    const { stack, ledger } = scale;
    const first = await scale.start('first', undefined);
    const start = await new ConsumerClient(first.url, stack.keys.portal).start({
      provider: 'proxied',
      loginHint: 'alice',
      bindingMessage: 'GRACE-1',
    });
    expect(start.status).toBe(201);
    const id = start.body!.id as string;
    const authReqId = ledger.authReqIdOf('GRACE-1');
    const auth = { authorization: `Bearer ${stack.keys.portal}` };
    const stream = await followEvents(`${first.url}/v1/authentications/${id}/events`, auth);
    await stream.next((event) => statusOf(event).status === 'pending', 5000);
    // A simple REST client long-polls the same process (registered long before the signal below,
    // which waits for the next token request, an interval away).
    const longPoll = new ConsumerClient(first.url, stack.keys.portal).get(id, '?wait=60');

    // The provider is slow: SIGTERM arrives while the token request waits for its answer.
    const inFlight = await ledger.delayNextTokenAnswer(SLOW_ANSWER_MS, authReqId);
    const signalledAt = first.terminate();

    // The stream serves until the poll has finished, is told when to come back, then ended:
    // neither cut nor left hanging.
    await expect(within(stream.ended, 10_000, 'the event stream ending')).resolves.toBe('ended');
    expect(stream.retries).toEqual([1000]);
    expect(stream.events.every((event) => statusOf(event).status === 'pending')).toBe(true);

    // The long-poll is answered with the current state, not cut: the client asks again elsewhere.
    const waited = await within(longPoll, 10_000, 'the long-poll answer');
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ id, status: 'pending' });

    const exit = await within(first.exited, EXIT_PROMISE_MS + 5000, 'the exit');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(EXIT_PROMISE_MS);
    // The poll finished before the exit: answered in full, its answer stored with its next time
    // (the due set), and the loop handed back to the queue for the next worker.
    expect(inFlight).toMatchObject({ tag: 'first', outcome: 'answered', status: 400, error: 'authorization_pending' });
    expect(inFlight.answeredAt! - inFlight.arrivedAt).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 50);
    expect(inFlight.answeredAt!).toBeLessThanOrEqual(exit.at);
    expect(await redis.hmget(`${stack.redis.prefix}:auth:${id}`, 'status', 'inflight')).toEqual(['pending', null]);
    expect(Number(await redis.zscore(`${stack.redis.prefix}:due:proxied`, id))).toBeGreaterThanOrEqual(
      inFlight.answeredAt! + INTERVAL_MS - 50,
    );
    expect((await loopJobStates()).filter((state) => state === 'active')).toEqual([]);
    expect(first.logs.map((line) => line.event)).toEqual(
      expect.arrayContaining(['bff.stopping', 'sse.reconnect_requested', 'bff.jobs_finished', 'bff.stopped']),
    );

    // A browser reconnects with its Last-Event-ID, here to the next process.
    const second = await scale.start('second', undefined);
    const resumed = await followEvents(`${second.url}/v1/authentications/${id}/events`, {
      ...auth,
      'last-event-id': stream.lastEventId()!,
    });
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    const done = statusOf(await resumed.next((event) => statusOf(event).status !== 'pending', 30_000));
    expect(done).toMatchObject({ status: 'approved', error: null });
    expect(done.result.claims.personal_number).toBe('01001011111');

    const polls = ledger.tokenRequestsFor(authReqId);
    const after = polls.slice(polls.indexOf(inFlight) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((poll) => poll.tag === 'second')).toBe(true);
    for (let i = 1; i < polls.length; i += 1) expect(polls[i].arrivedAt - polls[i - 1].answeredAt!).toBeGreaterThanOrEqual(INTERVAL_MS);
    expect(polls.filter((poll) => poll.status === 200)).toHaveLength(1);
    await second.stop();
  }, 60_000);

  it('a worker in the middle of a slow redemption finishes it before exiting', async () => {
    const { stack, ledger } = scale;
    const api = await scale.start('api', 'api');
    const worker = await scale.start('worker', 'worker');
    const portal = new ConsumerClient(api.url, stack.keys.portal);
    const start = await portal.start({ provider: 'proxied', loginHint: 'bob', bindingMessage: 'GRACE-2' });
    expect(start.status).toBe(201);
    const id = start.body!.id as string;
    const authReqId = ledger.authReqIdOf('GRACE-2');
    // Approved before the first poll, so that poll redeems it; the provider takes 2 s to answer.
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('bob')).id);
    const redemption = await ledger.delayNextTokenAnswer(SLOW_ANSWER_MS, authReqId);
    const signalledAt = worker.terminate();

    const exit = await within(worker.exited, EXIT_PROMISE_MS + 5000, 'the exit');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(EXIT_PROMISE_MS);
    expect(redemption).toMatchObject({ tag: 'worker', outcome: 'answered', status: 200 });
    // Finished, not abandoned: verified and approved by the worker that was stopping.
    const read = await portal.get(id);
    expect(read.body).toMatchObject({ status: 'approved', error: null });
    expect(read.body!.result.claims.personal_number).toBe('01001022222');
    expect(ledger.tokenRequestsFor(authReqId)).toEqual([redemption]);
    await api.stop();
  }, 60_000);

  /** The states of the proxied provider's poll loop jobs. */
  async function loopJobStates(): Promise<string[]> {
    const queue = new Queue('poll-proxied', { connection: { url: scale.stack.redis.url }, prefix: `${scale.stack.redis.prefix}:q` });
    try {
      return await Promise.all(
        Array.from(
          { length: LOOPS_PER_PROVIDER },
          async (_, index) => (await (await queue.getJob(loopJobId(index + 1)))?.getState()) ?? 'missing',
        ),
      );
    } finally {
      await queue.close();
    }
  }
});
