import type { ClientObservation } from '../driver/client-observation.js';

/** The baseline process's task; passed as JSON in `BENCH_BASELINE`. */
export interface BaselineSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  count: number;
  concurrency: number;
  /** The pace of the measured starts (null: as fast as `concurrency` allows); see RunSettings.startRate. */
  startsPerSecond: number | null;
  /** Authentications started and polled for `warmUpPollingMs` before "ready"; see RunSettings.warmUp. */
  warmUp: number;
  warmUpPollingMs: number;
}

export const BASELINE_SETTINGS_VARIABLE = 'BENCH_BASELINE';

/** IPC between the bench and the baseline process. */
export type BaselineMessage =
  | { type: 'ready' }
  | { type: 'progress'; created: number; finished: number }
  | { type: 'done'; observations: ClientObservation[] }
  | { type: 'failed'; error: string };
