import { createRemoteJWKSet, customFetch, type FlattenedJWSInput, type JWSHeaderParameters, type RemoteJWKSet } from 'jose';
import type { ProviderFetch, ProviderFetchOptions } from '../http/capped-fetch.js';
import { IdTokenVerificationDeferredError } from './id-token-verification-deferred.error.js';
import type { LoadState } from '../profile-adapter.js';

/**
 * Added to every `retryAt` handed out: a retry planned for the very moment the cooldown ends can
 * come a millisecond early (a timer fires on the loop's cached clock, a claim reads another
 * clock) and would then be deferred a whole cooldown more; and jose stamps its cache a moment
 * after our fetch returns, so a retry at our stamp could be early too.
 */
export const RETRY_MARGIN_MS = 100;

export interface ProviderKeySetOptions {
  /** Least time between two fetches of the set, successful or not (`jwksCooldownSeconds`). */
  cooldownMs: number;
  /** How long one fetch may take. */
  timeoutMs: number;
  /** The provider's fetch (mutual TLS, `maxResponseBytes`). */
  fetch: ProviderFetch;
}

/**
 * One provider's JWKS (jose's remote set), fetched at most once per cooldown, that tells "the key
 * cannot be had yet" (`IdTokenVerificationDeferredError`) from "there is no such key":
 * - the set cannot be fetched (network, timeout, not 200, not a JSON key set, too large), or was
 *   tried less than a cooldown ago: deferred until the next fetch may run;
 * - the token's `kid` is not in a set jose may not refetch yet (still cooling down, or fetched by
 *   this very call): deferred until the cooldown ends, when the next miss makes jose refetch;
 * - the `kid` is not in the set jose refetched for this token (after the cooldown, key rotation
 *   had its chance): jose's `JWKSNoMatchingKey`, a token we must refuse.
 */
export class ProviderKeySet {
  private readonly remote: RemoteJWKSet;
  /** When the last fetch started, successful or not: the cooldown runs from here. */
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  /** When the last successful fetch ended: jose's cooldown runs from about here. */
  private lastFetchedAt = Number.NEGATIVE_INFINITY;
  private lastState: LoadState = 'not_loaded';

  constructor(
    jwksUri: string,
    private readonly options: ProviderKeySetOptions,
  ) {
    this.remote = createRemoteJWKSet(new URL(jwksUri), {
      timeoutDuration: options.timeoutMs,
      cooldownDuration: options.cooldownMs,
      [customFetch]: (url, init) => this.fetchSet(url, init),
    });
  }

  /** Whether the set was fetched, and whether the last fetch worked (readiness). */
  get state(): LoadState {
    return this.lastState;
  }

  /** The key for a token's header, as jose's `jwtVerify` asks for it. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    // jose refetches on a miss only from a set that is fresh and past its cooldown.
    const refetchesOnMiss = this.remote.fresh && !this.remote.coolingDown;
    try {
      return await this.remote(header, token);
    } catch (error) {
      // Our fetch already turns these into deferrals; jose's own spellings of them, should it raise them.
      if (hasCode(error, 'ERR_JWKS_TIMEOUT') || hasCode(error, 'ERR_JWKS_INVALID')) {
        throw new IdTokenVerificationDeferredError(
          "The provider's JWKS could not be used.",
          this.lastAttemptAt + this.options.cooldownMs + RETRY_MARGIN_MS,
          {
            cause: error,
          },
        );
      }
      if (!hasCode(error, 'ERR_JWKS_NO_MATCHING_KEY') || refetchesOnMiss) throw error;
      const retryAt = Math.max(this.lastFetchedAt, this.lastAttemptAt) + this.options.cooldownMs + RETRY_MARGIN_MS;
      throw new IdTokenVerificationDeferredError(
        `The ID Token's key (kid ${JSON.stringify(header.kid)}) is not in the provider's JWKS yet; it is fetched again after the cooldown.`,
        retryAt,
        { cause: error },
      );
    }
  };

  /** jose's fetch of the set: throttled, and every way of failing is "could not run". */
  private async fetchSet(url: string, init: ProviderFetchOptions): Promise<Response> {
    const now = Date.now();
    const nextAllowed = this.lastAttemptAt + this.options.cooldownMs;
    if (now < nextAllowed) {
      throw new IdTokenVerificationDeferredError("The provider's JWKS was tried less than a cooldown ago.", nextAllowed + RETRY_MARGIN_MS);
    }
    this.lastAttemptAt = now;
    let keySet: unknown;
    try {
      const response = await this.options.fetch(url, init);
      if (response.status !== 200) throw new Error(`jwks_uri answered HTTP ${response.status}`);
      keySet = await response.json();
      if (!isKeySet(keySet)) throw new Error('jwks_uri answered JSON that is not a JSON Web Key Set');
    } catch (error) {
      this.lastState = 'failing';
      const reason = error instanceof Error ? error.message : String(error);
      throw new IdTokenVerificationDeferredError(
        `The provider's JWKS could not be fetched: ${reason}`,
        now + this.options.cooldownMs + RETRY_MARGIN_MS,
        {
          cause: error,
        },
      );
    }
    this.lastFetchedAt = Date.now();
    this.lastState = 'loaded';
    return Response.json(keySet);
  }
}

/** RFC 7517 §5: an object with a `keys` array of objects (jose checks each key when it is used). */
function isKeySet(value: unknown): boolean {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key));
}

/** jose's errors by their `code`, which holds across module realms (Jest's vm contexts). */
function hasCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
