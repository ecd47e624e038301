import { Inject, Injectable } from '@nestjs/common';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import { RateLimiter, storeFailureKind, type WindowCount } from '@ciba/store';
import type { Response } from 'express';

/** A branch agent's own window (API.md §7: `agents.rateLimit`), counted besides the consumer's. */
export interface AgentLimit {
  /** A keyed hash of the agent's subject. */
  key: string;
  perMinute: number;
}

/**
 * A consumer's `rateLimit.perMinute` (API.md §4): every authenticated /v1 request counts, in
 * Redis, so the limit holds across API replicas. A branch agent's request also counts in the
 * agent's own window, so one agent cannot use up the consumer's budget for the whole branch.
 * Every answer carries the RateLimit headers of the tighter window.
 */
@Injectable()
export class ConsumerRateLimit {
  constructor(@Inject(RateLimiter) private readonly limiter: RateLimiter) {}

  /**
   * Counts the request. API.md §6: a request that only reads is not refused because this
   * bookkeeping write failed while Redis still answers reads (out of memory, read-only): it goes
   * on uncounted and without RateLimit headers. Anything else that stops the count stops the
   * request (a Redis that cannot be reached cannot serve the read either: 503).
   */
  async check(consumer: ConsumerConfig, response: Response, readOnly: boolean, agent?: AgentLimit): Promise<void> {
    let windows: WindowCount[];
    try {
      windows = [await this.limiter.takeConsumer(consumer.id, consumer.rateLimit.perMinute)];
      if (agent) windows.push(await this.limiter.takeAgent(agent.key, agent.perMinute));
    } catch (error) {
      if (readOnly && storeFailureKind(error) === 'refusing') return;
      throw error;
    }
    const window = tighter(windows);
    const resetSeconds = Math.max(1, Math.ceil(window.resetMs / 1000));
    response.setHeader('RateLimit-Limit', String(window.limit));
    response.setHeader('RateLimit-Remaining', String(remaining(window)));
    response.setHeader('RateLimit-Reset', String(resetSeconds));
    if (!window.allowed) {
      throw new CibaError(ErrorCode.RateLimited, `More than ${window.limit} requests in a minute; retry after ${resetSeconds} s.`, {
        retryAfterSeconds: resetSeconds,
      });
    }
  }
}

const remaining = (window: WindowCount) => Math.max(0, window.limit - window.count);

/** The window that refuses (the one that frees up last, if both do), else the one with fewer requests left. */
function tighter(windows: WindowCount[]): WindowCount {
  return windows.reduce((a, b) => {
    if (a.allowed !== b.allowed) return a.allowed ? b : a;
    if (!a.allowed) return b.resetMs > a.resetMs ? b : a;
    return remaining(b) < remaining(a) ? b : a;
  });
}
