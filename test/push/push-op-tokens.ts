import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { ApproveOptions, PushRequest } from './push-op-model.js';

/** CIBA Core §10.3.1 claim names (spelled here, not imported, so a typo in the product shows). */
export const AUTH_REQ_ID_CLAIM = 'urn:openid:params:jwt:claim:auth_req_id';
export const RT_HASH_CLAIM = 'urn:openid:params:jwt:claim:rt_hash';
const DEFAULT_ACR = 'urn:push-op:loa:2';

/** The push success body (CIBA Core §10.3): a token response plus `auth_req_id`. */
export interface PushSuccess {
  auth_req_id: string;
  access_token: string;
  token_type: 'Bearer';
  refresh_token?: string;
  expires_in: number;
  id_token: string;
}

/**
 * The provider's own RS256 signing key (never the client's), and a rogue key with the same `kid`
 * for pushes whose signature must not verify.
 */
export class PushTokenIssuer {
  private constructor(
    private readonly key: CryptoKey,
    private readonly rogueKey: CryptoKey,
    readonly jwk: JWK,
    private readonly issuer: string,
    private readonly clientId: string,
  ) {}

  static async create(issuer: string, clientId: string): Promise<PushTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const rogue = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
    return new PushTokenIssuer(privateKey, rogue.privateKey, jwk, issuer, clientId);
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  /** The tokens of an approved request, with the binding claims right unless `tamper` says otherwise. */
  async success(request: PushRequest, options: ApproveOptions = {}): Promise<PushSuccess> {
    const accessToken = randomBytes(32).toString('base64url');
    const withRefresh = options.refreshToken !== false || options.tamper === 'rt_hash';
    const refreshToken = withRefresh ? randomBytes(32).toString('base64url') : undefined;
    const now = Math.floor(Date.now() / 1000);
    const binding: Record<string, unknown> = {
      [AUTH_REQ_ID_CLAIM]: options.tamper === 'auth_req_id' ? randomBytes(24).toString('base64url') : request.authReqId,
      at_hash: tokenHash(options.tamper === 'at_hash' ? `${accessToken}x` : accessToken),
    };
    if (refreshToken !== undefined) binding[RT_HASH_CLAIM] = tokenHash(options.tamper === 'rt_hash' ? `${refreshToken}x` : refreshToken);
    const idToken = await new SignJWT({
      name: `Customer ${request.hint.value}`,
      preferred_username: request.hint.value,
      acr: request.acrValues?.split(' ')[0] ?? DEFAULT_ACR,
      amr: ['mfa'],
      auth_time: now,
      ...(options.tamper === 'no_binding' ? {} : binding),
      ...options.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.jwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.clientId)
      .setSubject(request.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(options.tamper === 'signature' ? this.rogueKey : this.key);
    const body: PushSuccess = {
      auth_req_id: request.authReqId,
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: idToken,
    };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    return body;
  }
}

/** OIDC Core §3.1.3.6 / CIBA Core §10.3.1 for RS256: the left half of SHA-256, base64url. */
export function tokenHash(token: string): string {
  const digest = createHash('sha256').update(token, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
