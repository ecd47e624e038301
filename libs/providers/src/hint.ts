import { invalidRequest } from '@ciba/ciba';
import type { HintInput, PreparedHint } from './profile-adapter.js';

// Control and invisible formatting characters (bidi overrides, zero-width) have no place in a hint.
const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;

/** NFKC folds fullwidth and other compatibility forms; Unicode digits become ASCII digits. */
export function normaliseText(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/\p{Nd}/gu, (digit) => String(digitValue(digit)))
    .trim();
}

function digitValue(digit: string): number {
  // Unicode decimal digits come in runs of ten, zero first; adjacent runs are whole tens.
  const code = digit.codePointAt(0)!;
  let runStart = code;
  while (runStart > 0 && /\p{Nd}/u.test(String.fromCodePoint(runStart - 1))) runStart -= 1;
  return (code - runStart) % 10;
}

/** Masks an identifier for logs: the last four characters stay visible for long ones. */
export function mask(value: string): string {
  if (value.length >= 8) return `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
  return `${value.slice(0, 1)}${'*'.repeat(Math.max(value.length - 1, 3))}`;
}

/** The generic rule: a plain string hint, token or ID Token, sent as given after normalisation. */
export function prepareGenericHint(input: HintInput): PreparedHint {
  if (typeof input.value !== 'string') {
    throw invalidRequest(`${fieldName(input.kind)} must be a string for this provider`);
  }
  const value = normaliseText(input.value);
  if (value.length === 0 || value.length > 2048) throw invalidRequest(`${fieldName(input.kind)} must be 1 to 2048 characters`);
  if (FORBIDDEN.test(value)) throw invalidRequest(`${fieldName(input.kind)} contains control or invisible characters`);
  if (input.kind === 'id_token_hint' && !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) {
    throw invalidRequest('idTokenHint must be a compact JWS (an ID Token this provider issued)');
  }
  return { param: input.kind, value, customer: value, masked: input.kind === 'login_hint' ? mask(value) : '[token]' };
}

export const fieldName = (kind: HintInput['kind']): string =>
  ({ login_hint: 'loginHint', login_hint_token: 'loginHintToken', id_token_hint: 'idTokenHint' })[kind];
