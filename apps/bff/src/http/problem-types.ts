import { ErrorCode } from '@ciba/ciba';

/** HTTP status and title of each error code (API.md §4). Checked for completeness by its type. */
export const PROBLEM_TYPES: Record<ErrorCode, { status: number; title: string }> = {
  [ErrorCode.InvalidRequest]: { status: 400, title: 'Invalid request' },
  [ErrorCode.CallbackNotAllowed]: { status: 400, title: 'Callback URL not allowed' },
  [ErrorCode.Unauthorized]: { status: 401, title: 'Unauthorized' },
  [ErrorCode.SessionExpired]: { status: 401, title: 'Session expired' },
  [ErrorCode.ProviderNotAllowed]: { status: 403, title: 'Provider not allowed' },
  [ErrorCode.CsrfFailed]: { status: 403, title: 'Cross-site request refused' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ErrorCode.UnknownProvider]: { status: 404, title: 'Unknown provider' },
  [ErrorCode.IdempotencyConflict]: { status: 409, title: 'Idempotency key conflict' },
  [ErrorCode.InvalidState]: { status: 409, title: 'Invalid state' },
  [ErrorCode.PendingExists]: { status: 409, title: 'A pending authentication exists' },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'Payload too large' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [ErrorCode.MethodNotAllowed]: { status: 405, title: 'Method not allowed' },
  [ErrorCode.ProviderRejected]: { status: 422, title: 'The provider rejected the request' },
  [ErrorCode.CustomerUnknown]: { status: 422, title: 'Customer unknown' },
  [ErrorCode.InvalidUserCode]: { status: 422, title: 'Invalid user code' },
  [ErrorCode.RateLimited]: { status: 429, title: 'Rate limited' },
  [ErrorCode.CustomerRateLimited]: { status: 429, title: 'Too many requests for this customer' },
  [ErrorCode.EnumerationGuard]: { status: 429, title: 'Too many unknown customers' },
  [ErrorCode.ProviderInvalidResponse]: { status: 502, title: 'Invalid response from the provider' },
  [ErrorCode.ProviderUnavailable]: { status: 503, title: 'Provider unavailable' },
  [ErrorCode.StoreUnavailable]: { status: 503, title: 'Store unavailable' },
  // 500, not 502: the provider answered correctly (it refused our credentials, or its issuer is
  // not the one we were told); the fault is the BFF's own configuration. Not 503 either: waiting
  // does not fix it, and not 422: nothing in the consumer's request is wrong. The detail names
  // the provider and the setting, never a secret or the provider's own error text.
  [ErrorCode.ProviderMisconfigured]: { status: 500, title: 'Provider misconfigured at the BFF' },
  [ErrorCode.InternalError]: { status: 500, title: 'Internal error' },
};

export const problemTypeUri = (code: ErrorCode): string => `urn:ciba-bff:problem:${code}`;
