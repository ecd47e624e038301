import type { Authentication } from '@ciba/ciba';
import type { JobsOptions, Queue } from 'bullmq';

/** One queue per provider: a slow or rate-limited provider cannot delay another's polls. */
export const pollQueueName = (providerId: string) => `poll-${providerId}`;
export const MAINTENANCE_QUEUE = 'maintenance';
/** The jobs of a poll queue: each is one loop of the poll engine (see PollLoop). */
export const POLL_LOOP_JOB = 'loop';
/** Before the poll loops, each authentication had a job of this name (migrated on upgrade). */
export const LEGACY_POLL_JOB = 'poll';

/**
 * Loop jobs per provider: up to this many worker processes poll a provider at once (each takes
 * at most one). More workers than this wait as stand-bys for that provider.
 */
export const LOOPS_PER_PROVIDER = 4;

export const loopJobId = (index: number) => `loop-${index}`;

/** A loop job never completes; one that fails for good is removed so the keeper can add it again. */
export const POLL_LOOP_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true };

/** The poll queues by provider id. */
export class PollQueues {
  private readonly byProvider = new Map<string, Queue>();

  constructor(queues: Queue[]) {
    for (const queue of queues) this.byProvider.set(queue.name.slice('poll-'.length), queue);
  }

  of(record: Pick<Authentication, 'provider'>): Queue {
    const queue = this.byProvider.get(record.provider);
    if (!queue) throw new Error(`no poll queue for provider ${record.provider}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.byProvider.values()];
  }
}
