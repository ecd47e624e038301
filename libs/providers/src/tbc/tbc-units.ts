/**
 * TBC's other APIs give durations in milliseconds (`expires_in: 3600000`, `issued_at` as epoch
 * ms) where OAuth says seconds (RFC 6749 §5.1, CIBA Core §7.3). We cannot know which one the CIBA
 * endpoints use, so a value is read as milliseconds only when it cannot plausibly be seconds.
 */

/** An access token living longer than a day is implausible; a value above this is milliseconds. */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** A CIBA request waiting for the customer longer than an hour is implausible. */
export const MAX_REQUEST_LIFETIME_SECONDS = 3_600;
/** A poll interval above a minute is implausible (CIBA Core §7.3 suggests 5 s). */
export const MAX_INTERVAL_SECONDS = 60;
/** Epoch seconds pass 10^11 only in the year 5138: a timestamp above it is in milliseconds. */
const EPOCH_MS_THRESHOLD = 1e11;

/** A finite number from a number or a numeric string (Idura-style `"120"`), else undefined. */
export function numeric(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * A token response's `expires_in` in seconds: milliseconds when `issued_at` is an epoch in
 * milliseconds (TBC's convention travels together), or when the value exceeds a day.
 */
export function tokenLifetimeSeconds(expiresIn: number, issuedAt: unknown): number {
  const issued = numeric(issuedAt);
  const inMilliseconds = (issued !== undefined && issued > EPOCH_MS_THRESHOLD) || expiresIn > MAX_TOKEN_LIFETIME_SECONDS;
  return inMilliseconds ? Math.floor(expiresIn / 1000) : expiresIn;
}

/** The acknowledgement's `expires_in` in seconds: above an hour it can only be milliseconds. */
export function requestLifetimeSeconds(expiresIn: number): number {
  return expiresIn > MAX_REQUEST_LIFETIME_SECONDS ? Math.floor(expiresIn / 1000) : expiresIn;
}

/** The acknowledgement's `interval` in seconds: above a minute it can only be milliseconds. */
export function intervalSeconds(interval: number): number {
  return interval > MAX_INTERVAL_SECONDS ? Math.max(1, Math.ceil(interval / 1000)) : interval;
}
