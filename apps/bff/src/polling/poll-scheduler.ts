import { Inject, Injectable } from '@nestjs/common';
import type { Authentication } from '@ciba/ciba';
import { POLL_JOB, POLL_JOB_OPTIONS, PollQueues, pollJobId } from './poll-queues.js';

/** Puts an authentication's poll job on its provider's queue (the API side only produces). */
@Injectable()
export class PollScheduler {
  constructor(@Inject(PollQueues) private readonly queues: PollQueues) {}

  /** Enqueues the job for the record's next run. A job that already exists is left as it is. */
  async schedule(record: Pick<Authentication, 'id' | 'provider' | 'nextPollAt' | 'expiresAt'>, now = Date.now()): Promise<void> {
    const runAt = Math.min(record.nextPollAt, record.expiresAt);
    await this.queues
      .of(record)
      .add(
        POLL_JOB,
        { authenticationId: record.id },
        { ...POLL_JOB_OPTIONS, jobId: pollJobId(record.id), delay: Math.max(0, runAt - now) },
      );
  }

  /** Moves the job to the record's next run (e.g. after a second step was acknowledged). */
  async reschedule(record: Pick<Authentication, 'id' | 'provider' | 'nextPollAt' | 'expiresAt'>, now = Date.now()): Promise<void> {
    const job = await this.queues.of(record).getJob(pollJobId(record.id));
    const delay = Math.max(0, Math.min(record.nextPollAt, record.expiresAt) - now);
    if (job && (await job.getState()) === 'delayed') {
      // promote() wakes a waiting worker at once; changeDelay() would wait for its next wake-up.
      if (delay === 0) await job.promote();
      else await job.changeDelay(delay);
      return;
    }
    await this.repair(record);
  }

  /** Removes a waiting job; an active one finds the record terminal and ends by itself. */
  async unschedule(record: Pick<Authentication, 'id' | 'provider'>): Promise<void> {
    const job = await this.queues.of(record).getJob(pollJobId(record.id));
    await job?.remove().catch(() => undefined);
  }

  /** Re-creates the job of an active record that has none (or only a finished one). */
  async repair(record: Pick<Authentication, 'id' | 'provider' | 'nextPollAt' | 'expiresAt'>): Promise<boolean> {
    const job = await this.queues.of(record).getJob(pollJobId(record.id));
    const state = job ? await job.getState() : 'missing';
    if (state === 'active' || state === 'delayed' || state === 'waiting' || state === 'prioritized' || state === 'waiting-children')
      return false;
    if (job) await job.remove().catch(() => undefined);
    await this.schedule(record);
    return true;
  }
}
