import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { runForAuthentication } from '../logging/request-context.js';
import { LOGGER } from '../tokens.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from './webhook-queue.js';

/** Delivers webhooks; a job re-schedules itself until delivered, refused or out of time. */
@Processor(WEBHOOK_QUEUE, { concurrency: 20, lockDuration: 30_000 })
export class WebhookProcessor extends WorkerHost {
  constructor(
    @Inject(WebhookDeliveryService) private readonly deliveries: WebhookDeliveryService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  process(job: Job<WebhookJobData>, token?: string): Promise<void> {
    return runForAuthentication(job.data.authenticationId, undefined, () => this.step(job, token));
  }

  private async step(job: Job<WebhookJobData>, token?: string): Promise<void> {
    let next: number | null;
    try {
      next = await this.deliveries.attempt(job.data.authenticationId);
    } catch (error) {
      this.logger.error({ authenticationId: job.data.authenticationId, err: error }, 'webhook attempt failed unexpectedly; retrying');
      next = Date.now() + 10_000;
    }
    if (next === null) return;
    await job.moveToDelayed(next, token);
    throw new DelayedError();
  }
}
