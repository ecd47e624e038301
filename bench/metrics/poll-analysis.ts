import type { LedgerSnapshot } from '../provider/provider-ledger.js';
import type { PollingResult } from '../scenario/scenario-result.js';
import { distribution, percentile } from './percentiles.js';

/** Lateness, early polls and sustained rate from the provider's ledger. */
export function analysePolling(ledger: LedgerSnapshot): PollingResult {
  const intervalMs = ledger.interval * 1000;
  const lateness: number[] = [];
  const approvalToRedeemed: number[] = [];
  let earlyPolls = 0;
  let minGapMs = Number.POSITIVE_INFINITY;
  let polls = 0;
  for (const entry of ledger.entries) {
    let previous = entry.ackAt;
    entry.polls.forEach((arrival, i) => {
      polls += 1;
      lateness.push(arrival - (previous + intervalMs));
      if (i > 0) {
        const gap = arrival - previous;
        minGapMs = Math.min(minGapMs, gap);
        if (gap < intervalMs) earlyPolls += 1;
      }
      previous = arrival;
    });
    if (entry.redeemedAt !== null) approvalToRedeemed.push(entry.redeemedAt - entry.approveAt);
  }
  return {
    polls,
    earlyPolls,
    minGapMs: Number.isFinite(minGapMs) ? minGapMs : Number.NaN,
    latenessMs: distribution(lateness),
    ...sustainedRate(ledger, intervalMs),
    approvalToRedeemedMs: distribution(approvalToRedeemed),
    strayPolls: ledger.strayPolls,
  };
}

/**
 * The poll rate the client kept up while (nearly) everything was pending: 1 s buckets, pending
 * counted at each bucket's middle (acknowledged, not yet redeemed), buckets with at least 90 % of
 * the peak pending kept, medians taken. At a load the client can carry, sustained ≈ demand; past
 * it, sustained is the client's capacity.
 */
function sustainedRate(
  ledger: LedgerSnapshot,
  intervalMs: number,
): Pick<PollingResult, 'sustainedPollsPerSecond' | 'demandPollsPerSecond' | 'peakPending'> {
  const entries = ledger.entries;
  if (entries.length === 0) return { sustainedPollsPerSecond: 0, demandPollsPerSecond: 0, peakPending: 0 };
  const origin = Math.min(...entries.map((entry) => entry.ackAt));
  const end = Math.max(...entries.map((entry) => entry.redeemedAt ?? entry.polls[entry.polls.length - 1] ?? entry.ackAt));
  const buckets = Math.ceil((end - origin) / 1000) + 1;
  const pollCounts = new Array<number>(buckets).fill(0);
  const pendingDelta = new Array<number>(buckets + 1).fill(0);
  for (const entry of entries) {
    for (const arrival of entry.polls) pollCounts[Math.floor((arrival - origin) / 1000)] += 1;
    // Pending at the middle of bucket b: ackAt ≤ mid < redeemedAt.
    const from = Math.max(0, Math.ceil((entry.ackAt - origin - 500) / 1000));
    const until = entry.redeemedAt === null ? buckets : Math.max(from, Math.ceil((entry.redeemedAt - origin - 500) / 1000));
    pendingDelta[from] += 1;
    pendingDelta[until] -= 1;
  }
  const pending: number[] = [];
  let running = 0;
  for (let b = 0; b < buckets; b += 1) pending.push((running += pendingDelta[b]));
  const peakPending = Math.max(...pending);
  const busy = pending.map((value, b) => ({ value, b })).filter(({ value }) => value >= 0.9 * peakPending);
  const sortedPolls = busy.map(({ b }) => pollCounts[b]).sort((x, y) => x - y);
  const sortedDemand = busy.map(({ value }) => (value * 1000) / intervalMs).sort((x, y) => x - y);
  return { sustainedPollsPerSecond: percentile(sortedPolls, 50), demandPollsPerSecond: percentile(sortedDemand, 50), peakPending };
}
