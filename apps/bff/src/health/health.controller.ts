import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ProviderRegistry } from '@ciba/providers';
import { RedisKeys, storeFailureKind, type RedisConnection } from '@ciba/store';
import { REDIS_COMMAND } from '../tokens.js';
import { LivenessDocs, ReadinessDocs } from '../openapi/routes/operations.docs.js';
import { PollQueues } from '../polling/poll-queues.js';

/** The state of one dependency: usable, or why not. */
export type DependencyState = 'ok' | 'unreachable' | 'refusing_writes' | 'failing';

const PROBE_TIMEOUT_MS = 2000;
const PROBE_TTL_MS = 10_000;

/**
 * Liveness and readiness (API.md §6). Readiness is about this process's own dependencies: Redis
 * reachable and taking writes (a Redis that answers PING but refuses writes, out of memory or a
 * read-only replica, cannot store an approval), and the queues' connections. Providers are
 * reported, not required: one provider down must not take the others out of the load balancer.
 * Nothing here reveals versions, hosts or Redis details.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly probeKey: string;

  constructor(
    @Inject(REDIS_COMMAND) private readonly redis: RedisConnection,
    @Inject(PollQueues) private readonly queues: PollQueues,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(RedisKeys) keys: RedisKeys,
  ) {
    this.probeKey = keys.readinessProbe(randomUUID());
  }

  @Get('live')
  @LivenessDocs()
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ReadinessDocs()
  async ready(@Res({ passthrough: true }) response: Response) {
    const [redis, queue] = await Promise.all([this.check(() => this.probeRedis()), this.check(() => this.pingQueues())]);
    const checks = { redis, queue };
    const failing = Object.entries(checks)
      .filter(([, state]) => state !== 'ok')
      .map(([name]) => name);
    response.status(failing.length === 0 ? 200 : 503);
    const providers = Object.fromEntries(this.providers.all().map((adapter) => [adapter.providerId, adapter.readiness()]));
    return { status: failing.length === 0 ? 'ok' : 'unavailable', failing, checks, providers };
  }

  /** PING proves nothing about writes: a SET with a short life does. */
  private async probeRedis(): Promise<void> {
    await this.redis.set(this.probeKey, '1', 'PX', PROBE_TTL_MS);
  }

  private async pingQueues(): Promise<void> {
    await Promise.all(this.queues.all().map((queue) => queue.count()));
  }

  private async check(probe: () => Promise<unknown>): Promise<DependencyState> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
        }),
      ]);
      return 'ok';
    } catch (error) {
      const kind = storeFailureKind(error);
      if (kind === 'refusing') return 'refusing_writes';
      return kind === 'unreachable' || (error as Error).message === 'timeout' ? 'unreachable' : 'failing';
    } finally {
      clearTimeout(timer);
    }
  }
}
