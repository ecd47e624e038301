import * as oauth from 'oauth4webapi';
import { answerResponse, type RawAnswer } from '../http/raw-answer.js';
import type { OpenIdConfigurationSource } from './openid-configuration.js';
import { postAuthenticatedForm, providerEndpoint } from './token-request.js';

const decoder = new TextDecoder();

/**
 * One backchannel authentication request (CIBA Core §7.1) as openid-client's
 * `initiateBackchannelAuthentication` sends it (oauth4webapi's `backchannelAuthenticationRequest`:
 * the parameters with `client_id`, the configured client authentication, `Accept:
 * application/json`), on the provider's form transport like token requests (keep-alive, never
 * redirected, `httpTimeoutSeconds`, `maxResponseBytes`), and its answer checked as openid-client
 * checks it. What is thrown on the way (network, timeout, size cap, an answer refused) is the
 * caller's to classify, as before.
 */
export async function initiateBackchannelRequest(
  source: OpenIdConfigurationSource,
  parameters: Record<string, string>,
): Promise<oauth.BackchannelAuthenticationResponse> {
  const endpoint = providerEndpoint(await source.get(), 'backchannel_authentication_endpoint', source.settings.allowInsecureHttp);
  const answer = await postAuthenticatedForm(source, endpoint, { ...parameters, client_id: endpoint.client.client_id });
  return (
    plainAcknowledgement(answer) ?? oauth.processBackchannelAuthenticationResponse(endpoint.as, endpoint.client, answerResponse(answer))
  );
}

/**
 * The common answer read without building a fetch `Response` (a web stream per answer): a 200
 * whose body is a JSON object with a non-empty `auth_req_id`, a positive numeric `expires_in`
 * and, if any, a positive numeric `interval`. oauth4webapi's `processBackchannelAuthenticationResponse`
 * returns exactly that object for exactly such an answer; anything else (an error, a string
 * `expires_in` it converts, a body it refuses) is left to it, so every other outcome is its own.
 */
export function plainAcknowledgement(answer: RawAnswer): oauth.BackchannelAuthenticationResponse | undefined {
  if (answer.status !== 200) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(answer.body));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { auth_req_id: authReqId, expires_in: expiresIn, interval } = body as Record<string, unknown>;
  if (typeof authReqId !== 'string' || authReqId.length === 0) return undefined;
  if (!isPositiveNumber(expiresIn)) return undefined;
  if (interval !== undefined && !isPositiveNumber(interval)) return undefined;
  return body as oauth.BackchannelAuthenticationResponse;
}

const isPositiveNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;
