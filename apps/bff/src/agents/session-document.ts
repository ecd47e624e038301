import type { AgentSession } from '@ciba/store';

/** `GET /console/session` (API.md §7): who is signed in, the CSRF token for the page's calls, and until when. */
export interface SessionDocument {
  agent: { subject: string; name: string; roles: string[] };
  csrfToken: string;
  /** ISO 8601: the earlier of the idle and the absolute expiry. */
  expiresAt: string;
}

export function sessionDocument(session: AgentSession): SessionDocument {
  return {
    agent: { subject: session.subject, name: session.name, roles: session.roles },
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}
