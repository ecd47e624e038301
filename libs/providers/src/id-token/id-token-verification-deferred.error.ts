/**
 * The ID Token could not be checked yet: the provider's keys could not be had (its jwks_uri was
 * unreachable, slow, or answered something that is not a key set), or the token names a key
 * that may still be published (rotation) and the set may not be fetched again before `retryAt`.
 * Nothing is known against the token: keep the token response and try again, from `retryAt` on
 * when given (epoch ms).
 */
export class IdTokenVerificationDeferredError extends Error {
  constructor(
    message: string,
    readonly retryAt?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IdTokenVerificationDeferredError';
  }
}
