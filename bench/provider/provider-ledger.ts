import { createHash } from 'node:crypto';
import { isWarmUpHint } from '../support/login-hints.js';

/** Everything the provider saw of one backchannel request. */
export interface LedgerEntry {
  authReqId: string;
  loginHint: string;
  /** When the acknowledgement was sent (epoch ms). */
  ackAt: number;
  /** From when token requests are answered with tokens (epoch ms). */
  approveAt: number;
  /** Arrival times of every token request for this auth_req_id (epoch ms). */
  polls: number[];
  /** When the tokens were handed out (epoch ms), or null. */
  redeemedAt: number | null;
}

/** What the parent fetches from `GET /admin/ledger` after a run. */
export interface LedgerSnapshot {
  interval: number;
  entries: LedgerEntry[];
  /** Token requests that named no known auth_req_id, or a redeemed one. */
  strayPolls: number;
  /** Requests refused for bad client authentication or a malformed body. */
  refused: number;
}

/** The snapshot without the warm-up's authentications: every statistic is of the measured phase only. */
export function measuredPart(snapshot: LedgerSnapshot): LedgerSnapshot {
  return { ...snapshot, entries: snapshot.entries.filter((entry) => !isWarmUpHint(entry.loginHint)) };
}

/** The provider's record of every request and poll, which the statistics are computed from. */
export class ProviderLedger {
  private readonly byAuthReqId = new Map<string, LedgerEntry>();
  strayPolls = 0;
  refused = 0;

  constructor(
    private readonly approvalDelayMs: number,
    private readonly approvalJitterMs: number,
  ) {}

  acknowledge(authReqId: string, loginHint: string, ackAt: number): LedgerEntry {
    const entry: LedgerEntry = {
      authReqId,
      loginHint,
      ackAt,
      approveAt: ackAt + this.approvalDelayMs + jitterFor(loginHint, this.approvalJitterMs),
      polls: [],
      redeemedAt: null,
    };
    this.byAuthReqId.set(authReqId, entry);
    return entry;
  }

  find(authReqId: string): LedgerEntry | undefined {
    return this.byAuthReqId.get(authReqId);
  }

  snapshot(interval: number): LedgerSnapshot {
    return { interval, entries: [...this.byAuthReqId.values()], strayPolls: this.strayPolls, refused: this.refused };
  }
}

/** A fixed offset in [0, span) derived from the hint: the same for every run that uses the hint. */
export function jitterFor(loginHint: string, span: number): number {
  if (span <= 0) return 0;
  const word = createHash('sha256').update(loginHint).digest().readUInt32BE(0);
  return (word / 2 ** 32) * span;
}
