import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** A refusal in TBC's format (RFC 7807 `application/problem+json`) or as an OAuth JSON error. */
export interface Refusal {
  status: number;
  /** The machine-readable code (`invalid_user_code`, `authorization_pending`, ...). */
  code: string;
  /** Free text that must never reach a consumer verbatim (tests look for it). */
  detail: string;
}

export type ErrorFormat = 'problem' | 'oauth';

export class RefusalError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

export function refuse(status: number, code: string, detail: string): never {
  throw new RefusalError({ status, code, detail });
}

export function sendRefusal(response: ServerResponse, refusal: Refusal, format: ErrorFormat): void {
  if (format === 'oauth') {
    sendJson(response, refusal.status, { error: refusal.code, error_description: refusal.detail });
    return;
  }
  const slug = refusal.code.toLowerCase().replace(/_/g, '-');
  const body = {
    type: `https://developers.tbcbank.ge/problems/${slug}`,
    title: titleOf(refusal.code),
    status: refusal.status,
    detail: refusal.detail,
    code: refusal.code,
  };
  response.writeHead(refusal.status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(body));
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The form of a POST, strictly: `application/x-www-form-urlencoded` only, no parameter twice
 * (RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once").
 */
export async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (request.method !== 'POST') refuse(405, 'invalid_request', `method ${request.method} not allowed`);
  if (type !== 'application/x-www-form-urlencoded') refuse(415, 'invalid_request', `content type ${type || '(none)'} not accepted`);
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (name in form) refuse(400, 'invalid_request', `parameter ${name} given twice`);
    form[name] = value;
  }
  return form;
}

/** Parameters outside `allowed` are an error, as a strict server answers them. */
export function onlyAllowed(form: Record<string, string>, allowed: readonly string[]): void {
  const extra = Object.keys(form).filter((name) => !allowed.includes(name));
  if (extra.length > 0) refuse(400, 'invalid_request', `unexpected parameters: ${extra.join(', ')}`);
}

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'tls_client_auth';

/** Our client as registered at the bank: a secret, or (mTLS) the fingerprint of its certificate. */
export interface RegisteredClient {
  id: string;
  method: ClientAuthMethod;
  secret?: string;
  certificateFingerprint256?: string;
}

/**
 * Client authentication as configured for our client: exactly one method (RFC 6749 §2.3), the
 * secret compared in constant time. Removes `client_secret` from the form it returns.
 */
export function authenticateClient(
  request: IncomingMessage,
  form: Record<string, string>,
  client: RegisteredClient,
): Record<string, string> {
  const header = request.headers.authorization;
  const { client_secret: postedSecret, ...rest } = form;
  if (client.method === 'tls_client_auth') {
    checkCertificate(request, form, client);
    return rest;
  }
  let id: string | undefined;
  let secret: string | undefined;
  if (client.method === 'client_secret_post') {
    if (header) refuse(401, 'invalid_client', 'client authenticated by more than one method');
    id = form.client_id;
    secret = postedSecret;
  } else {
    if (postedSecret !== undefined || !header?.startsWith('Basic ')) refuse(401, 'invalid_client', 'client_secret_basic expected');
    const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    id = decodeURIComponent(user ?? '');
    secret = decodeURIComponent(password ?? '');
    if (form.client_id !== undefined && form.client_id !== id)
      refuse(401, 'invalid_client', 'client_id differs from the authenticated client');
  }
  if (id !== client.id || !secret || !sameSecret(secret, client.secret ?? ''))
    refuse(401, 'invalid_client', 'client authentication failed');
  return rest;
}

/**
 * RFC 8705 §2.1 (PKI method): a certificate chaining to the trusted CA, exactly the registered
 * one, `client_id` in the form, and no other credential.
 */
function checkCertificate(request: IncomingMessage, form: Record<string, string>, client: RegisteredClient): void {
  const socket = request.socket as TLSSocket;
  const fingerprint = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().fingerprint256 : undefined;
  if (!fingerprint || !socket.authorized) refuse(401, 'invalid_client', 'no trusted client certificate');
  if (fingerprint !== client.certificateFingerprint256) refuse(401, 'invalid_client', 'client certificate is not the registered one');
  if (form.client_id !== client.id) refuse(401, 'invalid_client', 'client_id missing or unknown');
  if (request.headers.authorization || 'client_secret' in form || 'client_assertion' in form)
    refuse(401, 'invalid_client', 'client authenticated by more than one method');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function titleOf(code: string): string {
  const words = code.toLowerCase().split(/[_-]/).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
