import type { ClientObservation } from '../driver/client-observation.js';
import { distribution, quantileCurve } from '../metrics/percentiles.js';
import type { LedgerSnapshot } from '../provider/provider-ledger.js';
import type { ScenarioResult } from './scenario-result.js';

type ClientSide = Pick<
  ScenarioResult,
  'outcomes' | 'start' | 'approvalToSeenMs' | 'redeemedToSeenMs' | 'approvalToSeenCurve' | 'durationSeconds'
>;

/**
 * What the clients saw, joined with the provider's ledger on the login hint (one per
 * authentication): approval → seen uses the provider's approval time and the client's arrival
 * time, both read from the same machine clock.
 */
export function analyseObservations(observations: ClientObservation[], ledger: LedgerSnapshot): ClientSide {
  const byHint = new Map(ledger.entries.map((entry) => [entry.loginHint, entry]));
  const outcomes: Record<string, number> = {};
  const approvalToSeen: number[] = [];
  const redeemedToSeen: number[] = [];
  const startLatency: number[] = [];
  let failedStarts = 0;
  for (const observation of observations) {
    outcomes[observation.status] = (outcomes[observation.status] ?? 0) + 1;
    if (observation.status.startsWith('error:start')) failedStarts += 1;
    else startLatency.push(observation.startAnsweredAt - observation.startSentAt);
    const entry = byHint.get(observation.loginHint);
    if (observation.status !== 'approved' || observation.seenAt === null || !entry) continue;
    approvalToSeen.push(observation.seenAt - entry.approveAt);
    if (entry.redeemedAt !== null) redeemedToSeen.push(observation.seenAt - entry.redeemedAt);
  }
  const firstSent = Math.min(...observations.map((o) => o.startSentAt));
  const lastAnswered = Math.max(...observations.map((o) => o.startAnsweredAt));
  const lastSeen = Math.max(...observations.map((o) => o.seenAt ?? o.startAnsweredAt));
  return {
    outcomes,
    start: {
      requestsPerSecond: (observations.length - failedStarts) / ((lastAnswered - firstSent) / 1000),
      latencyMs: distribution(startLatency),
      failed: failedStarts,
    },
    approvalToSeenMs: distribution(approvalToSeen),
    redeemedToSeenMs: distribution(redeemedToSeen),
    approvalToSeenCurve: quantileCurve(approvalToSeen),
    durationSeconds: (lastSeen - firstSent) / 1000,
  };
}
