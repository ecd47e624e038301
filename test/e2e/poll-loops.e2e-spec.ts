import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { LEGACY_POLL_JOB, LOOPS_PER_PROVIDER, PollQueues, loopJobId } from '../../apps/bff/src/polling/poll-queues.js';
import { PollLoopKeeper } from '../../apps/bff/src/polling/poll-loop-keeper.js';
import { startStack, type Stack } from '../support/bff-stack.js';

/**
 * The poll engine's jobs are kept in place: a loop job that is gone (removed, or given up on by
 * BullMQ) is added again, and a deployment upgraded from one job per authentication has its
 * pending authentications taken over by the loops, none stranded.
 */
describe('poll loops kept and an upgrade migrated', () => {
  let stack: Stack;
  let redis: Redis;
  let queue: Queue;
  let keeper: PollLoopKeeper;

  beforeAll(async () => {
    stack = await startStack();
    redis = new Redis(stack.redis.url);
    queue = stack.bff!.app.get(PollQueues).of({ provider: 'sandbox' });
    keeper = stack.bff!.app.get(PollLoopKeeper);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  it('adds a loop job that is gone, and leaves existing ones alone', async () => {
    const states = async () =>
      Promise.all(Array.from({ length: LOOPS_PER_PROVIDER }, async (_, i) => (await queue.getJob(loopJobId(i + 1)))?.getState()));
    expect(await states()).not.toContain(undefined);
    const standBy = (await queue.getJobs(['waiting']))[0];
    await standBy.remove();
    // Gone, unless the maintenance job (every 15 s, and at start-up) has just added it again: then
    // the job under that id is a new one.
    const after = await queue.getJob(standBy.id!);
    expect(after === undefined || after.timestamp > standBy.timestamp).toBe(true);
    // (The maintenance job may run the keeper first; either way the loop is back, once.)
    expect((await keeper.keep()).loops).toBeLessThanOrEqual(1);
    expect(await states()).not.toContain(undefined);
    expect(await keeper.keep()).toEqual({ loops: 0, migrated: 0 });
  });

  it('takes over an authentication left by the engine before the loops (its index and its job)', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    expect(start.status).toBe(201);
    const id = start.body!.id as string;
    // As the previous version left it: in the one index of active authentications, with a job of its own.
    const due = `${stack.redis.prefix}:due:sandbox`;
    const score = await redis.zscore(due, id);
    await redis.multi().zrem(due, id).zadd(`${stack.redis.prefix}:active`, score!, id).exec();
    await queue.add(LEGACY_POLL_JOB, { authenticationId: id }, { jobId: `poll-${id}`, delay: 600_000 });

    // (The maintenance job may run the keeper first; either way it is moved, once.)
    expect((await keeper.keep()).migrated).toBeLessThanOrEqual(1);
    expect(await redis.zscore(due, id)).toBe(score);
    expect(await redis.exists(`${stack.redis.prefix}:active`)).toBe(0);
    expect(await queue.getJob(`poll-${id}`)).toBeUndefined();

    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 30);
    expect(done.body!.status).toBe('approved');
  });
});
