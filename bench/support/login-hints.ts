/**
 * The login hint of the i-th authentication of a run. The same list is used by the BFF runs and
 * the baseline, so the provider approves the same hints at the same offsets for both.
 */
export const loginHint = (index: number): string => `bench-user-${index}`;
