import type { TokenEndpointResponse } from 'oauth4webapi';
import type { RawAnswer } from '../http/raw-answer.js';
import type { OpenIdConfigurationSource } from './openid-configuration.js';
import type { ProviderFailure } from './provider-failure.js';
import { processTokenAnswer } from './token-answer.js';
import { postTokenRequest, tokenEndpoint, type TokenEndpoint } from './token-request.js';
import { waitingFailure } from './waiting-answer.js';

/** CIBA Core §10.1: the grant type of the token request. */
export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

/** What one token request learned: the checked token response, or why there is none. */
export type TokenPollResult = { tokens: TokenEndpointResponse } | { failure: ProviderFailure };

/**
 * One CIBA token request (CIBA Core §10.1), with openid-client's checks and client
 * authentication on the provider's kept-alive connections. A wait (`authorization_pending`,
 * `slow_down`) is read without an exception (`waiting-answer.ts`); everything else goes through
 * oauth4webapi as openid-client's `genericGrantRequest` would, and what is thrown on the way
 * (network, timeout, size cap, an answer refused) is read by `classify`, the adapter's.
 */
export async function pollTokenEndpoint(
  source: OpenIdConfigurationSource,
  authReqId: string,
  classify: (error: unknown) => Promise<ProviderFailure>,
): Promise<TokenPollResult> {
  let endpoint: TokenEndpoint;
  let answer: RawAnswer;
  try {
    endpoint = tokenEndpoint(await source.get(), source.settings.allowInsecureHttp);
    answer = await postTokenRequest(source, endpoint, { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId });
  } catch (error) {
    return { failure: await classify(error) };
  }
  const waiting = waitingFailure(answer);
  if (waiting) return { failure: waiting };
  try {
    return { tokens: await processTokenAnswer(endpoint, answer) };
  } catch (error) {
    return { failure: await classify(error) };
  }
}
