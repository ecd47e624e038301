/**
 * Wall-clock time in epoch milliseconds with sub-millisecond resolution. Every process of the
 * bench (provider, driver, baseline) reads the same machine clock this way, so times taken in
 * different processes can be subtracted (approval at the provider, result seen at the client).
 */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
