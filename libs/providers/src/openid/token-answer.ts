import * as oauth from 'oauth4webapi';
import { answerResponse, type RawAnswer } from '../http/raw-answer.js';
import type { TokenEndpoint } from './token-request.js';

/**
 * A token endpoint's answer checked by oauth4webapi, exactly as openid-client's
 * `genericGrantRequest` checks it (`processGenericTokenEndpointResponse`: status 200, JSON,
 * `access_token` and `token_type`, the ID Token's claims): the token response, or oauth4webapi's
 * error for `classifyFailure` (`ResponseBodyError` for an OAuth error, `OperationProcessingError`
 * for the rest). openid-client re-throws the former as is and wraps the latter in a
 * `ClientError` of the same code; the classifier reads both alike.
 */
export function processTokenAnswer(endpoint: TokenEndpoint, answer: RawAnswer): Promise<oauth.TokenEndpointResponse> {
  return oauth.processGenericTokenEndpointResponse(endpoint.as, endpoint.client, answerResponse(answer));
}
