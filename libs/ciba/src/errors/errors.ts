import { CibaError } from './ciba.error.js';
import { ErrorCode } from './error-code.js';

/** Factories for the errors raised in more than one place; messages say what to fix. */
export const invalidRequest = (detail: string) => new CibaError(ErrorCode.InvalidRequest, detail);

export const notFound = () => new CibaError(ErrorCode.NotFound, 'No authentication with this id exists for this consumer.');

export const unknownProvider = (provider: string) => new CibaError(ErrorCode.UnknownProvider, `No provider "${provider}" is configured.`);

export const providerNotAllowed = (provider: string) =>
  new CibaError(ErrorCode.ProviderNotAllowed, `This consumer may not use provider "${provider}".`);

export const invalidState = (status: string, action: string) =>
  new CibaError(ErrorCode.InvalidState, `Cannot ${action} an authentication in status "${status}".`);

export const providerUnavailable = (detail = 'The OpenID Provider could not be reached.', cause?: unknown) =>
  new CibaError(ErrorCode.ProviderUnavailable, detail, {}, { cause });

export const providerInvalidResponse = (detail: string, cause?: unknown) =>
  new CibaError(ErrorCode.ProviderInvalidResponse, detail, {}, { cause });

export const providerRejected = (providerError: string, detail?: string) =>
  new CibaError(ErrorCode.ProviderRejected, detail ?? `The OpenID Provider refused the request (${providerError}).`, { providerError });

/** How soon a consumer may try again when the store could not be used (API.md §6). */
export const STORE_RETRY_AFTER_SECONDS = 2;

export const storeUnavailable = (cause?: unknown) =>
  new CibaError(
    ErrorCode.StoreUnavailable,
    `The result store is unavailable; try again in ${STORE_RETRY_AFTER_SECONDS} s.`,
    { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
    { cause },
  );

/** API.md §7: the console's session cookie names no live session. */
export const sessionExpired = () =>
  new CibaError(
    ErrorCode.SessionExpired,
    'The console session has ended (signed out, idle too long, or past its maximum age); sign in again.',
  );

/** API.md §7: a cookie alone never changes anything; the page's own token and origin must come with it. */
export const csrfFailed = (detail: string) => new CibaError(ErrorCode.CsrfFailed, detail);
