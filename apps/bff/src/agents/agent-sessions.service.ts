import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AgentsConfig, CibaConfig } from '@ciba/config';
import { AgentSessionRepository, storeFailureKind, type AgentSession, type AgentSessionIdentity } from '@ciba/store';
import type { Request } from 'express';
import { CIBA_CONFIG } from '../tokens.js';
import { cookieOf } from './cookie-header.js';
import { SESSION_COOKIE } from './console-cookies.js';
import { overHttps } from './public-origin.js';

/** A session found from a request's cookie, with the id that cookie holds. */
export interface FoundSession {
  id: string;
  session: AgentSession;
}

/** 256 bits from the CSPRNG, base64url: session ids and CSRF tokens (OWASP session management). */
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Branch agents' sessions as the HTTP side sees them: started at sign-in (always under a new id),
 * found from the request's cookie, ended at sign-out.
 */
@Injectable()
export class AgentSessions {
  private readonly agents: AgentsConfig;

  constructor(
    @Inject(AgentSessionRepository) private readonly sessions: AgentSessionRepository,
    @Inject(CIBA_CONFIG) config: CibaConfig,
  ) {
    this.agents = config.agents!;
  }

  /**
   * A session for an agent who just signed in, with its own CSRF token. The id is new even when
   * the browser held a session (OWASP: renew the id at every privilege change, so an id planted
   * before sign-in is worth nothing), and that older session is ended.
   */
  async start(agent: Omit<AgentSessionIdentity, 'csrfToken'>, previousId?: string): Promise<FoundSession> {
    if (previousId) await this.sessions.delete(previousId);
    const id = randomToken();
    const session = await this.sessions.create(id, { ...agent, csrfToken: randomToken() });
    return { id, session };
  }

  async end(id: string): Promise<void> {
    await this.sessions.delete(id);
  }

  /** The session id the request's cookie holds (the cookie named for its protocol), if any. */
  idOf(request: Request): string | undefined {
    return cookieOf(request, SESSION_COOKIE.name(overHttps(request, this.agents))) || undefined;
  }

  /**
   * The session the request's cookie names, or null. A `use` slides the idle expiry; a `peek`
   * does not. API.md §6: a read is not refused because the slide (a write) was refused while
   * Redis still answers reads; it is served from a peek. Any other store failure is thrown (503).
   */
  async find(request: Request, mode: 'use' | 'peek', readOnly: boolean): Promise<FoundSession | null> {
    const id = this.idOf(request);
    if (!id) return null;
    let session: AgentSession | null;
    try {
      session = mode === 'use' ? await this.sessions.use(id) : await this.sessions.peek(id);
    } catch (error) {
      if (!(mode === 'use' && readOnly && storeFailureKind(error) === 'refusing')) throw error;
      session = await this.sessions.peek(id);
    }
    return session ? { id, session } : null;
  }
}
