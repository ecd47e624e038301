import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { ClientAuthConfig } from '@ciba/config';
import { importJWK, importPKCS8, type JWK } from 'jose';
import * as client from 'openid-client';

/** The JWS algorithms a private_key_jwt key may sign with (RFC 7518 §3.1, RFC 8037, RFC 9864). */
const ASYMMETRIC_ALGS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

/** The openid-client authentication method for a provider's `clientAuth` (API.md §3). */
export async function clientAuthentication(auth: ClientAuthConfig): Promise<client.ClientAuth> {
  switch (auth.method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(auth.secret);
    case 'client_secret_post':
      return client.ClientSecretPost(auth.secret);
    case 'client_secret_jwt':
      // openid-client signs client_secret_jwt assertions with HS256 only; say so rather than
      // silently sending another algorithm than the one configured.
      if (auth.alg !== undefined && auth.alg !== 'HS256') {
        throw new Error(`clientAuth.alg: client_secret_jwt supports HS256 only, not ${auth.alg}`);
      }
      return client.ClientSecretJwt(auth.secret);
    case 'private_key_jwt': {
      const { key, kid, alg } = await privateKey(auth);
      // oauth4webapi names an Ed25519 key's algorithm "Ed25519" (RFC 9864); most providers
      // still only accept the RFC 8037 name "EdDSA", so the configured name is the one sent.
      const options = alg === 'EdDSA' ? { [client.modifyAssertion]: (header: { alg?: string }) => void (header.alg = 'EdDSA') } : undefined;
      return client.PrivateKeyJwt({ key, kid }, options);
    }
    case 'tls_client_auth':
      // RFC 8705 §2.1.1: only client_id travels in the body; the certificate is presented in the
      // TLS handshake by the provider's fetch (mutual-tls.ts).
      return client.TlsClientAuth();
    case 'none':
      return client.None();
  }
}

/**
 * A private key from a JWK (object or JSON text) or a PEM (PKCS#8, or the older PKCS#1 / SEC1
 * forms), with its algorithm: the configured `alg`, else the JWK's, else one chosen from the key.
 */
export async function privateKey(auth: ClientAuthConfig): Promise<{ key: CryptoKey; kid?: string; alg: string }> {
  const source = auth.privateKey;
  if (source === undefined || (typeof source === 'string' && source.trim() === '')) {
    throw new Error('clientAuth.privateKey: required for private_key_jwt (a JWK or a PEM)');
  }
  if (typeof source === 'object' || source.trim().startsWith('{')) return fromJwk(auth, parseJwk(source));
  return fromPem(auth, source);
}

function parseJwk(source: string | Record<string, unknown>): JWK {
  if (typeof source === 'object') return source;
  try {
    return JSON.parse(source) as JWK;
  } catch {
    throw new Error('clientAuth.privateKey: starts like a JWK but is not valid JSON');
  }
}

async function fromJwk(auth: ClientAuthConfig, jwk: JWK): Promise<{ key: CryptoKey; kid?: string; alg: string }> {
  // A public JWK would import fine and only fail at the first signature; catch it here.
  if (typeof jwk.d !== 'string') throw new Error('clientAuth.privateKey: the JWK has no private part ("d")');
  const alg = checkedAlg(auth.alg ?? jwk.alg ?? algForJwk(jwk.kty, jwk.crv));
  // The key's own "alg"/"use" must not veto a configured algorithm of the same family.
  const { alg: _alg, use: _use, key_ops: _ops, ...material } = jwk;
  const key = await importOrExplain(() => importJWK(material, importAlg(alg), { extractable: false }), alg);
  return { key: key as CryptoKey, kid: auth.kid ?? jwk.kid, alg };
}

async function fromPem(auth: ClientAuthConfig, pem: string): Promise<{ key: CryptoKey; kid?: string; alg: string }> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('clientAuth.privateKey: not a readable PEM private key (an encrypted PEM is not supported)');
  }
  // "BEGIN PRIVATE KEY" (PKCS#8) is used for RSA, EC and Ed25519 alike: read the key type itself.
  const alg = checkedAlg(auth.alg ?? algForKeyObject(keyObject));
  const pkcs8 = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
  const key = await importOrExplain(() => importPKCS8(pkcs8, importAlg(alg), { extractable: false }), alg);
  return { key, kid: auth.kid, alg };
}

/** The default algorithm for a JWK: RS256 for RSA, by curve for EC, EdDSA for OKP. */
function algForJwk(kty?: string, crv?: string): string {
  if (kty === 'EC') return algForCurve(crv);
  if (kty === 'OKP') return 'EdDSA';
  return 'RS256';
}

/** The default algorithm for a PEM key, from `asymmetricKeyType` and the curve. */
export function algForKeyObject(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      // WebCrypto imports RSA keys only under the rsaEncryption OID; an id-RSASSA-PSS key is
      // the same RSA key in a form it refuses.
      throw new Error(
        'clientAuth.privateKey: an RSA-PSS-only key (id-RSASSA-PSS) cannot be imported; use the plain RSA form with alg: PS256',
      );
    case 'ec':
      return algForCurve(key.asymmetricKeyDetails?.namedCurve);
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new Error(
        `clientAuth.privateKey: unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (use RSA, EC P-256/P-384/P-521 or Ed25519)`,
      );
  }
}

function algForCurve(curve?: string): string {
  switch (curve) {
    case 'P-256':
    case 'prime256v1':
      return 'ES256';
    case 'P-384':
    case 'secp384r1':
      return 'ES384';
    case 'P-521':
    case 'secp521r1':
      return 'ES512';
    default:
      throw new Error(`clientAuth.privateKey: unsupported EC curve ${curve ?? 'unknown'} (use P-256, P-384 or P-521)`);
  }
}

function checkedAlg(alg: string): string {
  if (!ASYMMETRIC_ALGS.has(alg)) throw new Error(`clientAuth.alg: ${alg} is not an asymmetric JWS algorithm for private_key_jwt`);
  return alg;
}

/** jose knows Ed25519 keys under "EdDSA"; the fully-specified "Ed25519" is the same key. */
function importAlg(alg: string): string {
  return alg === 'Ed25519' ? 'EdDSA' : alg;
}

async function importOrExplain<T>(load: () => Promise<T>, alg: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`clientAuth.privateKey: the key cannot sign ${alg} (check clientAuth.alg against the key type)`, { cause: error });
  }
}
