import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { ReconcilerService } from './reconciler.service.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { MAINTENANCE_QUEUE } from './poll-queues.js';

/** Runs the reconciler; a BullMQ job scheduler makes one run happen per period across replicas. */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    @Inject(ReconcilerService) private readonly reconciler: ReconcilerService,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
  ) {
    super();
  }

  async process(): Promise<{ repaired: number; webhooks: number }> {
    return { repaired: await this.reconciler.reconcile(), webhooks: await this.webhooks.drain() };
  }
}
