import type { ClientAuthConfig } from '@ciba/config';
import { importJWK, importPKCS8, type JWK } from 'jose';
import * as client from 'openid-client';

/** The openid-client authentication method for a provider's `clientAuth` (API.md §3). */
export async function clientAuthentication(auth: ClientAuthConfig): Promise<client.ClientAuth> {
  switch (auth.method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(auth.secret!);
    case 'client_secret_post':
      return client.ClientSecretPost(auth.secret!);
    case 'client_secret_jwt':
      return client.ClientSecretJwt(auth.secret!);
    case 'private_key_jwt': {
      const { key, kid } = await privateKey(auth);
      return client.PrivateKeyJwt({ key, kid });
    }
    case 'tls_client_auth':
      return client.TlsClientAuth();
    case 'none':
      return client.None();
  }
}

/** A private key from a JWK (object or JSON text) or a PKCS#8 PEM, with its algorithm. */
export async function privateKey(auth: ClientAuthConfig): Promise<{ key: CryptoKey; kid?: string; alg: string }> {
  const source = auth.privateKey!;
  if (typeof source === 'object' || source.trim().startsWith('{')) {
    const jwk = (typeof source === 'object' ? source : JSON.parse(source)) as JWK;
    const alg = auth.alg ?? jwk.alg ?? defaultAlg(jwk.kty, jwk.crv);
    return { key: (await importJWK(jwk, alg)) as CryptoKey, kid: auth.kid ?? jwk.kid, alg };
  }
  const alg = auth.alg ?? (source.includes('BEGIN EC') ? 'ES256' : 'RS256');
  return { key: await importPKCS8(source, alg, { extractable: false }), kid: auth.kid, alg };
}

function defaultAlg(kty?: string, crv?: string): string {
  if (kty === 'EC') return crv === 'P-384' ? 'ES384' : 'ES256';
  if (kty === 'OKP') return 'EdDSA';
  return 'RS256';
}
