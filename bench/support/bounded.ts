/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` in flight, in index order (the way
 * a portal's backend would fire requests from a bounded pool).
 */
export async function forEachBounded(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
