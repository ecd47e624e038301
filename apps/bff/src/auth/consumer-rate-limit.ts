import { Inject, Injectable } from '@nestjs/common';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import { RateLimiter, RedisKeys } from '@ciba/store';
import type { Response } from 'express';

const MINUTE_MS = 60_000;

/**
 * A consumer's `rateLimit.perMinute` (API.md §4): every authenticated /v1 request counts, in
 * Redis, so the limit holds across API replicas. Every answer carries the RateLimit headers.
 */
@Injectable()
export class ConsumerRateLimit {
  constructor(
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
  ) {}

  async check(consumer: ConsumerConfig, response: Response): Promise<void> {
    const window = await this.limiter.take(this.keys.consumerLimit(consumer.id), consumer.rateLimit.perMinute, MINUTE_MS);
    const resetSeconds = Math.max(1, Math.ceil(window.resetMs / 1000));
    response.setHeader('RateLimit-Limit', String(window.limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, window.limit - window.count)));
    response.setHeader('RateLimit-Reset', String(resetSeconds));
    if (!window.allowed) {
      throw new CibaError(ErrorCode.RateLimited, `More than ${window.limit} requests in a minute; retry after ${resetSeconds} s.`, {
        retryAfterSeconds: resetSeconds,
      });
    }
  }
}
