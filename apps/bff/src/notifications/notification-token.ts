import { createHash, randomBytes } from 'node:crypto';
import type { Keyring } from '@ciba/store';

/**
 * A `client_notification_token`: 256 random bits, base64url, which fits RFC 6750's b64token
 * syntax and CIBA Core §7.1's "at least 128 bits". Only its SHA-256 is stored (a token of this
 * entropy needs no slower hash).
 */
export const newNotificationToken = (): string => randomBytes(32).toString('base64url');

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Where a notification's auth_req_id leads: a keyed hash, so the index holds no auth_req_id. */
export const notificationKey = (keyring: Pick<Keyring, 'hmac'>, provider: string, authReqId: string): string =>
  keyring.hmac('notification', `${provider}\u0000${authReqId}`);

/** The same under every key of the keyring (an index entry written before a key rotation). */
export const notificationKeys = (keyring: Pick<Keyring, 'hmacs'>, provider: string, authReqId: string): string[] =>
  keyring.hmacs('notification', `${provider}\u0000${authReqId}`);
