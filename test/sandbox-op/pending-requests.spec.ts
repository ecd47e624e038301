import { PendingRequests } from '../../apps/sandbox-op/src/pending-requests.js';

const request = (customer: string, ttlMs = 60_000) => ({
  authReqId: `auth-${customer}-${Math.random()}`,
  customer,
  clientId: 'bff',
  bindingMessage: null,
  scope: 'openid',
  acrValues: null,
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + ttlMs),
});

describe('PendingRequests', () => {
  it('resolves a waiting caller when a request for that customer arrives, ignoring others', async () => {
    const pending = new PendingRequests();
    const waiting = pending.waitFor('alice', 5_000);
    pending.add(request('bob'));
    const added = pending.add(request('alice'));
    await expect(waiting).resolves.toEqual(added);
    pending.close();
  });

  it('resolves at once with the newest request already pending', async () => {
    const pending = new PendingRequests();
    pending.add(request('alice'));
    const newest = pending.add(request('alice'));
    await expect(pending.waitFor('alice', 5_000)).resolves.toEqual(newest);
    pending.close();
  });

  it('drops expired requests and refuses to decide on them', () => {
    const pending = new PendingRequests();
    const expired = pending.add(request('alice', -1));
    expect(pending.list('alice')).toEqual([]);
    expect(() => pending.take(expired.id)).toThrow(/no pending sandbox request/);
  });

  it('rejects outstanding waits on timeout and on close', async () => {
    const pending = new PendingRequests();
    await expect(pending.waitFor('alice', 10)).rejects.toThrow(/within 10 ms/);
    const waiting = pending.waitFor('bob', 5_000);
    pending.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });

  describe('the phone (inbox)', () => {
    // The phone is read at chosen times after the request; take() reads the real clock, so the
    // requests are made now.
    let created: number;
    beforeEach(() => (created = Date.now()));
    const at = (seconds: number) => created + seconds * 1000;
    const add = (pending: PendingRequests, authReqId: string, mode: 'poll' | 'ping' = 'poll', ttlSeconds = 120) => {
      const view = pending.add({ ...request('alice'), authReqId, createdAt: new Date(created), expiresAt: new Date(at(ttlSeconds)) });
      pending.noteDeliveryMode(view.id, mode);
      return view;
    };
    const stateAt = (pending: PendingRequests, seconds: number) => pending.inbox('alice', at(seconds)).map((view) => view.state);

    it('marks a poll-mode request abandoned after three missed 5 s polls, from the last poll', () => {
      const pending = new PendingRequests();
      add(pending, 'polled');
      pending.notePoll('polled', at(5));
      pending.notePoll('polled', at(10));
      expect(pending.inbox('alice', at(10))[0].lastPolledAt).toBe(new Date(at(10)).toISOString());
      expect(stateAt(pending, 25)).toEqual(['pending']);
      expect(stateAt(pending, 25.1)).toEqual(['abandoned']);
      pending.notePoll('polled', at(30)); // it came back
      expect(stateAt(pending, 30)).toEqual(['pending']);
    });

    it('counts from the request when the client never polled it, and waits longer for a slow poller', () => {
      const pending = new PendingRequests();
      add(pending, 'never');
      expect(stateAt(pending, 15)).toEqual(['pending']);
      expect(stateAt(pending, 15.1)).toEqual(['abandoned']);

      const slow = new PendingRequests();
      add(slow, 'slow');
      slow.notePoll('slow', at(10));
      slow.notePoll('slow', at(20)); // every 10 s (after slow_down): three missed is 30 s
      expect(slow.inbox('alice', at(45)).map((view) => view.state)).toEqual(['pending']);
      expect(slow.inbox('alice', at(50.1)).map((view) => view.state)).toEqual(['abandoned']);
    });

    it('never marks a ping-mode request abandoned: such a client polls only after its ping', () => {
      const pending = new PendingRequests();
      add(pending, 'ping', 'ping');
      expect(stateAt(pending, 100)).toEqual(['pending']);
    });

    it('shows an expired request, marked, for two minutes, and never for deciding', () => {
      const pending = new PendingRequests();
      const view = add(pending, 'short', 'poll', 30);
      expect(stateAt(pending, 30)).toEqual(['expired']);
      expect(() => pending.take(view.id)).toThrow(/no pending sandbox request/);
      expect(stateAt(pending, 149)).toEqual(['expired']);
      expect(stateAt(pending, 150)).toEqual([]);
    });

    it("lists one customer's requests, oldest first, and forgets decided ones", () => {
      const pending = new PendingRequests();
      const first = add(pending, 'first');
      const second = add(pending, 'second');
      pending.add(request('bob'));
      expect(pending.inbox('alice', at(1)).map((view) => view.id)).toEqual([first.id, second.id]);
      pending.take(first.id);
      pending.notePoll('first', at(2)); // a poll for a decided request changes nothing
      expect(pending.inbox('alice', at(2)).map((view) => view.id)).toEqual([second.id]);
    });
  });
});
