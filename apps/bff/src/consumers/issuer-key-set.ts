import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as oauth from 'oauth4webapi';
import type { ConsumerJwtSchema } from '@ciba/config';

/** API.md §7: a key set is fetched at most once per 30 s; an unknown `kid` after that refetches once. */
export const JWKS_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5000;
/** After a failed discovery, requests answer 401 at once for this long instead of each asking again. */
const DISCOVERY_RETRY_MS = 5000;

/**
 * The signing keys of one bank identity provider, for its access tokens: from `jwksUri`, or from
 * `jwks_uri` of its discovery document (whose `issuer` must be the configured one; oauth4webapi
 * checks it). jose's remote set does the rest: it caches the set, and on a `kid` it does not know
 * refetches once, at most once per cooldown (RFC 7517 rotation without a restart).
 */
export class IssuerKeySet {
  private keys?: Promise<JWTVerifyGetKey>;
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: Pick<ConsumerJwtSchema, 'issuer' | 'jwksUri' | 'allowInsecureHttp'>) {}

  /** jose's key lookup, once the set's location is known; throws while it cannot be learnt. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => (await this.resolve())(header, token);

  private resolve(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      if (Date.now() - this.failedAt < DISCOVERY_RETRY_MS) return Promise.reject(new Error('the issuer discovery failed a moment ago'));
      this.keys = this.locate().then(
        (jwksUri) => createRemoteJWKSet(jwksUri, { cooldownDuration: JWKS_COOLDOWN_MS, timeoutDuration: FETCH_TIMEOUT_MS }),
        (error: unknown) => {
          this.keys = undefined;
          this.failedAt = Date.now();
          throw error;
        },
      );
    }
    return this.keys;
  }

  private async locate(): Promise<URL> {
    if (this.settings.jwksUri) return new URL(this.settings.jwksUri);
    const issuer = new URL(this.settings.issuer);
    const options = { [oauth.allowInsecureRequests]: this.settings.allowInsecureHttp, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) };
    const metadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    if (!metadata.jwks_uri) throw new Error(`the discovery document of ${issuer.href} has no jwks_uri`);
    return new URL(metadata.jwks_uri);
  }
}
