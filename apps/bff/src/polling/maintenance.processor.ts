import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { PollLoopKeeper } from './poll-loop-keeper.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { MAINTENANCE_QUEUE } from './poll-queues.js';

/** Runs the loop keeper and drains the webhook outbox; a BullMQ job scheduler makes one run per period across replicas. */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    @Inject(PollLoopKeeper) private readonly keeper: PollLoopKeeper,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
  ) {
    super();
  }

  async process(): Promise<{ loops: number; migrated: number; webhooks: number }> {
    return { ...(await this.keeper.keep()), webhooks: await this.webhooks.drain() };
  }
}
