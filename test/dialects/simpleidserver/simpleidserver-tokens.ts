import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { SidRequest, SidUser } from './simpleidserver-model.js';

/** Claims SimpleIdServer releases per scope (OIDC Core §5.4). */
const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};
const DEFAULT_ACR = 'sid-load-01';

/** The dialect server's own signing key (never ours) and the tokens it issues. */
export class SidTokenIssuer {
  private constructor(
    private readonly key: CryptoKey,
    readonly jwk: JWK,
    private readonly issuer: string,
  ) {}

  static async create(issuer: string): Promise<SidTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
    return new SidTokenIssuer(privateKey, jwk, issuer);
  }

  /** The token response of an approved request: opaque access token, RS256 ID Token. */
  async issue(request: SidRequest, user: SidUser, nowMs: number): Promise<Record<string, unknown>> {
    const accessToken = randomBytes(32).toString('base64url');
    const now = Math.floor(nowMs / 1000);
    const released = Object.fromEntries(
      Object.entries(user.claims ?? {}).filter(([name]) => request.scopes.some((scope) => SCOPE_CLAIMS[scope]?.includes(name))),
    );
    const idToken = await new SignJWT({
      ...released,
      ...request.approval?.claims,
      acr: request.acrValues?.split(' ')[0] ?? DEFAULT_ACR,
      amr: ['pwd'],
      auth_time: Math.floor((request.approval?.at ?? nowMs) / 1000),
      at_hash: leftHalfHash(accessToken),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.jwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(request.clientId)
      .setSubject(request.approval?.sub ?? request.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(this.key);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, id_token: idToken, scope: request.scopes.join(' ') };
  }
}

/** OIDC Core §3.1.3.6 `at_hash` for RS256. */
function leftHalfHash(token: string): string {
  const digest = createHash('sha256').update(token, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
