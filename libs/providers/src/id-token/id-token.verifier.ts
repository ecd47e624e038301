import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { tokenHash } from './token-hash.js';

/** CIBA Core §10.3.1 claim names. */
export const AUTH_REQ_ID_CLAIM = 'urn:openid:params:jwt:claim:auth_req_id';
export const RT_HASH_CLAIM = 'urn:openid:params:jwt:claim:rt_hash';

/** Asymmetric algorithms only: `none` and HMAC (keyed with a secret we share) are refused. */
export const DEFAULT_ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class IdTokenInvalidError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdTokenInvalidError';
  }
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  authReqId?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Require the CIBA binding claims (push mode, CIBA Core §10.3.1). */
  requireBindingClaims?: boolean;
}

/**
 * Full ID Token validation with jose: signature against the provider's JWKS, `iss`, `aud` (and
 * `azp` with several audiences), `exp`, `iat`, `sub`, and the CIBA hash and `auth_req_id` claims
 * when present. The claims are kept as evidence, so the signature is always checked, even for a
 * token that came over our own TLS connection.
 */
export class IdTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    jwksUri: string,
    private readonly options: { algorithms?: string[]; clockToleranceSeconds?: number; maxAgeSeconds?: number } = {},
  ) {
    this.keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  async verify(idToken: string, expected: IdTokenExpectations): Promise<JWTPayload> {
    const tolerance = this.options.clockToleranceSeconds ?? 30;
    let payload: JWTPayload;
    let alg: string;
    try {
      alg = decodeProtectedHeader(idToken).alg ?? '';
      ({ payload } = await jwtVerify(idToken, this.keys, {
        issuer: expected.issuer,
        audience: expected.clientId,
        algorithms: this.options.algorithms ?? DEFAULT_ID_TOKEN_ALGORITHMS,
        clockTolerance: tolerance,
        maxTokenAge: this.options.maxAgeSeconds ?? 600,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (error) {
      throw new IdTokenInvalidError(`ID Token rejected: ${(error as Error).message}`, { cause: error });
    }
    if ((payload.iat ?? 0) > Date.now() / 1000 + tolerance) throw new IdTokenInvalidError('ID Token rejected: iat is in the future');
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
      throw new IdTokenInvalidError('ID Token rejected: several audiences and azp is not our client id');
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new IdTokenInvalidError('ID Token rejected: sub is missing');
    this.checkBinding(payload, alg, expected);
    return payload;
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
