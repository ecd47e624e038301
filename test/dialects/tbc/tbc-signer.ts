import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

/** The dialect server's own signing key: our BFF must fetch it from the JWKS, never share it. */
export class TbcSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
  ) {}

  static async create(): Promise<TbcSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `tbc-${Date.now().toString(36)}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new TbcSigner(privateKey, { keys: [jwk] }, kid);
  }

  sign(claims: JWTPayload, lifetimeSeconds = 300): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }
}

/** OIDC Core §3.1.3.6 `at_hash` for RS256: the left half of the SHA-256, base64url. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
