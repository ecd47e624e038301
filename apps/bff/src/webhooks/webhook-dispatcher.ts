import { Inject, Injectable } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { WebhookOutbox } from '@ciba/store';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';
import { WEBHOOK_JOB, WEBHOOK_JOB_OPTIONS, WEBHOOK_QUEUE, webhookJobId, type WebhookJobData } from './webhook-queue.js';

/**
 * Moves finished authentications from the outbox (written in the same step that finished them) to
 * the webhook queue. Called right after an authentication ends, and by the maintenance job, so a
 * crash between the two never loses a delivery. The job id makes a second move harmless.
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    @Inject(getQueueToken(WEBHOOK_QUEUE)) private readonly queue: Queue<WebhookJobData>,
    @Inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async dispatch(authenticationId: string): Promise<void> {
    await this.queue.add(WEBHOOK_JOB, { authenticationId }, { ...WEBHOOK_JOB_OPTIONS, jobId: webhookJobId(authenticationId) });
    await this.outbox.clear(authenticationId);
  }

  /** Dispatches everything still in the outbox; returns how many. */
  async drain(): Promise<number> {
    const ids = await this.outbox.list();
    for (const id of ids) await this.dispatch(id);
    return ids.length;
  }

  /** After an authentication ended: dispatch now, and leave it to the outbox if that fails. */
  dispatchInBackground(authenticationId: string): void {
    this.dispatch(authenticationId).catch((err: unknown) =>
      this.logger.warn({ err, authenticationId }, 'webhook not queued yet; the outbox keeps it'),
    );
  }
}
