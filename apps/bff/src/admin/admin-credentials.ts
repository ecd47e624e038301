import type { ConsumerConfig } from '@ciba/config';
import type { Request } from 'express';
import { bearerKey } from '../consumers/api-key.guard.js';
import type { ConsumerDirectory } from '../consumers/consumer-directory.js';

/** The same characters and length `bearerKey` accepts: a key is printable ASCII without spaces. */
const API_KEY = /^[\x21-\x7e]{1,512}$/;
/** Room for a user name beside a 512-character key; anything longer is not ours to decode. */
const BASIC = /^basic ([A-Za-z0-9+/]{4,1400}={0,2})$/i;

/**
 * The API key of a request to an admin page, from either header a caller can send:
 * `Authorization: Bearer <key>` (scripts, curl), or HTTP Basic with the key as the password
 * (RFC 7617: a browser cannot add a Bearer header to a navigation, but prompts for Basic
 * itself and resends it with every request of the page). The Basic user name is ignored.
 * Returns null for a missing or malformed header; nothing here logs or keeps the key.
 */
export function presentedApiKey(request: Pick<Request, 'headers'>): string | null {
  const bearer = bearerKey(request as Request);
  if (bearer) return bearer;
  const basic = BASIC.exec(request.headers.authorization ?? '');
  if (!basic || basic[1].length % 4 !== 0) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  // RFC 7617 §2: the user-id cannot contain a colon, so the password is everything after the first.
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const password = decoded.slice(colon + 1);
  return API_KEY.test(password) ? password : null;
}

/** What an admin page may answer: the key is missing or wrong, belongs to a non-admin, or to an admin. */
export type AdminAccess = { kind: 'unauthorized' } | { kind: 'not-admin' } | { kind: 'admin'; consumer: ConsumerConfig };

/**
 * Who is asking for an admin page. The key is looked up like any API key (hashed, compared in
 * constant time); only a consumer configured with `admin: true` is let in.
 */
export function adminAccess(directory: Pick<ConsumerDirectory, 'find'>, request: Pick<Request, 'headers'>): AdminAccess {
  const key = presentedApiKey(request);
  const consumer = key ? directory.find(key) : null;
  if (!consumer) return { kind: 'unauthorized' };
  return consumer.admin ? { kind: 'admin', consumer } : { kind: 'not-admin' };
}
