/**
 * Every error a consumer can see, by its machine-readable `code` (API.md §4).
 * The HTTP mapping lives in the API app (`problem-types.ts`); the domain only names the code.
 */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  CallbackNotAllowed: 'callback_not_allowed',
  Unauthorized: 'unauthorized',
  /** A branch agent's console session is gone (signed out, idle or past its maximum age): sign in again. */
  SessionExpired: 'session_expired',
  ProviderNotAllowed: 'provider_not_allowed',
  /** A state-changing call with a session cookie lacked the session's CSRF token or a same-origin `Origin`. */
  CsrfFailed: 'csrf_failed',
  NotFound: 'not_found',
  UnknownProvider: 'unknown_provider',
  IdempotencyConflict: 'idempotency_conflict',
  InvalidState: 'invalid_state',
  PendingExists: 'pending_exists',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  MethodNotAllowed: 'method_not_allowed',
  ProviderRejected: 'provider_rejected',
  CustomerUnknown: 'customer_unknown',
  InvalidUserCode: 'invalid_user_code',
  RateLimited: 'rate_limited',
  CustomerRateLimited: 'customer_rate_limited',
  EnumerationGuard: 'enumeration_guard',
  ProviderInvalidResponse: 'provider_invalid_response',
  ProviderUnavailable: 'provider_unavailable',
  /** Our own settings for a provider are wrong (it refused our client, its issuer differs): the operator must act. */
  ProviderMisconfigured: 'provider_misconfigured',
  StoreUnavailable: 'store_unavailable',
  InternalError: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
