import type { Authentication } from '@ciba/ciba';
import type { JobsOptions, Queue } from 'bullmq';

/** One queue per provider: a slow or rate-limited provider cannot delay another's polls. */
export const pollQueueName = (providerId: string) => `poll-${providerId}`;
export const MAINTENANCE_QUEUE = 'maintenance';
export const POLL_JOB = 'poll';

/** Job data holds only our id: BullMQ stores it in clear, so no auth_req_id, token or hint. */
export interface PollJobData {
  authenticationId: string;
}

export const pollJobId = (authenticationId: string) => `poll-${authenticationId}`;

export const POLL_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
};

/** The poll queues by provider id. */
export class PollQueues {
  private readonly byProvider = new Map<string, Queue<PollJobData>>();

  constructor(queues: Queue[]) {
    for (const queue of queues) this.byProvider.set(queue.name.slice('poll-'.length), queue as Queue<PollJobData>);
  }

  of(record: Pick<Authentication, 'provider'>): Queue<PollJobData> {
    const queue = this.byProvider.get(record.provider);
    if (!queue) throw new Error(`no poll queue for provider ${record.provider}`);
    return queue;
  }

  all(): Queue<PollJobData>[] {
    return [...this.byProvider.values()];
  }
}
