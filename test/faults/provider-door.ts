import type { LedgerProxy } from '../scale/ledger-proxy.js';

/**
 * What must hold at the provider's door whatever broke on our side: no token request sooner
 * than the interval after the previous answer for the same auth_req_id, and no auth_req_id
 * redeemed (answered 200) more than once. `approvals` is how many redemptions there must be.
 */
export function expectProviderDoorKept(ledger: LedgerProxy, intervalSeconds: number, expected: { approvals: number }): void {
  const byRequest = new Map<string, LedgerProxy['tokenRequests']>();
  for (const entry of ledger.tokenRequests) byRequest.set(entry.authReqId, [...(byRequest.get(entry.authReqId) ?? []), entry]);
  const early: string[] = [];
  const redeemedTwice: string[] = [];
  let redemptions = 0;
  for (const [authReqId, polls] of byRequest) {
    for (let i = 1; i < polls.length; i += 1) {
      const gap = polls[i].arrivedAt - (polls[i - 1].answeredAt ?? polls[i - 1].arrivedAt);
      if (gap < intervalSeconds * 1000) early.push(`${authReqId.slice(0, 8)}: ${gap} ms`);
    }
    const redeemed = polls.filter((poll) => poll.status === 200).length;
    if (redeemed > 1) redeemedTwice.push(authReqId.slice(0, 8));
    redemptions += Math.min(redeemed, 1);
  }
  expect({ early, redeemedTwice, redemptions }).toEqual({ early: [], redeemedTwice: [], redemptions: expected.approvals });
}
