import type { CibaConfig } from '@ciba/config';
import { MAINTENANCE_QUEUE, pollQueueName } from './polling/poll-queues.js';
import { WEBHOOK_QUEUE } from './webhooks/webhook-queue.js';

/** Every BullMQ queue of the BFF: one poll queue per provider, maintenance, webhooks. */
export function bffQueueNames(config: CibaConfig): string[] {
  return [...[...config.providers.keys()].map(pollQueueName), MAINTENANCE_QUEUE, WEBHOOK_QUEUE];
}
