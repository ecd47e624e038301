/**
 * The login hint of the i-th authentication of a run. The same list is used by the BFF runs and
 * the baseline, so the provider approves the same hints at the same offsets for both.
 */
export const loginHint = (index: number): string => `bench-user-${index}`;

/**
 * The login hint of the i-th warm-up authentication (started before the measured phase, so that
 * a fresh process's one-off costs are not counted per start or per poll): never one of `loginHint`'s.
 */
export const warmUpHint = (index: number): string => `bench-warmup-${index}`;

export const isWarmUpHint = (hint: string): boolean => hint.startsWith('bench-warmup-');
