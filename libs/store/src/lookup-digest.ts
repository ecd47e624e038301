import { createHash } from 'node:crypto';

/**
 * The Redis name of a bearer secret (a session id, a sign-in `state`): its SHA-256. The secrets
 * are 256-bit random values, so an unkeyed hash is enough to make a dump of Redis useless to
 * anyone who would present them, and every replica computes the same name.
 */
export function lookupDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
