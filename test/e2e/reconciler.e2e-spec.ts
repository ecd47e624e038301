import { PollQueues, pollJobId } from '../../apps/bff/src/polling/poll-queues.js';
import { ReconcilerService } from '../../apps/bff/src/polling/reconciler.service.js';
import { startStack, type Stack } from '../support/bff-stack.js';

/** An authentication whose job vanished (a crash between storing and enqueuing) is repaired. */
describe('reconciler', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('re-creates a missing poll job, and the authentication completes', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice' });
    const id = start.body!.id as string;
    const queue = stack.bff!.app.get(PollQueues).of({ provider: 'sandbox' });
    await (await queue.getJob(pollJobId(id)))!.remove();
    expect(await queue.getJob(pollJobId(id))).toBeUndefined();

    const reconciler = stack.bff!.app.get(ReconcilerService);
    // Nothing is overdue yet: the next poll is not due.
    expect(await reconciler.reconcile()).toBe(0);
    // A minute later the record is long overdue and has no job.
    expect(await reconciler.reconcile(Date.now() + 60_000)).toBe(1);
    expect(await queue.getJob(pollJobId(id))).toBeDefined();
    // A job that exists is left alone.
    expect(await reconciler.reconcile(Date.now() + 60_000)).toBe(0);

    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    const done = await stack.portal.waitForStatusChange(id, 'pending', 30);
    expect(done.body!.status).toBe('approved');
  });
});
