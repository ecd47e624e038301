import { Inject, Injectable } from '@nestjs/common';
import { sessionExpired } from '@ciba/ciba';
import type { AgentsConfig, CibaConfig, ConsumerConfig } from '@ciba/config';
import type { Keyring } from '@ciba/store';
import type { Request } from 'express';
import { CIBA_CONFIG, KEYRING } from '../tokens.js';
import { AgentSessions } from './agent-sessions.service.js';
import { checkCsrf } from './csrf-check.js';
import type { SignedInAgent } from './signed-in-agent.js';

/** A request made by a signed-in branch agent: as whom, for which consumer, counted where. */
export interface AgentCaller {
  consumer: ConsumerConfig;
  agent: SignedInAgent;
  /** The agent's own rate-limit window (a keyed hash of the subject: no name in a Redis key). */
  limit: { key: string; perMinute: number };
}

/**
 * Authenticates a request by the console's session cookie instead of a Bearer value (API.md §7):
 * the session must be live (else `401 session_expired`), and a state-changing request must
 * also carry the session's CSRF token and a same-origin `Origin` (else `403 csrf_failed`).
 * Every such request is a use: it slides the session's idle expiry.
 */
@Injectable()
export class AgentRequestAuthenticator {
  private readonly agents: AgentsConfig;
  private readonly consumer: ConsumerConfig;

  constructor(
    @Inject(AgentSessions) private readonly sessions: AgentSessions,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(CIBA_CONFIG) config: CibaConfig,
  ) {
    this.agents = config.agents!;
    // The configuration check guarantees it exists.
    this.consumer = config.consumers.get(this.agents.consumer)!;
  }

  /** Whether the request presents a session cookie at all (else it is an unauthenticated call). */
  presentsSession(request: Request): boolean {
    return this.sessions.idOf(request) !== undefined;
  }

  async authenticate(request: Request, readOnly: boolean): Promise<AgentCaller> {
    const found = await this.sessions.find(request, 'use', readOnly);
    if (!found) throw sessionExpired();
    if (!readOnly) checkCsrf(request, this.agents, found.session.csrfToken);
    const { subject, name, roles, supervisor } = found.session;
    return {
      consumer: this.consumer,
      agent: { subject, name, roles, supervisor },
      limit: { key: this.keyring.hmac('agent-rate-limit', subject), perMinute: this.agents.rateLimit.perMinute },
    };
  }
}
