import { CibaError, ErrorCode } from '@ciba/ciba';

/**
 * What SimpleIdServer answers when the `user_code` (the customer's password) is wrong: its own
 * `invalid_credentials` (`BCAuthorizeRequestValidator.CheckUserCode`), or the CIBA Core §13 code
 * should a version use the standard one.
 */
const WRONG_PASSWORD_ERRORS: ReadonlySet<string> = new Set(['invalid_credentials', 'invalid_user_code']);

/**
 * A refused start in this provider's terms. A wrong password becomes 422 `invalid_user_code`
 * (the contract's code for a refused user code) with the provider's own code kept in
 * `providerError`, so a consumer can tell "ask the customer again" from any other refusal.
 * The message never repeats the code: it is a credential.
 */
export function simpleIdServerStartError(error: unknown): unknown {
  if (!(error instanceof CibaError) || error.code !== ErrorCode.ProviderRejected) return error;
  const providerError = error.extensions.providerError;
  if (providerError === undefined || !WRONG_PASSWORD_ERRORS.has(providerError)) return error;
  return new CibaError(
    ErrorCode.InvalidUserCode,
    "SimpleIdServer refused the customer's password (userCode); ask the customer to try again.",
    { providerError },
  );
}
