import type { AgentSessionIdentity } from '@ciba/store';

/** The agent a verified ID Token describes, as a session keeps them. */
export type SignedInIdentity = Omit<AgentSessionIdentity, 'csrfToken'>;

/** What one callback from the workforce provider came to. */
export type SignInOutcome =
  /** Verified, and holds the agent or the supervisor role. */
  | { kind: 'signed_in'; agent: SignedInIdentity }
  /** Verified, but holds neither role: no session (API.md §7). */
  | { kind: 'no_role'; name: string }
  /** No sign-in of this browser matches (no or another login cookie, unknown, used or expired state). */
  | { kind: 'bad_state' }
  /** The provider answered with an error (RFC 6749 §4.1.2.1), e.g. `access_denied`. */
  | { kind: 'provider_error'; error: string }
  /** The provider's answer did not verify (code refused, ID Token invalid, state or issuer wrong). */
  | { kind: 'failed' }
  /** The provider could not be reached. */
  | { kind: 'unavailable' };
