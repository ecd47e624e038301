import type { OutcomeError, RawTokenResponse } from '@ciba/ciba';
import type { JWTPayload } from 'jose';
import { normaliseText } from '../hint.js';
import type { VerificationContext } from '../profile-adapter.js';
import { canonicalUsername } from './plumery-hint.js';

/**
 * The seed names the member only as "Authentication method performed by the user" (its JSON
 * name is cut off after "authenticatio"). The configured name is read first, then these.
 */
export const METHOD_FIELD_ALTERNATIVES = ['authentication_method', 'authenticationMethod', 'auth_method', 'authentication_type'];
/** A method value we pass on: short, and safe to show (`smart-id`, `app-biometrics`, …). */
const METHOD_RULE = /^[A-Za-z0-9_.:-]{1,64}$/;

export type MethodReading = { kind: 'absent' } | { kind: 'method'; method: string } | { kind: 'invalid' };

/** The method the token response names, if it names one. */
export function authenticationMethod(tokens: RawTokenResponse, primaryField: string): MethodReading {
  for (const field of [primaryField, ...METHOD_FIELD_ALTERNATIVES]) {
    const value = tokens[field];
    if (value === undefined || value === null) continue;
    return typeof value === 'string' && METHOD_RULE.test(value) ? { kind: 'method', method: value } : { kind: 'invalid' };
  }
  return { kind: 'absent' };
}

/**
 * Identity binding: the person in the ID Token must be the one the hint named. A claim the token
 * does not carry is not compared (as in the generic rule); one it carries must match.
 */
export function identityMismatch(payload: JWTPayload, hint: VerificationContext['hint']): OutcomeError | null {
  const claim = hint.identityClaim;
  const value = claim === undefined ? undefined : payload[claim];
  if (claim === undefined || value === undefined || value === null) return null;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (matches(hint.customer, text)) return null;
  return { code: 'identity_mismatch', description: `The provider authenticated another person (${claim} differs from the hint).` };
}

function matches(customer: string, claimValue: string): boolean {
  if (customer.startsWith('username:')) return canonicalUsername(claimValue) === customer.slice('username:'.length);
  if (customer.startsWith('personalId:')) {
    const [, country, id] = customer.split(':');
    const claimed = readPersonalId(claimValue);
    return claimed.id === id && (claimed.country === undefined || claimed.country === country);
  }
  return normaliseText(claimValue) === customer;
}

/**
 * A personal id claim in the forms it plausibly takes: the bare code (`38001085718`), with our
 * country prefix (`LT:38001085718`), or as an ETSI EN 319 412-1 semantics identifier
 * (`PNOLT-38001085718`, the form Smart-ID and Mobile-ID certificates use).
 */
export function readPersonalId(value: string): { country?: string; id: string } {
  const text = normaliseText(value).toUpperCase();
  const etsi = /^PNO([A-Z]{2})-(.+)$/.exec(text);
  if (etsi) return { country: etsi[1], id: etsi[2] };
  const prefixed = /^([A-Z]{2}):(.+)$/.exec(text);
  if (prefixed) return { country: prefixed[1], id: prefixed[2] };
  return { id: text };
}

/**
 * The method asked for (`acr_values`) against the one performed: the token response's method
 * member, else the ID Token's `acr`. Neither given: not compared (as in the generic rule).
 */
export function methodMismatch(payload: JWTPayload, method: string | undefined, requestedAcr: string | null): OutcomeError | null {
  const requested = requestedAcr?.split(/\s+/).filter(Boolean) ?? [];
  const performed = method ?? (typeof payload.acr === 'string' ? payload.acr : undefined);
  if (requested.length === 0 || performed === undefined || requested.includes(performed)) return null;
  return { code: 'insufficient_acr', description: `The customer authenticated with "${performed}", not with the method requested.` };
}
