import { invalidRequest } from '@ciba/ciba';
import { mask } from '../hint.js';
import type { HintInput, PreparedHint } from '../profile-adapter.js';

/** Control and invisible formatting characters (bidi overrides, zero-width) have no place in a subject. */
const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;
const MAX_LENGTH = 2048;

/**
 * SimpleIdServer looks `login_hint` up as the user's subject in the realm (its
 * `BCAuthorizeRequestValidator.CheckLoginHint`), and the ID Token's `sub` is that subject. So the
 * hint is sent as given after a trim, with no Unicode folding: a folded value would name another
 * user, or none. `sub` must equal it exactly (identity binding).
 *
 * Only `loginHint` is taken: with `login_hint_token` or `id_token_hint` we could not bind the
 * approval to a customer we know (a decision where the seed is silent; it shows `login_hint` only).
 */
export function prepareSimpleIdServerHint(input: HintInput): PreparedHint {
  if (input.kind !== 'login_hint') {
    throw invalidRequest("This provider takes loginHint (the SimpleIdServer user's subject), not loginHintToken or idTokenHint");
  }
  if (typeof input.value !== 'string') throw invalidRequest("loginHint must be a string (the user's subject) for this provider");
  const value = input.value.trim();
  if (value.length === 0 || value.length > MAX_LENGTH) throw invalidRequest(`loginHint must be 1 to ${MAX_LENGTH} characters`);
  if (FORBIDDEN.test(value)) throw invalidRequest('loginHint contains control or invisible characters');
  return { param: 'login_hint', value, customer: value, identityClaim: 'sub', masked: mask(value) };
}

/** The canonical form of the ID Token's `sub`: exact, only surrounding white space removed. */
export const canonicalSubject = (claimValue: string): string => claimValue.trim();
