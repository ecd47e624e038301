import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** Parameters that are JSON objects on the wire; inside a request object they stay objects. */
const OBJECT_PARAMETERS = new Set(['claims', 'authorization_details', 'request_context']);
/** Client authentication travels beside the request object, never inside it (CIBA Core §7.1.1). */
const CLIENT_AUTH_PARAMETERS = new Set(['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']);
/** FAPI-CIBA: nbf to exp at most 60 minutes; we use five, enough for clock skew and a retry. */
const LIFETIME_SECONDS = 300;

export interface RequestObjectSigner {
  key: CryptoKey;
  alg: string;
  kid?: string;
}

/**
 * A signed authentication request (CIBA Core §7.1.1): every authentication parameter as a claim,
 * plus `iss` (our client id), `aud` (the provider's issuer), `iat`, `nbf`, `exp` and a fresh `jti`.
 * Values stay strings as the form would carry them, except the JSON-object parameters.
 */
export async function signRequestObject(
  parameters: Record<string, string>,
  context: { clientId: string; issuer: string; signer: RequestObjectSigner; now?: number },
): Promise<string> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (CLIENT_AUTH_PARAMETERS.has(name)) continue;
    claims[name] = OBJECT_PARAMETERS.has(name) ? (JSON.parse(value) as unknown) : value;
  }
  const now = Math.floor((context.now ?? Date.now()) / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: context.signer.alg, typ: 'JWT', ...(context.signer.kid ? { kid: context.signer.kid } : {}) })
    .setIssuer(context.clientId)
    .setAudience(context.issuer)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(context.signer.key);
}
