import type { AuthenticationResult, OutcomeError, RawTokenResponse } from '@ciba/ciba';
import type { JWTPayload } from 'jose';
import { normaliseText } from '../hint.js';
import type { VerificationContext } from '../profile-adapter.js';
import { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM } from './id-token.verifier.js';

/** Protocol claims: evidence of the token, not facts about the customer. */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'azp',
  'nonce',
  'sid',
  'at_hash',
  'c_hash',
  's_hash',
  'acr',
  'amr',
  'auth_time',
  AUTH_REQ_ID_CLAIM,
  RT_HASH_CLAIM,
]);

/** The result document of API.md §4 from a verified ID Token and its token response. */
export function buildResult(payload: JWTPayload, tokens: RawTokenResponse, amrOverride?: string[]): AuthenticationResult {
  const claims = Object.fromEntries(Object.entries(payload).filter(([name]) => !PROTOCOL_CLAIMS.has(name)));
  const amr = amrOverride ?? (Array.isArray(payload.amr) ? payload.amr.filter((v): v is string => typeof v === 'string') : null);
  return {
    subject: String(payload.sub),
    claims,
    acr: typeof payload.acr === 'string' ? payload.acr : null,
    amr,
    authTime: typeof payload.auth_time === 'number' ? new Date(payload.auth_time * 1000).toISOString() : null,
    tokens: {
      accessToken: tokens.access_token,
      idToken: tokens.id_token,
      refreshToken: tokens.refresh_token,
      tokenType: tokens.token_type,
      expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : undefined,
      scope: tokens.scope,
    },
  };
}

/**
 * The person the provider authenticated must be the one the consumer asked for, and at the
 * assurance asked for. Returns the reason to fail, or null.
 */
export function checkIdentityAndAcr(
  payload: JWTPayload,
  context: VerificationContext,
  canonical: (claimValue: string) => string = normaliseText,
): OutcomeError | null {
  const claim = context.hint.identityClaim;
  if (claim && payload[claim] !== undefined && canonical(claimText(payload[claim])) !== context.hint.customer) {
    return { code: 'identity_mismatch', description: `The provider authenticated another person (${claim} differs from the hint).` };
  }
  const requested = context.requestedAcr?.split(/\s+/).filter(Boolean) ?? [];
  if (requested.length > 0 && typeof payload.acr === 'string' && !requested.includes(payload.acr)) {
    return { code: 'insufficient_acr', description: `The provider authenticated at "${payload.acr}", not at the level requested.` };
  }
  return null;
}

/** A claim as text for comparison: strings and numbers as they are, anything else as JSON. */
const claimText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
