import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { judgePoll, type SidRequest, type SidUser } from './simpleidserver-model.js';
import type { SidTokenIssuer } from './simpleidserver-tokens.js';

export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';

/** The realm's settings, as the server was started with them. */
export interface SidSettings {
  clientId: string;
  clientSecret: string;
  users: SidUser[];
  realm: string;
  interval: number;
  expiresIn: number;
  scopes: string[];
}

/** What an endpoint answers; `answer` is what the ledger records (error code, `ack`, `tokens`). */
export interface Answer {
  status: number;
  body: unknown;
  answer: string;
  authReqId?: string;
}

/** SimpleIdServer's error answer: `{error, error_description}`, 400 (401 for client authentication). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(error);
  }
}

/** CIBA Core §7.1 parameters (and the OIDC ones SimpleIdServer reads) plus client_secret_post. */
const BC_PARAMS = new Set([
  'client_id',
  'client_secret',
  'scope',
  'login_hint',
  'login_hint_token',
  'id_token_hint',
  'user_code',
  'binding_message',
  'acr_values',
  'requested_expiry',
  'client_notification_token',
  'authorization_details',
  'claims',
  'ui_locales',
  'request',
]);
const TOKEN_PARAMS = new Set(['client_id', 'client_secret', 'grant_type', 'auth_req_id']);
const AUTH_REQ_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** SimpleIdServer's default `MaxBindingMessageSize`. */
const MAX_BINDING_MESSAGE = 150;

/**
 * A form body, each parameter once (RFC 6749 §3.1). Calls `seen` with the parameters as soon as
 * they are read, so the ledger has them even when the request is refused.
 */
export function readForm(contentType: string | null, text: string, seen: (params: Record<string, string>) => void): Record<string, string> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
    throw new OAuthError('invalid_request', 'the content type must be application/x-www-form-urlencoded');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in params) throw new OAuthError('invalid_request', `the parameter ${name} appears more than once`);
    params[name] = value;
  }
  seen(params);
  return params;
}

/** The client is registered with client_secret_post: Basic (or any other method) is refused. */
export function authenticateClient(settings: SidSettings, authorization: string | null, params: Record<string, string>): void {
  if (authorization !== null || params.client_assertion !== undefined) {
    throw new OAuthError('invalid_client', 'the client must authenticate with client_secret_post', 401);
  }
  if (params.client_id !== settings.clientId) throw new OAuthError('invalid_client', 'unknown client', 401);
  if (params.client_secret === undefined || !sameSecret(params.client_secret, settings.clientSecret)) {
    throw new OAuthError('invalid_client', 'bad client credentials', 401);
  }
}

/** `POST {realm}/bc-authorize`, checked in the order of `BCAuthorizeRequestValidator`. */
export function bcAuthorize(settings: SidSettings, requests: Map<string, SidRequest>, params: Record<string, string>, at: number): Answer {
  if (params.grant_type !== undefined || params.auth_req_id !== undefined) {
    throw new OAuthError('invalid_request', 'grant_type and auth_req_id are token endpoint parameters, not bc-authorize ones');
  }
  const unknown = Object.keys(params).filter((name) => !BC_PARAMS.has(name));
  if (unknown.length > 0) throw new OAuthError('invalid_request', `unknown parameters: ${unknown.join(', ')}`);
  const hints = ['login_hint', 'login_hint_token', 'id_token_hint'].filter((name) => params[name]?.trim());
  if (hints.length !== 1) throw new OAuthError('invalid_request', 'only one hint can be passed');
  if (!params.user_code?.trim()) throw new OAuthError('invalid_request', 'missing user_code');
  const scopes = (params.scope ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) throw new OAuthError('invalid_request', 'missing parameters scope,authorization_details');
  const unsupported = scopes.filter((scope) => !settings.scopes.includes(scope));
  if (unsupported.length > 0) throw new OAuthError('invalid_scope', `unsupported scopes: ${unsupported.join(',')}`);
  if (hints[0] !== 'login_hint') throw new OAuthError('invalid_request', 'this dialect server takes login_hint only');
  const user = settings.users.find((candidate) => candidate.sub === params.login_hint);
  // As the real one: the description echoes the hint, so a client must not pass it on verbatim.
  if (!user) throw new OAuthError('unknown_user_id', `the user ${params.login_hint} does not exist`);
  if (params.binding_message !== undefined && params.binding_message.length > MAX_BINDING_MESSAGE) {
    throw new OAuthError('invalid_binding_message', `the binding_message must not exceed ${MAX_BINDING_MESSAGE} characters`);
  }
  if (params.requested_expiry !== undefined && !/^[1-9]\d{0,5}$/.test(params.requested_expiry)) {
    throw new OAuthError('invalid_request', 'requested_expiry must be a positive integer');
  }
  if (!sameSecret(params.user_code, user.password)) throw new OAuthError('invalid_credentials', 'the user code is not valid');
  const expiresIn = params.requested_expiry === undefined ? settings.expiresIn : Number(params.requested_expiry);
  const authReqId = Array.from({ length: 62 }, () => AUTH_REQ_ID_ALPHABET[randomInt(AUTH_REQ_ID_ALPHABET.length)]).join('');
  const interval = settings.interval;
  requests.set(authReqId, {
    authReqId,
    clientId: params.client_id,
    sub: user.sub,
    scopes,
    acrValues: params.acr_values,
    bindingMessage: params.binding_message,
    status: 'pending',
    createdAt: at,
    expiresAt: at + expiresIn * 1000,
    nextFetchAt: at + interval * 1000,
    interval,
  });
  return { status: 200, body: { auth_req_id: authReqId, expires_in: expiresIn, interval }, answer: 'ack', authReqId };
}

/** `POST {realm}/token` with the CIBA grant (`CIBAHandler`). */
export async function cibaToken(
  settings: SidSettings,
  requests: Map<string, SidRequest>,
  tokens: SidTokenIssuer,
  params: Record<string, string>,
  at: number,
): Promise<Answer> {
  const unknown = Object.keys(params).filter((name) => !TOKEN_PARAMS.has(name));
  if (unknown.length > 0) throw new OAuthError('invalid_request', `unknown parameters: ${unknown.join(', ')}`);
  if (params.grant_type !== CIBA_GRANT)
    throw new OAuthError('unsupported_grant_type', `grant_type ${params.grant_type ?? '(none)'} is not supported`);
  if (!params.auth_req_id) throw new OAuthError('invalid_request', 'missing parameter auth_req_id');
  const request = requests.get(params.auth_req_id);
  if (!request) throw new OAuthError('invalid_grant', 'the auth_req_id is not valid');
  if (request.clientId !== params.client_id) throw new OAuthError('invalid_grant', 'the client is not authorized to use the auth_req_id');
  const verdict = judgePoll(request, at);
  if (verdict.kind === 'error') throw new OAuthError(verdict.error, verdict.description);
  const user = settings.users.find((candidate) => candidate.sub === request.sub)!;
  return { status: 200, body: await tokens.issue(request, user, at), answer: 'tokens', authReqId: request.authReqId };
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
