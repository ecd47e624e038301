import type { FollowMode } from '../driver/consumer-driver.js';

/** What every scenario of one bench run shares. */
export interface RunSettings {
  intervalSeconds: number;
  approvalDelaySeconds: number;
  /** Per-hint offset added to the approval moment, ms (see ProviderSettings.approvalJitterMs). */
  approvalJitterMs: number;
  expiresInSeconds: number;
  /** Start requests in flight at once. */
  startConcurrency: number;
  /**
   * The pace of the measured starts: 'interval' spreads the N starts evenly over one interval, so
   * polls are asked for at an even N / interval per second from the first one on (1,000 polls/s at
   * N = 1,000: the load the targets are stated for); a number is starts per second; 'max' sends
   * each as soon as one of `startConcurrency` is free, which makes the load's shape depend on how
   * fast the API answers (a warm API starts 1,000 in 0.8 s, and their polls then fall due in the
   * same 0.8 s of every interval).
   */
  startRate: 'interval' | 'max' | number;
  /** How the BFF's consumer waits for results (the baseline awaits its own loop). */
  follow: FollowMode;
  /**
   * Authentications started before the measured phase and left out of every statistic, so that
   * the costs per start and per poll are those of processes that have run a while, not their
   * one-off warm-up (V8 compiling the hot paths, heaps growing to size). Each implementation
   * starts them, polls them for `warmUpPollingMs` and then drops them: the BFF's consumer cancels
   * them, the baseline aborts its polling loops.
   */
  warmUp: number;
  /** BFF `pollConcurrency` per worker; undefined = the product default. */
  pollConcurrency?: number;
  aof: boolean;
  /** CONFIG SET on the BFF's redis-server before the BFF starts (empty: redis-server's defaults). */
  redisConfig: Record<string, string>;
  /** Write V8 CPU profiles of the BFF processes (and the baseline) here. */
  cpuProfileDir?: string;
}

/** Starts per second for a scenario of `count` authentications (null: no pace); see RunSettings.startRate. */
export function startsPerSecond(settings: Pick<RunSettings, 'startRate' | 'intervalSeconds'>, count: number): number | null {
  if (settings.startRate === 'max') return null;
  return settings.startRate === 'interval' ? count / settings.intervalSeconds : settings.startRate;
}

/** Three polls of each warm-up authentication: the poll path warms up as well as the start path. */
export const warmUpPollingMs = (settings: Pick<RunSettings, 'intervalSeconds'>): number => 3 * settings.intervalSeconds * 1000;

export const CLIENT_ID = 'bench-client';
export const CLIENT_SECRET = 'bench-secret-0123456789';
