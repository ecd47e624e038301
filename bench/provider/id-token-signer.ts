import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token: string;
}

/** The provider's ES256 key and the tokens it issues: one ID Token signed per approved request. */
export class IdTokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    private readonly issuer: string,
    private readonly clientId: string,
  ) {}

  static async create(issuer: string, clientId: string): Promise<IdTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench-es256', alg: 'ES256', use: 'sig' };
    return new IdTokenSigner(privateKey, publicJwk, issuer, clientId);
  }

  async issue(subject: string, authReqId: string, authTimeMs: number): Promise<IssuedTokens> {
    const accessToken = randomBytes(32).toString('base64url');
    // OIDC Core §3.1.3.6: at_hash is the left half of the SHA-256 of the access token (ES256).
    const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    const idToken = await new SignJWT({
      acr: 'urn:bench:loa:2',
      amr: ['hwk'],
      auth_time: Math.floor(authTimeMs / 1000),
      at_hash: atHash,
      'urn:openid:params:jwt:claim:auth_req_id': authReqId,
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.clientId)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(this.privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken };
  }
}
