import { CibaError, ErrorCode } from '@ciba/ciba';
import { startFailureToError } from '../openid/failure-mapping.js';
import type { ProviderFailure } from '../openid/provider-failure.js';

/** Codes by which a bank says it does not know the customer (CIBA Core §13 `unknown_user_id`). */
const UNKNOWN_CUSTOMER = /^(unknown_user(_id)?|(user|customer|client)_not_found|unknown_customer)$/i;
/**
 * Codes by which TBC may refuse the customer's code: CIBA Core §13 names it `invalid_user_code`;
 * the bank's own spelling is not documented (verify), so the usual variants count too. An
 * expired or missing code is not a wrong one: typing again would not fix it.
 */
const WRONG_CODE = /(^|_)(user_code|code|otp|pin)(_|$)/i;
const NOT_A_WRONG_CODE = /expired|missing/i;

/** A refused or failed backchannel request (either step), as the consumer sees it. */
export function backchannelError(failure: ProviderFailure): CibaError {
  if (failure.kind === 'oauth' && failure.status < 500 && UNKNOWN_CUSTOMER.test(folded(failure.error))) {
    return new CibaError(ErrorCode.CustomerUnknown, 'The OpenID Provider does not know this customer.', { providerError: failure.error });
  }
  return startFailureToError(failure);
}

/**
 * A refused finalize request. A wrong code is `invalid_user_code` (the BFF keeps the status and
 * counts the try). The message never contains the code: it is the customer's secret.
 */
export function finalizeError(failure: ProviderFailure): CibaError {
  if (failure.kind === 'oauth' && failure.status < 500 && WRONG_CODE.test(folded(failure.error)) && !NOT_A_WRONG_CODE.test(failure.error)) {
    return new CibaError(ErrorCode.InvalidUserCode, 'The provider refused the code the customer gave.', { providerError: failure.error });
  }
  return backchannelError(failure);
}

/** `INVALID-OTP` and `invalid.otp` read as `invalid_otp` for matching; the code shown stays TBC's. */
function folded(code: string): string {
  return code.toLowerCase().replace(/[-.\s]/g, '_');
}
