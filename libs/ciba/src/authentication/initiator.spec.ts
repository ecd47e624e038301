import { initiatorOf } from './initiator.js';
import { mayAccess } from './visibility.js';

describe('initiatorOf', () => {
  it('is the consumer when no agent made the call', () => {
    expect(initiatorOf('branch-portal')).toEqual({ type: 'consumer', id: 'branch-portal' });
  });

  it("is the agent when one did: subject and name only, never the rest of the agent's session", () => {
    const agent = { subject: 'agent-7', name: 'Nino', roles: ['ciba-agent'], supervisor: false };
    expect(initiatorOf('branch-portal', agent)).toStrictEqual({ type: 'agent', subject: 'agent-7', name: 'Nino' });
  });
});

describe('mayAccess (API.md §7)', () => {
  const byAgent = { consumer: 'portal', initiatedBy: initiatorOf('portal', { subject: 'a1', name: 'A' }) };
  const byService = { consumer: 'portal', initiatedBy: initiatorOf('portal') };

  it('a consumer reaches all of its own authentications and none of another', () => {
    expect([mayAccess({ consumer: 'portal' }, byAgent), mayAccess({ consumer: 'portal' }, byService)]).toEqual([true, true]);
    expect(mayAccess({ consumer: 'other' }, byService)).toBe(false);
  });

  it('an agent reaches only what they started', () => {
    const agent = (subject: string) => ({ consumer: 'portal', agent: { subject, supervisor: false } });
    expect(mayAccess(agent('a1'), byAgent)).toBe(true);
    expect(mayAccess(agent('a2'), byAgent)).toBe(false);
    expect(mayAccess(agent('a1'), byService)).toBe(false);
    // A consumer id that happens to equal an agent's subject is not that agent.
    expect(mayAccess(agent('portal'), byService)).toBe(false);
  });

  it("a supervisor reaches all of the consumer's, and still none of another consumer's", () => {
    const supervisor = { consumer: 'portal', agent: { subject: 's1', supervisor: true } };
    expect([mayAccess(supervisor, byAgent), mayAccess(supervisor, byService)]).toEqual([true, true]);
    expect(mayAccess({ ...supervisor, consumer: 'other' }, byAgent)).toBe(false);
  });
});
