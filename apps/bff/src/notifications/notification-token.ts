import { createHash, randomBytes } from 'node:crypto';
import type { PollState } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
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

/**
 * The first run of the job by delivery mode: poll at the interval; ping only as a fallback
 * (at most every `pingFallbackSeconds`, never sooner than the interval); push never polls
 * (CIBA Core §10.3: push clients may not use the token endpoint) and runs at the deadline.
 */
export function firstPoll<T extends PollState & { nextPollAt: number }>(state: T, provider: ProviderConfig, acknowledgedAt: number): T {
  if (provider.deliveryMode === 'push') return { ...state, nextPollAt: state.expiresAt };
  if (provider.deliveryMode === 'ping') {
    return { ...state, nextPollAt: acknowledgedAt + Math.max(state.interval, provider.pingFallbackSeconds) * 1000 };
  }
  return state;
}
