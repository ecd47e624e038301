import { invalidRequest } from '@ciba/ciba';
import { mask, normaliseText } from '../hint.js';
import type { HintInput, PreparedHint } from '../profile-adapter.js';
import { parseSsn } from './idura-ssn.js';

/** Seed 002: Idura's CIBA `login_hint` names the person by national identity number. */
export const SSN_HINT_PREFIX = 'sub:ssn:';
/** The ID Token claim holding the SSN (seed 002 sample token; Idura's JWT payload reference). */
export const SSN_CLAIM = 'ssn';

const HINT_FORMS = 'loginHint must be {"ssn": "<personnummer or fødselsnummer>"}, "sub:ssn:<number>" or the bare number';

/**
 * The customer's SSN as Idura takes it: `login_hint=sub:ssn:<digits>`, built from
 * `{"ssn": "..."}`, from a `sub:ssn:...` string or from the bare number, always checked (Luhn or
 * mod 11) and sent in canonical form (a 10-digit personnummer becomes 12 digits), so a typo is a
 * 400 here and never an alert on a stranger's phone.
 */
export function prepareIduraHint(input: HintInput): PreparedHint {
  if (input.kind !== 'login_hint') {
    throw invalidRequest('Idura takes the customer as loginHint (an SSN); loginHintToken and idTokenHint are not supported');
  }
  const ssn = parseSsn(ssnText(input.value));
  return {
    param: 'login_hint',
    value: `${SSN_HINT_PREFIX}${ssn.digits}`,
    customer: ssn.digits,
    identityClaim: SSN_CLAIM,
    masked: mask(ssn.digits),
  };
}

function ssnText(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') {
    const text = normaliseText(value);
    return text.startsWith(SSN_HINT_PREFIX) ? text.slice(SSN_HINT_PREFIX.length) : text;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'ssn') throw invalidRequest(HINT_FORMS);
  // A JSON number would lose a Norwegian number's leading zero: only strings are taken.
  if (typeof value.ssn !== 'string') throw invalidRequest('loginHint.ssn must be a string');
  return value.ssn;
}
