/** What every scenario of one bench run shares. */
export interface RunSettings {
  intervalSeconds: number;
  approvalDelaySeconds: number;
  /** Per-hint offset added to the approval moment, ms (see ProviderSettings.approvalJitterMs). */
  approvalJitterMs: number;
  expiresInSeconds: number;
  /** Start requests in flight at once. */
  startConcurrency: number;
  /** BFF `pollConcurrency` per worker; undefined = the product default. */
  pollConcurrency?: number;
  aof: boolean;
  /** CONFIG SET on the BFF's redis-server before the BFF starts (empty: redis-server's defaults). */
  redisConfig: Record<string, string>;
  /** Write V8 CPU profiles of the BFF processes (and the baseline) here. */
  cpuProfileDir?: string;
}

export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = 'bench-secret-0123456789';
