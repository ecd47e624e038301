import type { AuthenticationResult } from '@ciba/ciba';
import type { VerificationContext, VerifiedOutcome } from '../profile-adapter.js';
import { SSN_CLAIM } from './idura-hint.js';
import { canonicalSsn } from './idura-ssn.js';

/** Idura's Norwegian BankID names the SSN `socialno` (Idura's JWT payload reference). */
const NORWEGIAN_SSN_CLAIM = 'socialno';

/**
 * Idura's own claims, read after the ID Token passed every standard check:
 * - identity binding: the SSN claim (`ssn`, else `socialno`) must be the hint's SSN; a token
 *   without one cannot prove who approved, so it fails rather than passing unchecked;
 * - Idura's tokens carry the eID in `authenticationtype` and the time in `authenticationinstant`
 *   (seed 002 sample) instead of `acr` and `auth_time`: they fill those, and the eID must be the
 *   one requested.
 */
export function bindIduraResult(result: AuthenticationResult, context: VerificationContext, now = new Date()): VerifiedOutcome {
  const claims = result.claims;
  const claimed = claims[SSN_CLAIM] ?? claims[NORWEGIAN_SSN_CLAIM];
  if (typeof claimed !== 'string' && typeof claimed !== 'number') {
    return {
      kind: 'failed',
      error: {
        code: 'identity_mismatch',
        description: 'The ID Token names no SSN, so the person who approved cannot be matched to the hint.',
      },
    };
  }
  if (canonicalSsn(String(claimed), now) !== context.hint.customer) {
    return {
      kind: 'failed',
      error: { code: 'identity_mismatch', description: 'The provider authenticated another person (the SSN differs from the hint).' },
    };
  }
  const eid = typeof claims.authenticationtype === 'string' ? claims.authenticationtype : null;
  const acr = result.acr ?? eid;
  const requested = context.requestedAcr?.trim();
  if (result.acr === null && eid !== null && requested && eid !== requested && !eid.startsWith(`${requested}:`)) {
    return {
      kind: 'failed',
      error: { code: 'insufficient_acr', description: `The provider authenticated with "${eid}", not with the eID requested.` },
    };
  }
  return { kind: 'approved', result: { ...result, acr, authTime: result.authTime ?? instant(claims.authenticationinstant) } };
}

function instant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
