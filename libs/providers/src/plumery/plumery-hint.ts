import { invalidRequest } from '@ciba/ciba';
import { mask, normaliseText } from '../hint.js';
import type { HintInput, PreparedHint } from '../profile-adapter.js';
import { personalId, phoneNumber, type PersonalId } from './plumery-identifiers.js';

/** What the hint carries besides the `login_hint` itself: the fields Plumery's methods need. */
export interface PlumeryHintDetails {
  /** Sent as `personal_id` + `country` (smart-id needs them). */
  personalId?: PersonalId;
  /** Sent as `phone_number` (mobile-id needs it). */
  phoneNumber?: string;
}

/** A prepared hint with Plumery's extra fields; personal data, never stored or logged. */
export interface PlumeryPreparedHint extends PreparedHint {
  plumery: PlumeryHintDetails;
}

/** The ID Token claims compared with the hint (see README, "Identity binding"). */
export interface IdentityClaims {
  username: string;
  personalId: string;
}

// Seed: "personalId:{countryCode}:{personalId}", "username:{username}", or the plain username.
const PERSONAL_ID_PREFIX = /^personalid:/i;
const USERNAME_PREFIX = /^username:/i;
/** No spaces, no colon (it would read as another prefix), no control or invisible characters. */
const USERNAME_RULE = /^[^\s:\p{Cc}\p{Cf}]{1,128}$/u;
const OBJECT_KEYS = new Set(['username', 'personalId', 'phoneNumber']);
const PERSONAL_ID_KEYS = new Set(['country', 'id']);

/**
 * The consumer's `loginHint` in Plumery's terms: a string (`jonas`, `username:jonas`,
 * `personalId:LT:38001085718`) or an object (`{"username"|"personalId", "phoneNumber"?}`).
 * Always sent with its prefix, so a name can never be read as another format.
 */
export function preparePlumeryHint(input: HintInput, claims: IdentityClaims): PlumeryPreparedHint {
  if (input.kind !== 'login_hint') {
    throw invalidRequest(
      'This provider takes loginHint only (a user name or a personal id); loginHintToken and idTokenHint are not supported',
    );
  }
  const hint = typeof input.value === 'string' ? fromString(input.value) : fromObject(input.value);
  if (hint.username !== undefined) {
    return {
      param: 'login_hint',
      value: `username:${hint.username}`,
      customer: `username:${canonicalUsername(hint.username)}`,
      identityClaim: claims.username,
      masked: `username:${mask(hint.username)}`,
      plumery: hint.details,
    };
  }
  const { country, id } = hint.details.personalId!;
  return {
    param: 'login_hint',
    value: `personalId:${country}:${id}`,
    customer: `personalId:${country}:${id}`,
    identityClaim: claims.personalId,
    masked: `personalId:${country}:${mask(id)}`,
    plumery: hint.details,
  };
}

/** Usernames are compared without regard to case (NFKC, then lower case). */
export function canonicalUsername(value: string): string {
  return normaliseText(value).toLowerCase();
}

interface ParsedHint {
  username?: string;
  details: PlumeryHintDetails;
}

function fromString(raw: string): ParsedHint {
  const value = normaliseText(raw);
  if (PERSONAL_ID_PREFIX.test(value)) {
    const parts = value.split(':');
    if (parts.length !== 3) throw invalidRequest('loginHint must look like personalId:<country>:<code>, e.g. personalId:LT:38001085718');
    return { details: { personalId: personalId(parts[1], parts[2], 'loginHint.personalId') } };
  }
  if (USERNAME_PREFIX.test(value)) return { username: username(value.slice('username:'.length), 'loginHint'), details: {} };
  if (value.includes(':')) throw invalidRequest('loginHint must be a user name, username:<name> or personalId:<country>:<code>');
  return { username: username(value, 'loginHint'), details: {} };
}

function fromObject(value: Record<string, unknown>): ParsedHint {
  const unknown = Object.keys(value).filter((key) => !OBJECT_KEYS.has(key));
  if (unknown.length > 0)
    throw invalidRequest(`loginHint has unknown members (${unknown.join(', ')}); allowed: username, personalId, phoneNumber`);
  if (value.username === undefined && value.personalId === undefined)
    throw invalidRequest('loginHint must name the customer by username or personalId');
  const details: PlumeryHintDetails = {};
  if (value.personalId !== undefined) details.personalId = personalIdObject(value.personalId);
  if (value.phoneNumber !== undefined) details.phoneNumber = phoneNumber(value.phoneNumber, 'loginHint.phoneNumber');
  const name = value.username === undefined ? undefined : username(value.username, 'loginHint.username');
  return { username: name, details };
}

function personalIdObject(value: unknown): PersonalId {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('loginHint.personalId must be an object {"country": "LT", "id": "38001085718"}');
  }
  const unknown = Object.keys(value).filter((key) => !PERSONAL_ID_KEYS.has(key));
  if (unknown.length > 0) throw invalidRequest(`loginHint.personalId has unknown members (${unknown.join(', ')}); allowed: country, id`);
  const { country, id } = value as Record<string, unknown>;
  return personalId(country, id, 'loginHint.personalId');
}

function username(value: unknown, field: string): string {
  const name = typeof value === 'string' ? normaliseText(value) : '';
  if (!USERNAME_RULE.test(name)) throw invalidRequest(`${field} must be a user name of 1-128 characters without spaces or colons`);
  return name;
}
