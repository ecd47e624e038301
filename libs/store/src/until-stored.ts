import { setTimeout as sleep } from 'node:timers/promises';
import { storeFailureKind, type StoreFailureKind } from './store-failure.js';

/** How long a worker keeps trying to store what a provider told it before it gives up. */
const STORE_ANSWER_PATIENCE_MS = 60_000;
const FIRST_DELAY_MS = 100;
/** Matches the connections' reconnect cap: a Redis that is back is used within about a second. */
const MAX_DELAY_MS = 1000;

/**
 * Runs a store operation until it succeeds, waiting out store failures (Redis restarting,
 * unreachable, out of memory; only those of `kinds`). For what a worker learned from a provider
 * and must not lose: the answer exists only in this process until it is stored. Any other error,
 * or running out of patience, is thrown. The operation must be idempotent (our scripts are: a
 * repeat of an applied change answers "applied").
 */
export async function untilStored<T>(
  operation: () => Promise<T>,
  onFailure: (error: unknown, attempt: number) => void,
  patienceMs = STORE_ANSWER_PATIENCE_MS,
  kinds: readonly StoreFailureKind[] = ['unreachable', 'refusing'],
): Promise<T> {
  const giveUpAt = Date.now() + patienceMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const kind = storeFailureKind(error);
      if (kind === null || !kinds.includes(kind) || Date.now() >= giveUpAt) throw error;
      onFailure(error, attempt);
      // Never past the patience: the last attempt starts before it runs out.
      await sleep(Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS, Math.max(0, giveUpAt - Date.now())));
    }
  }
}
