import type { Redis } from 'ioredis';

/**
 * Waits for a moment when no poll is in flight and none is due within `marginMs`: every record
 * has no in-flight marker, and every pending one without a saved approval polls no sooner than
 * that. A worker killed then has no token request open, so the product cannot mistake the kill
 * for an interrupted redemption (`result_indeterminate`, worker-restart.e2e-spec.ts covers that
 * case); jobs it holds mid-verification are still lost with it and must be recovered.
 */
export async function waitForQuietMoment(redis: Redis, keyOf: (id: string) => string, ids: string[], marginMs: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(keyOf(id), 'status', 'inflight', 'nextPollAt', 'tokenResponse');
    const rows = ((await pipeline.exec()) ?? []).map(([, row]) => row as (string | null)[]);
    const now = Date.now();
    const quiet = rows.every(([status, inflight, nextPollAt, tokenResponse]) => {
      if (inflight) return false;
      if (status !== 'pending' || tokenResponse) return true;
      return Number(nextPollAt) - now >= marginMs;
    });
    if (quiet) return;
    // Record state has no event of its own; a short read loop is the only way to see it.
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error(`no quiet moment of ${marginMs} ms within ${timeoutMs} ms`);
}
