import { invalidRequest } from '@ciba/ciba';
import type { HintInput } from '@ciba/providers';
import type { Keyring } from '@ciba/store';
import type { StartAuthenticationDto } from './dto/start-authentication.dto.js';

/** Exactly one of loginHint, loginHintToken, idTokenHint (CIBA Core §7.1). */
export function hintOf(dto: StartAuthenticationDto): HintInput {
  const given: HintInput[] = [];
  if (dto.loginHint !== undefined) given.push({ kind: 'login_hint', value: dto.loginHint });
  if (dto.loginHintToken !== undefined) given.push({ kind: 'login_hint_token', value: dto.loginHintToken });
  if (dto.idTokenHint !== undefined) given.push({ kind: 'id_token_hint', value: dto.idTokenHint });
  if (given.length !== 1) throw invalidRequest('Give exactly one of loginHint, loginHintToken or idTokenHint.');
  return given[0];
}

/**
 * The fingerprint that tells a true repeat from a different request under the same key. Keyed
 * (HMAC): the body may hold a secret such as a user code, and a plain hash of a short secret can
 * be reversed by trying them all.
 */
export function fingerprint(dto: StartAuthenticationDto, keyring: Pick<Keyring, 'hmac'>): string {
  return keyring.hmac('idempotency', canonicalJson(dto));
}

/** True when a stored fingerprint is this body's under any key (it may predate a key rotation). */
export function sameFingerprint(stored: string, dto: StartAuthenticationDto, keyring: Pick<Keyring, 'hmacs'>): boolean {
  return keyring.hmacs('idempotency', canonicalJson(dto)).includes(stored);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
