import { now, sleep } from './clock.js';

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` in flight, in index order (the way
 * a portal's backend would fire requests from a bounded pool), and, with `perSecond`, the i-th
 * no sooner than i / perSecond seconds after the first: requests at a steady pace, as many
 * people's clicks arrive, rather than as fast as the server answers.
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  perSecond: number | null = null,
): Promise<void> {
  const firstAt = now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      if (perSecond !== null) {
        const wait = firstAt + (index * 1000) / perSecond - now();
        if (wait > 0) await sleep(wait);
      }
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
