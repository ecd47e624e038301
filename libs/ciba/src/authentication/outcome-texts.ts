import type { OutcomeError } from './outcome-error.js';

/**
 * The errors an authentication ends with, in one table: the poll job and the notification
 * endpoint say the same words for the same end. Consumers show these texts and tests outside
 * compare them: change one only on purpose, never in passing.
 */
export const OUTCOME_ERRORS = {
  /** The provider says the customer said no (polled or pushed `access_denied`). */
  customerDeclined: { code: 'access_denied', description: 'The customer declined.' },
  /** The provider ended the request itself (polled or pushed `expired_token`). */
  providerExpired: { code: 'expired', description: 'The provider reports the request expired.' },
  /** Our own deadline came while the provider still said "pending". */
  customerTimedOut: { code: 'expired', description: 'The customer did not answer in time.' },
  /** Our deadline came while the last polls failed: the provider's outage, not the customer's silence. */
  providerUnreachable: { code: 'provider_unavailable', description: 'The provider could not be reached before the deadline.' },
  /** An orphaned in-flight marker: a token request may have redeemed an approval nobody stored. */
  resultIndeterminate: {
    code: 'result_indeterminate',
    description: 'A token request was interrupted; whether the customer approved cannot be known. Start a new authentication.',
  },
  /** A saved approval whose ID Token could not be verified within the grace after the deadline. */
  signingKeysUnavailable: {
    code: 'provider_unavailable',
    description: "The provider's signing keys could not be loaded to verify the approval.",
  },
  /** A pushed `transaction_failed`, and any pushed error CIBA Core §12 does not name. */
  pushedFailure: {
    code: 'provider_rejected',
    description: 'The provider reports the authentication failed.',
    providerError: 'transaction_failed',
  },
} as const satisfies Record<string, OutcomeError>;

export type OutcomeErrorName = keyof typeof OUTCOME_ERRORS;

/** The customer gave as many wrong codes as the profile allows: the authentication ends. */
export const tooManyUserCodeAttempts = (attempts: number): OutcomeError => ({
  code: 'too_many_user_code_attempts',
  description: `The customer gave a wrong code ${attempts} times.`,
});

/** A wrong code short of the limit: the status stays, and the error tells how many tries are used. */
export const invalidUserCode = (attempts: number, limit: number, providerError: string | undefined): OutcomeError => ({
  code: 'invalid_user_code',
  description: `The provider refused the code (${attempts} of ${limit} tries).`,
  providerError,
});
