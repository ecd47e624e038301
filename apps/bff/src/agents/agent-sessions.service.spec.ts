import { parseConfig } from '@ciba/config';
import type { AgentSession, AgentSessionRepository } from '@ciba/store';
import type { Request } from 'express';
import { AgentSessions } from './agent-sessions.service.js';

const config = parseConfig({
  providers: { sandbox: { issuer: 'https://op.example', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 's' } } },
  consumers: { desk: { providers: ['sandbox'] } },
  agents: {
    idp: { issuer: 'https://sso.example', clientId: 'console', clientAuth: { method: 'client_secret_basic', secret: 's' } },
    consumer: 'desk',
  },
});

const session = { subject: 'agent-anna', csrfToken: 't' } as AgentSession;
/** What Redis answers a write when it is a read-only replica or out of memory: reads still work. */
const refusal = Object.assign(new Error("READONLY You can't write against a read only replica."), { name: 'ReplyError' });
const unreachable = new Error('Connection is closed.');

function sessionsWith(use: () => Promise<AgentSession | null>) {
  const calls: string[] = [];
  const repository = {
    use: async () => (calls.push('use'), use()),
    peek: async () => (calls.push('peek'), session),
  } as unknown as AgentSessionRepository;
  return { sessions: new AgentSessions(repository, config), calls };
}

const withCookie = { protocol: 'http', headers: { host: 'bff', cookie: 'ciba-console=abc' } } as unknown as Request;

describe('finding the session of a request when Redis refuses writes (API.md §6)', () => {
  it('a read is served from a peek when sliding the expiry was refused', async () => {
    const { sessions, calls } = sessionsWith(() => Promise.reject(refusal));
    expect(await sessions.find(withCookie, 'use', true)).toEqual({ id: 'abc', session });
    expect(calls).toEqual(['use', 'peek']);
  });

  it('a write is not: the refusal stands (503 store_unavailable)', async () => {
    await expect(sessionsWith(() => Promise.reject(refusal)).sessions.find(withCookie, 'use', false)).rejects.toBe(refusal);
  });

  it('an unreachable Redis is a failure for reads too', async () => {
    await expect(sessionsWith(() => Promise.reject(unreachable)).sessions.find(withCookie, 'use', true)).rejects.toBe(unreachable);
  });

  it('reads only the cookie named for the protocol: over https, a prefix-less cookie is not ours', async () => {
    const { sessions, calls } = sessionsWith(async () => session);
    const https = { protocol: 'https', headers: { host: 'bff', cookie: 'ciba-console=abc' } } as unknown as Request;
    expect(await sessions.find(https, 'use', true)).toBeNull();
    expect(calls).toEqual([]);
    const prefixed = { protocol: 'https', headers: { host: 'bff', cookie: '__Host-ciba-console=abc' } } as unknown as Request;
    expect(await sessions.find(prefixed, 'use', true)).toEqual({ id: 'abc', session });
  });
});
