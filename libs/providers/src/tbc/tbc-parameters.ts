import { invalidRequest } from '@ciba/ciba';
import type { BackchannelRequest } from '../profile-adapter.js';
import type { TbcHintKey } from './tbc-hint.js';
import { REQUESTED_IDENTITY_CLAIM } from './tbc-identity.js';

/** A compact JWS: what an ID Token looks like on the wire. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The seed's "initialize" form: `scope` (must contain openid), `claims` and `login_hint` (objects,
 * sent as JSON strings), `ui_locales`; `client_id` comes with the client authentication. Fields
 * TBC does not list are refused with a 400 rather than dropped, so a consumer never believes an
 * `acr_values` or an `authorization_details` was honoured. `requestedExpiry` is not sent either,
 * but it still shortens our own deadline (API.md §4), so it is accepted.
 */
export function initializeParameters(request: BackchannelRequest): Record<string, string> {
  const unsupported = Object.entries({
    acrValues: request.acrValues,
    userCode: request.userCode,
    authorizationDetails: request.authorizationDetails,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (unsupported.length > 0) {
    throw invalidRequest(
      `This provider does not take ${unsupported.join(', ')} (TBC asks for the customer's code in a second step: POST .../user-code).`,
    );
  }
  const key = request.hint.identityClaim as TbcHintKey;
  const parameters: Record<string, string> = {
    scope: request.scope,
    claims: JSON.stringify(claimsWithIdentity(request.claims, key)),
    login_hint: request.hint.value,
  };
  if (request.uiLocales !== undefined) parameters.ui_locales = request.uiLocales;
  return parameters;
}

/**
 * The seed's "finalize" form: `user_code` and `id_token_hint` (the middle token), `client_id` with
 * the client authentication, and nothing of the first request.
 */
export function finalizeParameters(userCode: string, middleToken: string): Record<string, string> {
  return { user_code: userCode, id_token_hint: middleToken };
}

/** The middle token kept in the authentication's profile state, if it is one. */
export function middleTokenOf(state: Record<string, unknown>): string | undefined {
  const token = state.middleToken;
  return typeof token === 'string' && COMPACT_JWS.test(token) ? token : undefined;
}

/**
 * `claims` is required at initialization (seed) and identity binding needs the hint's claim in
 * the ID Token, so the consumer's claims request (OIDC Core §5.5) gets that claim added as
 * essential unless it already names it; without one, that claim alone is requested.
 */
function claimsWithIdentity(claims: Record<string, unknown> | undefined, key: TbcHintKey): Record<string, unknown> {
  const idToken = claims?.id_token ?? {};
  if (idToken === null || typeof idToken !== 'object' || Array.isArray(idToken)) {
    throw invalidRequest('claims.id_token must be an object (OpenID Connect Core §5.5).');
  }
  const claim = REQUESTED_IDENTITY_CLAIM[key];
  const requested = claim in idToken ? idToken : { ...idToken, [claim]: { essential: true } };
  return { ...claims, id_token: requested };
}
