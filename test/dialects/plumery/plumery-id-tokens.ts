import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { PlumeryUser } from './plumery-users.js';

/** Plumery's own signing key: ID Tokens the BFF must verify against this server's JWKS. */
export class PlumeryIdTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
  ) {}

  static async create(): Promise<PlumeryIdTokens> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `plumery-${Date.now().toString(36)}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new PlumeryIdTokens(privateKey, { keys: [jwk] }, kid);
  }

  /** An ID Token for `user`; `claims` overrides any claim (a test of identity binding). */
  sign(input: {
    issuer: string;
    clientId: string;
    user: PlumeryUser;
    authTime: number;
    claims?: Record<string, unknown>;
  }): Promise<string> {
    const { user } = input;
    return new SignJWT({
      auth_time: input.authTime,
      preferred_username: user.username,
      personal_id: user.personalId,
      given_name: user.givenName,
      family_name: user.familyName,
      ...input.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setIssuer(input.issuer)
      .setAudience(input.clientId)
      .setSubject(user.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(this.privateKey);
  }
}
