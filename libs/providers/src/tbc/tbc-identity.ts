import type { OutcomeError } from '@ciba/ciba';
import type { JWTPayload } from 'jose';
import { canonicalClaimDigits, type TbcHintKey } from './tbc-hint.js';

/** The ID Token claims that name the person, per hint kind (OIDC Core §5.1 `phone_number`; TBC's `msisdn`). */
const IDENTITY_CLAIMS: Record<TbcHintKey, readonly string[]> = {
  personal_number: ['personal_number'],
  msisdn: ['phone_number', 'msisdn'],
};

/** The claim we ask TBC to put in the ID Token for a hint kind (added to `claims` as essential). */
export const REQUESTED_IDENTITY_CLAIM: Record<TbcHintKey, string> = {
  personal_number: 'personal_number',
  msisdn: 'phone_number',
};

/**
 * Identity binding: the person in the final ID Token must be the one in the hint. Stricter than
 * the generic rule, which lets a token without the claim pass: TBC is asked for the claim as
 * essential, so a token without any of them cannot be bound to the hint and fails. Every
 * identity claim present must match (a token naming two different phones is no proof).
 */
export function checkTbcIdentity(payload: JWTPayload, customer: string): OutcomeError | null {
  const separator = customer.indexOf(':');
  const key = customer.slice(0, separator) as TbcHintKey;
  const expected = customer.slice(separator + 1);
  const names = IDENTITY_CLAIMS[key];
  if (!names) return { code: 'identity_mismatch', description: 'The authentication has no TBC hint to compare the ID Token with.' };
  const present = names.filter((name) => payload[name] !== undefined && payload[name] !== null);
  if (present.length === 0) {
    return {
      code: 'identity_mismatch',
      description: `The ID Token carries no ${names.join(' or ')}, so it cannot be matched to the hint.`,
    };
  }
  for (const name of present) {
    const value = payload[name];
    if ((typeof value !== 'string' && typeof value !== 'number') || canonicalClaimDigits(key, String(value)) !== expected) {
      return { code: 'identity_mismatch', description: `The provider authenticated another person (${name} differs from the hint).` };
    }
  }
  return null;
}
