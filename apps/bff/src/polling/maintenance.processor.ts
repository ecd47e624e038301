import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { ReconcilerService } from './reconciler.service.js';
import { MAINTENANCE_QUEUE } from './poll-queues.js';

/** Runs the reconciler; a BullMQ job scheduler makes one run happen per period across replicas. */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  constructor(@Inject(ReconcilerService) private readonly reconciler: ReconcilerService) {
    super();
  }

  async process(): Promise<{ repaired: number }> {
    return { repaired: await this.reconciler.reconcile() };
  }
}
