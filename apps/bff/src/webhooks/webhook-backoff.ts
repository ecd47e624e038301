/** Retries continue at least this long after the first attempt (API.md §4: "at least an hour"). */
export const WEBHOOK_RETRY_HORIZON_MS = 65 * 60 * 1000;
const FIRST_RETRY_MS = 5000;
const MAX_DELAY_MS = 15 * 60 * 1000;

/**
 * The wait before retry `attempt` (1 = the first retry): 5 s, then doubling to 15 min, with
 * ±20 % jitter so that many receivers coming back at once are not hit together. The first retry
 * stays within 10 s.
 */
export function webhookRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}
