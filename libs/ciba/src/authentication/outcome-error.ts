/**
 * The `error.code` of a finished authentication (API.md §4, status document). `denied` carries
 * `access_denied`, `expired` carries `expired`, `failed` one of the others.
 */
export const OutcomeErrorCode = {
  AccessDenied: 'access_denied',
  Expired: 'expired',
  ResultIndeterminate: 'result_indeterminate',
  IdentityMismatch: 'identity_mismatch',
  InsufficientAcr: 'insufficient_acr',
  ProviderRejected: 'provider_rejected',
  ProviderInvalidResponse: 'provider_invalid_response',
  ProviderUnavailable: 'provider_unavailable',
  TooManyUserCodeAttempts: 'too_many_user_code_attempts',
  InvalidUserCode: 'invalid_user_code',
} as const;

export type OutcomeErrorCode = (typeof OutcomeErrorCode)[keyof typeof OutcomeErrorCode];

export interface OutcomeError {
  code: OutcomeErrorCode;
  description: string;
  /** The provider's own error code, when the provider said no. */
  providerError?: string;
}
