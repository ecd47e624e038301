import type { MachineLoad } from '../metrics/machine-load.js';
import type { Distribution } from '../metrics/percentiles.js';

export type Implementation = 'bff' | 'baseline';

/** How polling went, measured at the provider's door. */
export interface PollingResult {
  /** Token requests received. */
  polls: number;
  /** Token requests sooner than the interval after the previous one for the same auth_req_id. */
  earlyPolls: number;
  /** The smallest gap between two polls of one auth_req_id, ms (should be ≥ interval). */
  minGapMs: number;
  /**
   * How long after the allowed moment each poll came, ms: the previous poll + interval, or for
   * the first one the acknowledgement + interval (both clients wait one interval first).
   */
  latenessMs: Distribution;
  /** Polls per second while at least 90 % of the peak number of requests were pending (median of 1 s buckets). */
  sustainedPollsPerSecond: number;
  /** What those pending requests asked for: pending / interval (median over the same buckets). */
  demandPollsPerSecond: number;
  peakPending: number;
  /** From approval to the poll that collected the tokens, ms. */
  approvalToRedeemedMs: Distribution;
  strayPolls: number;
}

export interface ScenarioResult {
  name: string;
  implementation: Implementation;
  count: number;
  /** Worker processes (BFF); null for the baseline. */
  workers: number | null;
  /** From the first start request to the last outcome seen, s. */
  durationSeconds: number;
  outcomes: Record<string, number>;
  polling: PollingResult;
  start: { requestsPerSecond: number; latencyMs: Distribution; failed: number };
  /** From the provider's approval to the client seeing the result, ms. */
  approvalToSeenMs: Distribution;
  /** From the poll that collected the tokens to the client seeing the result, ms (the BFF's own path). */
  redeemedToSeenMs: Distribution;
  /** approval → seen at 1 %, 2 %, ..., 100 % (ms), for the chart. */
  approvalToSeenCurve: number[];
  cpu: {
    secondsByProcess: Record<string, number>;
    totalSeconds: number;
    perThousandPolls: number;
    /** CPU seconds by process from the first start request to the last start answered (BFF only). */
    startPhaseSecondsByProcess?: Record<string, number>;
  };
  peakRss: { bytesByProcess: Record<string, number>; totalBytes: number };
  redis: {
    /** used_memory growth per pending authentication, bytes (sampled before the first approval). */
    bytesPerPending: number | null;
    /** How many were pending at that sample. */
    pendingAtSample: number;
    /** used_memory growth per finished authentication kept for `storage.retentionSeconds`, bytes. */
    bytesPerFinished: number;
    /** What the growth is made of, by kind of key, when every authentication was pending at once. */
    breakdown: RedisBreakdown | null;
    /** Redis commands of the measured phase, busiest (calls × time) first. */
    commands: { command: string; perPoll: number; usecPerCall: number }[];
  } | null;
  /** CPU that other processes on the machine used meanwhile (a busy neighbour makes every number worse). */
  machineLoad: MachineLoad;
  /** BFF log lines at warn or above (count and a sample). */
  problems: { count: number; sample: string[] };
}

export interface RedisBreakdown {
  pending: number;
  usedMemoryGrowthPerPending: number;
  /** Bytes per pending authentication by key kind; the rest of the growth is outside keys (subscriptions, buffers). */
  groups: { pattern: string; keys: number; bytesPerPending: number }[];
}
