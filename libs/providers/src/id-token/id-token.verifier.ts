import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { cappedFetch, type ProviderFetch } from '../http/capped-fetch.js';
import { IdTokenInvalidError } from './id-token-invalid.error.js';
import { IdTokenVerificationDeferredError } from './id-token-verification-deferred.error.js';
import { ProviderKeySet } from './provider-key-set.js';
import { tokenHash } from './token-hash.js';
import type { LoadState } from '../profile-adapter.js';

/** CIBA Core §10.3.1 claim names. */
export const AUTH_REQ_ID_CLAIM = 'urn:openid:params:jwt:claim:auth_req_id';
export const RT_HASH_CLAIM = 'urn:openid:params:jwt:claim:rt_hash';

/** Asymmetric algorithms only: `none` and HMAC (keyed with a secret we share) are refused. */
export const DEFAULT_ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  authReqId?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Require the CIBA binding claims (push mode, CIBA Core §10.3.1). */
  requireBindingClaims?: boolean;
}

/** The `maxResponseBytes` default, for a verifier built without a provider's fetch. */
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

/** One provider's settings for ID Token validation. */
export interface IdTokenVerifierOptions {
  algorithms?: string[];
  clockToleranceSeconds?: number;
  maxAgeSeconds?: number;
  /** Audiences besides our client id a token may name (`trustedAudiences`, OIDC Core §3.1.3.7). */
  trustedAudiences?: readonly string[];
  /** Least seconds between two JWKS fetches (`jwksCooldownSeconds`). */
  jwksCooldownSeconds?: number;
  /** How long one JWKS fetch may take. */
  jwksTimeoutSeconds?: number;
  /** The provider's fetch (mutual TLS, `maxResponseBytes`); else the global one, capped at 64 KiB. */
  fetch?: ProviderFetch;
}

/**
 * Full ID Token validation with jose: signature against the provider's JWKS, `iss`, `aud` (and
 * `azp` with several audiences), `exp`, `iat`, `sub`, and the CIBA hash and `auth_req_id` claims
 * when present. The claims are kept as evidence, so the signature is always checked, even for a
 * token that came over our own TLS connection.
 *
 * Throws `IdTokenInvalidError` for a token that must be refused, and
 * `IdTokenVerificationDeferredError` when the check could not run (see `ProviderKeySet`).
 */
export class IdTokenVerifier {
  private readonly keys: ProviderKeySet;

  constructor(
    jwksUri: string,
    private readonly options: IdTokenVerifierOptions = {},
  ) {
    this.keys = new ProviderKeySet(jwksUri, {
      cooldownMs: (options.jwksCooldownSeconds ?? 30) * 1000,
      timeoutMs: (options.jwksTimeoutSeconds ?? 5) * 1000,
      fetch: options.fetch ?? cappedFetch(undefined, DEFAULT_MAX_RESPONSE_BYTES),
    });
  }

  /** Whether the provider's keys were fetched (readiness). */
  get keysState(): LoadState {
    return this.keys.state;
  }

  async verify(idToken: string, expected: IdTokenExpectations): Promise<JWTPayload> {
    const tolerance = this.options.clockToleranceSeconds ?? 30;
    let payload: JWTPayload;
    let alg: string;
    try {
      alg = decodeProtectedHeader(idToken).alg ?? '';
      ({ payload } = await jwtVerify(idToken, this.keys.getKey, {
        issuer: expected.issuer,
        audience: expected.clientId,
        algorithms: this.options.algorithms ?? DEFAULT_ID_TOKEN_ALGORITHMS,
        clockTolerance: tolerance,
        maxTokenAge: this.options.maxAgeSeconds ?? 600,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof IdTokenVerificationDeferredError) throw error;
      throw new IdTokenInvalidError(`ID Token rejected: ${(error as Error).message}`, { cause: error });
    }
    if ((payload.iat ?? 0) > Date.now() / 1000 + tolerance) throw new IdTokenInvalidError('ID Token rejected: iat is in the future');
    this.checkAudiences(payload, expected.clientId);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new IdTokenInvalidError('ID Token rejected: sub is missing');
    this.checkBinding(payload, alg, expected);
    return payload;
  }

  /**
   * OIDC Core §3.1.3.7 (3): refuse a token that names an audience we do not trust (jose checked
   * that ours is among them); (4): with several audiences, `azp` must be our client id.
   */
  private checkAudiences(payload: JWTPayload, clientId: string): void {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const trusted = this.options.trustedAudiences ?? [];
    const stranger = audiences.find((audience) => audience !== clientId && !trusted.includes(String(audience)));
    if (stranger !== undefined) throw new IdTokenInvalidError('ID Token rejected: it names an audience this client does not trust');
    if (audiences.length > 1 && payload.azp !== clientId) {
      throw new IdTokenInvalidError('ID Token rejected: several audiences and azp is not our client id');
    }
  }

  private checkBinding(payload: JWTPayload, alg: string, expected: IdTokenExpectations): void {
    const claimedReqId = payload[AUTH_REQ_ID_CLAIM];
    if (expected.requireBindingClaims && claimedReqId === undefined)
      throw new IdTokenInvalidError(`ID Token rejected: ${AUTH_REQ_ID_CLAIM} is missing`);
    if (claimedReqId !== undefined && claimedReqId !== expected.authReqId) {
      throw new IdTokenInvalidError(`ID Token rejected: ${AUTH_REQ_ID_CLAIM} does not match the request`);
    }
    this.checkHash(payload.at_hash, expected.accessToken, alg, 'at_hash', expected.requireBindingClaims);
    this.checkHash(payload[RT_HASH_CLAIM], expected.refreshToken, alg, RT_HASH_CLAIM, expected.requireBindingClaims);
  }

  private checkHash(claim: unknown, token: string | undefined, alg: string, name: string, required?: boolean): void {
    if (token === undefined) return;
    if (claim === undefined) {
      if (required) throw new IdTokenInvalidError(`ID Token rejected: ${name} is missing`);
      return;
    }
    if (claim !== tokenHash(token, alg)) throw new IdTokenInvalidError(`ID Token rejected: ${name} does not match the token`);
  }
}
