import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * Fresh signing keys for every start: RS256 (oidc-provider's default ID Token alg) and ES256.
 * Nothing should trust the sandbox across restarts, so nothing is persisted; relying parties
 * pick the public halves up from the discovery's jwks_uri.
 */
export async function generateSigningJwks(): Promise<{ keys: JWK[] }> {
  const keys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg) => {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `sandbox-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}` };
    }),
  );
  return { keys };
}
