import { createHash } from 'node:crypto';

/**
 * OIDC Core §3.1.3.6 / CIBA Core §10.3.1: the left half of the hash of a token, base64url, with the
 * hash function of the ID Token's signing algorithm.
 */
export function tokenHash(token: string, alg: string): string {
  const digest = createHash(hashFor(alg)).update(token, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function hashFor(alg: string): string {
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'sha512';
  const bits = alg.slice(-3);
  if (bits === '384') return 'sha384';
  if (bits === '512') return 'sha512';
  return 'sha256';
}
