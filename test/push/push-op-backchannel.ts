import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OAuthError, type HintName } from './push-op-model.js';

export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
const MAX_FORM_BYTES = 64 * 1024;
const HINTS: HintName[] = ['login_hint', 'login_hint_token', 'id_token_hint'];
/** CIBA Core §7.1 parameters this provider understands; anything else is refused. */
const KNOWN = new Set([
  'scope',
  'client_notification_token',
  'acr_values',
  'binding_message',
  'requested_expiry',
  'claims',
  'ui_locales',
  'authorization_details',
  'client_id',
  ...HINTS,
]);
/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The checked parameters of a backchannel authentication request. */
export interface BackchannelParams {
  hint: { name: HintName; value: string };
  scope: string;
  clientNotificationToken: string;
  bindingMessage?: string;
  acrValues?: string;
  requestedExpiry?: number;
  params: Record<string, string>;
}

/** The body of a form POST: urlencoded only, each parameter at most once (RFC 6749 §3.1). */
export async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const text = await readText(request, MAX_FORM_BYTES);
  if (request.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'POST only');
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in form) throw new OAuthError(400, 'invalid_request', `parameter ${name} is repeated`);
    form[name] = value;
  }
  return form;
}

/**
 * client_secret_basic (RFC 6749 §2.3.1: id and secret form-urlencoded, then Base64), the only
 * method this provider registered for the client. Removes `client_id` from the form.
 */
export function authenticateClient(
  authorization: string | undefined,
  form: Record<string, string>,
  client: { id: string; secret: string },
): void {
  const challenge = { 'www-authenticate': 'Basic realm="push-op"' };
  if ('client_secret' in form || 'client_assertion' in form) {
    const error = authorization ? 'invalid_request' : 'invalid_client';
    throw new OAuthError(authorization ? 400 : 401, error, 'this client authenticates with client_secret_basic only', challenge);
  }
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(authorization ?? '');
  if (!match) throw new OAuthError(401, 'invalid_client', 'client authentication is missing', challenge);
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [id, secret] = colon < 0 ? [decoded, ''] : [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
  if (id !== client.id || !sameText(secret, client.secret)) {
    throw new OAuthError(401, 'invalid_client', 'client authentication failed', challenge);
  }
  if (form.client_id !== undefined && form.client_id !== client.id) {
    throw new OAuthError(400, 'invalid_request', 'client_id differs from the authenticated client');
  }
}

/** CIBA Core §7.1 as a push-mode provider enforces it (errors per §13). */
export function checkBackchannel(form: Record<string, string>): BackchannelParams {
  for (const name of Object.keys(form)) {
    if (!KNOWN.has(name)) throw new OAuthError(400, 'invalid_request', `parameter ${name} is not supported`);
  }
  const given = HINTS.filter((name) => form[name] !== undefined);
  if (given.length !== 1)
    throw new OAuthError(400, 'invalid_request', 'exactly one of login_hint, login_hint_token, id_token_hint is required');
  if (!(form.scope ?? '').split(' ').includes('openid')) throw new OAuthError(400, 'invalid_scope', 'scope must contain openid');
  const token = form.client_notification_token;
  // CIBA Core §7.1: REQUIRED for a client registered for ping or push; RFC 6750 syntax, ≤ 1024.
  if (token === undefined) throw new OAuthError(400, 'invalid_request', 'client_notification_token is required in push mode');
  if (token.length > 1024 || !B64TOKEN.test(token)) {
    throw new OAuthError(400, 'invalid_request', 'client_notification_token must be an RFC 6750 b64token of at most 1024 characters');
  }
  if (form.requested_expiry !== undefined && !/^[1-9][0-9]{0,5}$/.test(form.requested_expiry)) {
    throw new OAuthError(400, 'invalid_request', 'requested_expiry must be a positive integer');
  }
  for (const name of ['claims', 'authorization_details'] as const) {
    if (form[name] !== undefined && !isJson(form[name])) throw new OAuthError(400, 'invalid_request', `${name} must be JSON`);
  }
  return {
    hint: { name: given[0], value: form[given[0]] },
    scope: form.scope,
    clientNotificationToken: token,
    bindingMessage: form.binding_message,
    acrValues: form.acr_values,
    requestedExpiry: form.requested_expiry === undefined ? undefined : Number(form.requested_expiry),
    params: form,
  };
}

export async function readText(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new OAuthError(413, 'invalid_request', 'the body is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError(401, 'invalid_client', 'client credentials are not form-urlencoded');
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
