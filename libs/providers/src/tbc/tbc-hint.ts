import { invalidRequest } from '@ciba/ciba';
import { mask, normaliseText } from '../hint.js';
import type { HintInput, PreparedHint } from '../profile-adapter.js';

/** The two keys TBC accepts in `login_hint` (seed: "LoginHint must contain only one parameter"). */
export type TbcHintKey = 'personal_number' | 'msisdn';

const KEYS: readonly TbcHintKey[] = ['personal_number', 'msisdn'];

/** Separators a person may type inside a number: spaces, dashes of any kind, dots. */
const SEPARATORS = /[\s\p{Pd}.]/gu;
/** A Georgian personal number: 11 digits. */
const PERSONAL_NUMBER = /^\d{11}$/;
/** E.164: country code first, at most 15 digits; no leading 0 (that is a trunk or `00` prefix). */
const MSISDN = /^[1-9]\d{7,14}$/;

/**
 * TBC's `login_hint`: an object with exactly one of `personal_number` or `msisdn`, validated and
 * normalised here so that a malformed hint is a 400 and never reaches the bank (API.md §4).
 * The value travels as a JSON string in the form field (the seed types it "object"; a form field
 * can only carry text, and JSON is how the other object fields, such as `claims`, travel).
 * Messages say what is wrong without echoing the value: it is personal data.
 */
export function prepareTbcHint(input: HintInput): PreparedHint {
  if (input.kind !== 'login_hint') {
    throw invalidRequest('This provider takes only loginHint, an object with exactly one of "personal_number" or "msisdn".');
  }
  const hint = input.value;
  if (hint === null || typeof hint !== 'object' || Array.isArray(hint)) {
    throw invalidRequest(
      'loginHint must be an object with exactly one of "personal_number" or "msisdn", e.g. {"personal_number": "01001011111"}.',
    );
  }
  const keys = Object.keys(hint);
  const unknown = keys.filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw invalidRequest(
      `loginHint may hold only "personal_number" or "msisdn"; remove ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}.`,
    );
  }
  if (keys.length !== 1)
    throw invalidRequest('loginHint must hold exactly one of "personal_number" or "msisdn", not both and not neither.');
  const key = keys[0] as TbcHintKey;
  const digits = canonicalDigits(key, hint[key]);
  return {
    param: 'login_hint',
    value: JSON.stringify({ [key]: digits }),
    // The kind is part of the customer: an 11-digit msisdn is not the same person as that personal number.
    customer: `${key}:${digits}`,
    identityClaim: key,
    masked: `${key}:${mask(digits)}`,
  };
}

/** The digits of a hint value, or a 400 that says why there are none. */
function canonicalDigits(key: TbcHintKey, raw: unknown): string {
  const field = `loginHint.${key}`;
  if (typeof raw !== 'string') throw invalidRequest(`${field} must be a string of digits (a number would lose leading zeros).`);
  let value = normaliseText(raw).replace(SEPARATORS, '');
  if (key === 'msisdn' && value.startsWith('+')) value = value.slice(1);
  if (value === '') throw invalidRequest(`${field} is empty.`);
  if (!/^\d+$/.test(value)) {
    const allowed = key === 'msisdn' ? 'digits, spaces, dashes, dots and a leading +' : 'digits, spaces, dashes and dots';
    throw invalidRequest(`${field} may contain only ${allowed}.`);
  }
  if (key === 'personal_number' && !PERSONAL_NUMBER.test(value)) {
    throw invalidRequest(`${field} must be 11 digits (a Georgian personal number); it has ${value.length}.`);
  }
  if (key === 'msisdn' && !MSISDN.test(value)) {
    throw invalidRequest(
      `${field} must be 8 to 15 digits with the country code first and no leading 0 (e.g. 995599123456); it has ${value.length}${value.startsWith('0') ? ' and starts with 0' : ''}.`,
    );
  }
  return value;
}

/**
 * The canonical digits of an ID Token identity claim: the same folding as the hint, and for phone
 * numbers everything but digits dropped ("+995 599 12-34-56" is 995599123456).
 */
export function canonicalClaimDigits(key: TbcHintKey, claimValue: string): string {
  const text = normaliseText(claimValue);
  return key === 'msisdn' ? text.replace(/\D/g, '') : text.replace(SEPARATORS, '');
}
