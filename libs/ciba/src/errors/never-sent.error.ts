import { CibaError } from './ciba.error.js';
import { ErrorCode } from './error-code.js';

/**
 * The provider is unavailable and provably received nothing: the connection failed before a byte
 * of the request left (refused, unknown host, unreachable). Nothing happened at the provider, so
 * nothing of it counts against the customer (the per-customer limit gives the request back).
 */
export class NeverSentError extends CibaError {
  constructor(detail = 'The OpenID Provider could not be reached; nothing was sent to it.') {
    super(ErrorCode.ProviderUnavailable, detail);
    this.name = 'NeverSentError';
  }
}
