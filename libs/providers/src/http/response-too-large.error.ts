/** The code this error carries, in openid-client's `OAUTH_*` vocabulary. */
export const RESPONSE_TOO_LARGE = 'OAUTH_RESPONSE_TOO_LARGE';

/**
 * A provider's answer was longer than `providers.<id>.maxResponseBytes`: reading stopped at the
 * cap, so a provider cannot make us buffer (and store) megabytes.
 */
export class ResponseTooLargeError extends Error {
  readonly code = RESPONSE_TOO_LARGE;

  constructor(readonly limitBytes: number) {
    super(`the provider answered more than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}
