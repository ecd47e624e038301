/**
 * The state of one SimpleIdServer backchannel request and how its token endpoint judges a poll,
 * after `CIBAGrantTypeValidator` (simpleidserver/SimpleIdServer, Api/Token/Handlers), made
 * stricter where our tests need it to be.
 */

export interface SidUser {
  /** The subject: what `login_hint` names, and the ID Token's `sub`. */
  sub: string;
  /** What `user_code` must be: SimpleIdServer checks it against the user's password. */
  password: string;
  /** Profile claims released with the `profile` / `email` scopes. */
  claims?: Record<string, unknown>;
}

/** SimpleIdServer's `BCAuthorizeStatus`: Pending, Confirmed, Rejected, Sent (tokens issued). */
export type SidStatus = 'pending' | 'confirmed' | 'rejected' | 'sent';

export interface SidRequest {
  authReqId: string;
  clientId: string;
  sub: string;
  scopes: string[];
  acrValues?: string;
  bindingMessage?: string;
  status: SidStatus;
  createdAt: number;
  /** Epoch ms after which the request is expired (checked only after "pending", as the real one does). */
  expiresAt: number;
  /** A poll at or before this time gets `slow_down` (`NextFetchTime`). */
  nextFetchAt: number;
  interval: number;
  /** Set by the test: who approved, and anything the ID Token should say differently. */
  approval?: { at: number; sub?: string; claims?: Record<string, unknown> };
}

/** What the token endpoint answers to one poll: an OAuth error, or tokens. */
export type PollVerdict = { kind: 'error'; error: string; description: string } | { kind: 'issue' };

/**
 * One poll at `now`. Order as in SimpleIdServer: too early → `slow_down` whatever the status (even
 * after approval); pending → `authorization_pending` (before expiry is looked at, so forever after
 * it); rejected → `access_denied`; sent → `invalid_grant`; expired → `expired_token`; else tokens.
 * Stricter than the real one: a `slow_down` also pushes the next allowed time, so a client that
 * keeps polling early never gets through; and every answer, not only "pending", starts a new
 * interval.
 */
export function judgePoll(request: SidRequest, now: number): PollVerdict {
  const tooEarly = now <= request.nextFetchAt;
  request.nextFetchAt = now + request.interval * 1000;
  if (tooEarly) return { kind: 'error', error: 'slow_down', description: `too many requests for ${request.authReqId}` };
  switch (request.status) {
    case 'pending':
      return { kind: 'error', error: 'authorization_pending', description: `the request ${request.authReqId} is not confirmed` };
    case 'rejected':
      return { kind: 'error', error: 'access_denied', description: `the request ${request.authReqId} was rejected` };
    case 'sent':
      return { kind: 'error', error: 'invalid_grant', description: `the tokens of ${request.authReqId} were already sent` };
    case 'confirmed':
      if (now > request.expiresAt)
        return { kind: 'error', error: 'expired_token', description: `the request ${request.authReqId} expired` };
      request.status = 'sent';
      return { kind: 'issue' };
  }
}
