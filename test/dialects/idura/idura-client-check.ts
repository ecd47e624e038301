import { timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';

/** A registered Idura application: a client JWKS (private_key_jwt) or a secret (client_secret_basic). */
export interface IduraClient {
  clientId: string;
  publicJwk?: JWK;
  secret?: string;
}

export type ClientCheck =
  { ok: true; clientId: string; method: 'private_key_jwt' | 'client_secret_basic'; jti?: string } | { ok: false; reason: string };

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Idura's private key JWT guide: "We recommend a maximum expiry time of 5 minutes". */
const MAX_ASSERTION_LIFETIME_S = 300;

/**
 * Client authentication as Idura checks it: exactly one method; for private_key_jwt the
 * assertion's signature against the client's registered key (RS256/ES256), `iss` = `sub` =
 * client id, `aud` = the Idura domain (issuer), `iat` and `exp` at most 5 minutes ahead, and a
 * `jti` never seen before; for Basic, the RFC 6749 §2.3.1 form-urlencoded id and secret.
 */
export class IduraClientCheck {
  private readonly seenJtis = new Set<string>();

  constructor(
    private readonly clients: IduraClient[],
    private readonly issuer: string,
  ) {}

  async check(authorization: string | undefined, params: URLSearchParams): Promise<ClientCheck> {
    const assertion = params.get('client_assertion');
    if (assertion !== null && authorization) return { ok: false, reason: 'more than one client authentication method' };
    if (assertion !== null) return this.checkAssertion(assertion, params);
    if (authorization?.startsWith('Basic ')) return this.checkBasic(authorization.slice(6));
    return { ok: false, reason: 'no client authentication' };
  }

  private async checkAssertion(assertion: string, params: URLSearchParams): Promise<ClientCheck> {
    if (params.get('client_assertion_type') !== ASSERTION_TYPE) return { ok: false, reason: 'wrong client_assertion_type' };
    let claimedIssuer: unknown;
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      claimedIssuer = decodeJwt(assertion).iss;
      header = decodeProtectedHeader(assertion);
    } catch {
      return { ok: false, reason: 'client_assertion is not a JWT' };
    }
    const client = this.clients.find((c) => c.clientId === claimedIssuer && c.publicJwk);
    if (!client?.publicJwk) return { ok: false, reason: 'unknown client in assertion iss' };
    const clientIdParam = params.get('client_id');
    if (clientIdParam !== null && clientIdParam !== client.clientId) return { ok: false, reason: 'client_id differs from the assertion' };
    if (client.publicJwk.kid && header.kid !== client.publicJwk.kid) return { ok: false, reason: 'assertion kid is not a registered key' };
    try {
      const key = await importJWK(client.publicJwk, header.alg);
      const { payload } = await jwtVerify(assertion, key, {
        algorithms: ['RS256', 'ES256'],
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.issuer,
        requiredClaims: ['iat', 'exp', 'jti'],
      });
      if (payload.exp! - Date.now() / 1000 > MAX_ASSERTION_LIFETIME_S)
        return { ok: false, reason: 'assertion lives longer than 5 minutes' };
      const jti = String(payload.jti);
      if (this.seenJtis.has(jti)) return { ok: false, reason: 'assertion jti replayed' };
      this.seenJtis.add(jti);
      return { ok: true, clientId: client.clientId, method: 'private_key_jwt', jti };
    } catch (error) {
      return { ok: false, reason: `assertion rejected: ${(error as Error).message}` };
    }
  }

  private checkBasic(encoded: string): ClientCheck {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'malformed Basic credentials' };
    // The id and secret are form-urlencoded before base64, so a URN id has no raw ":" inside.
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    const client = this.clients.find((c) => c.clientId === clientId && c.secret !== undefined);
    if (!client || !sameText(secret, client.secret!)) return { ok: false, reason: 'wrong client id or secret' };
    return { ok: true, clientId, method: 'client_secret_basic' };
  }
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return '\u0000invalid';
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
