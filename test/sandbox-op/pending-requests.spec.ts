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
});
