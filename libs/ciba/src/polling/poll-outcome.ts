import type { OutcomeErrorCode } from '../authentication/outcome-error.js';

/** The token response of an approved authentication, as the provider sent it (not yet verified). */
export interface RawTokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  [extra: string]: unknown;
}

/** What one token-endpoint poll learned (CIBA Core §10.1, §11). */
export type PollOutcome =
  | { kind: 'pending'; progress?: string; retryAfterSeconds?: number }
  | { kind: 'slow_down'; progress?: string; retryAfterSeconds?: number }
  /** Network error, timeout, 5xx, 429, `temporarily_unavailable`: try again later. */
  | { kind: 'transient'; reason: string; retryAfterSeconds?: number }
  | { kind: 'approved'; tokens: RawTokenResponse }
  /**
   * Two-step profiles: the first step is done and the customer must give a code; `state` is
   * what the second step needs (e.g. TBC's middle ID Token). It is stored encrypted.
   */
  | { kind: 'user_code_required'; state: Record<string, unknown> }
  | { kind: 'denied'; providerError: string }
  | { kind: 'expired' }
  | { kind: 'failed'; code: OutcomeErrorCode; description: string; providerError?: string };
