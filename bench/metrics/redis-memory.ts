import type { ClientProgress } from '../driver/client-observation.js';
import { now } from '../support/clock.js';

export interface MemorySample {
  at: number;
  usedMemory: number;
  /** Authentications created (start answered 201) around the sample: the mean of before and after reading. */
  created: number;
  finished: number;
}

/** Samples Redis `used_memory` together with the driver's progress, so growth can be divided by what is pending. */
export class RedisMemorySampler {
  readonly samples: MemorySample[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly usedMemory: () => Promise<number>,
    private readonly progress: ClientProgress,
  ) {}

  start(everyMs = 250): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Bytes per pending authentication: the sample taken before the first approval with the most
   * authentications created and none finished, its growth over `baseline` divided by that count.
   */
  perPending(baseline: number, firstApprovalAt: number): { bytesPerPending: number | null; pendingAtSample: number } {
    const candidates = this.samples.filter((sample) => sample.at < firstApprovalAt && sample.finished === 0 && sample.created > 0);
    const best = candidates.sort((a, b) => b.created - a.created || b.at - a.at)[0];
    if (!best) return { bytesPerPending: null, pendingAtSample: 0 };
    return { bytesPerPending: (best.usedMemory - baseline) / best.created, pendingAtSample: Math.round(best.created) };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const before = this.progress.created;
      const usedMemory = await this.usedMemory();
      this.samples.push({ at: now(), usedMemory, created: (before + this.progress.created) / 2, finished: this.progress.finished });
    } catch {
      // a missed sample is not a failure of the run
    } finally {
      this.busy = false;
    }
  }
}
