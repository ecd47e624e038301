import type { AuthenticationStatus, AuthenticationView } from '@ciba/ciba';
import type { StatusEvents } from '@ciba/store';
import { connectionClosed, FakeStatusEvents } from '../../../../test/support/fake-status-events.js';
import type { AuthenticationsService } from '../authentications/authentications.service.js';
import type { Caller } from '../authentications/caller.js';
import { StatusWaiter } from './status-waiter.js';

/** The consumer API's read, over a status that can change and reads that can fail for a while. */
class FakeAuthentications {
  status: AuthenticationStatus = 'pending';
  reads = 0;
  private failing = 0;
  private failure = connectionClosed;

  /** The next `count` reads fail with `failure` (Redis away, by default). */
  failReads(count: number, failure: () => Error = connectionClosed): void {
    this.failing = count;
    this.failure = failure;
  }

  readonly view = async (_caller: Caller, id: string): Promise<AuthenticationView> => {
    this.reads += 1;
    if (this.failing > 0) {
      this.failing -= 1;
      throw this.failure();
    }
    return { id, status: this.status } as AuthenticationView;
  };
}

const caller = {} as Caller;
const never = new AbortController().signal;

describe('StatusWaiter (long-poll)', () => {
  let events: FakeStatusEvents;
  let authentications: FakeAuthentications;
  let waiter: StatusWaiter;
  beforeEach(() => {
    events = new FakeStatusEvents();
    authentications = new FakeAuthentications();
    waiter = new StatusWaiter(authentications as unknown as AuthenticationsService, events as unknown as StatusEvents);
  });

  /** Resolves once the wait has read the record `count` times. */
  const readsReach = async (count: number) => {
    while (authentications.reads < count) await new Promise((resolve) => setImmediate(resolve));
  };

  it('answers the changed status as soon as a hint says so', async () => {
    const waiting = waiter.waitForChange(caller, 'a', 'pending', 60, never);
    await readsReach(1);
    authentications.status = 'approved';
    events.publish(2);
    await expect(waiting).resolves.toMatchObject({ id: 'a', status: 'approved' });
  });

  it('a re-read that fails does not end the wait: it is tried again, and the change is answered', async () => {
    const waiting = waiter.waitForChange(caller, 'a', 'pending', 60, never);
    await readsReach(1);
    authentications.status = 'approved';
    authentications.failReads(1); // after a reconnect, the command connection still on its way
    events.publish(Number.NaN);
    await expect(waiting).resolves.toMatchObject({ status: 'approved' });
    expect(authentications.reads).toBe(3);
  });

  it('a re-read that fails for another reason (the record is gone) ends the wait at once', async () => {
    const waiting = waiter.waitForChange(caller, 'a', 'pending', 60, never);
    await readsReach(1);
    authentications.failReads(1, () => new Error('not_found'));
    events.publish(2);
    await expect(waiting).rejects.toThrow('not_found');
    expect(authentications.reads).toBe(2);
  });

  it('the answer on shutdown reads once more; when that read fails, the wait fails with it', async () => {
    const waiting = waiter.waitForChange(caller, 'a', 'pending', 60, never);
    await readsReach(1);
    authentications.failReads(10);
    waiter.beforeApplicationShutdown();
    await expect(waiting).rejects.toThrow('Connection is closed.');
  });
});
