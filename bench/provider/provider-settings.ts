/** How the bench's CIBA provider behaves; passed to its process as JSON in `BENCH_PROVIDER`. */
export interface ProviderSettings {
  clientId: string;
  clientSecret: string;
  /** The `interval` of every acknowledgement, seconds (CIBA Core §7.3). */
  interval: number;
  /** The `expires_in` of every acknowledgement, seconds. */
  expiresIn: number;
  /** A request becomes approved this long after its acknowledgement ... */
  approvalDelayMs: number;
  /**
   * ... plus a fixed per-hint offset in [0, approvalJitterMs). A person answers at a moment that
   * has nothing to do with the client's poll phase; without it every approval would land at the
   * same phase of a 1 s poll cycle and "approval → result seen" would measure that coincidence.
   * The offset depends only on the login hint, so the BFF and the baseline get the same ones.
   */
  approvalJitterMs: number;
}

export const PROVIDER_SETTINGS_VARIABLE = 'BENCH_PROVIDER';
