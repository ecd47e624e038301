import { randomBytes } from 'node:crypto';

/**
 * Keys oidc-provider signs its session and interaction cookies with (koa's `keys`). Fresh per
 * start, like the signing keys: a restart forgets every session anyway, since nothing is stored.
 */
export function generateCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}
