import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RedisConnection } from '@ciba/store';
import { REDIS_COMMAND } from '../infrastructure/tokens.js';
import { PollQueues } from '../polling/poll-queues.js';

/** Liveness and readiness (API.md §6). They reveal no versions, hosts or Redis details. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(REDIS_COMMAND) private readonly redis: RedisConnection,
    @Inject(PollQueues) private readonly queues: PollQueues,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready when Redis answers and the queues' own connections do too. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const checks = { redis: await this.check(() => this.redis.ping()), queue: await this.check(() => this.pingQueues()) };
    const ok = Object.values(checks).every((state) => state === 'ok');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  private async pingQueues(): Promise<void> {
    await Promise.all(this.queues.all().map((queue) => queue.count()));
  }

  private async check(probe: () => Promise<unknown>): Promise<'ok' | 'failing'> {
    try {
      await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
      return 'ok';
    } catch {
      return 'failing';
    }
  }
}
