import { Inject, type Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { ProviderConfig } from '@ciba/config';
import { DelayedError, type Job } from 'bullmq';
import { LEGACY_POLL_JOB, pollQueueName } from './poll-queues.js';
import { PollLoop } from './poll-loop.js';

/** One turn of a loop job: then it goes back to the queue, for this worker or another. */
const LOOP_TURN_MS = 60_000;

/**
 * Short locks, renewed by BullMQ while a turn runs: a killed worker's loop job is taken over
 * within seconds (its leased authentications fall due again by themselves).
 */
export const POLL_WORKER_OPTIONS = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 };

/**
 * The processor of one provider's queue, whose jobs are the provider's poll loops (see
 * PollLoopKeeper): a thin adapter that runs one turn of `PollLoop` and hands the job back
 * (`moveToDelayed` + `DelayedError`, BullMQ's "process step jobs"). One loop per provider per
 * worker process (concurrency 1); the loop itself runs up to `pollConcurrency` polls at once.
 */
export function pollProcessorFor(provider: ProviderConfig): Type<WorkerHost> {
  @Processor(pollQueueName(provider.id), { ...POLL_WORKER_OPTIONS, concurrency: 1 })
  class PollProcessor extends WorkerHost {
    constructor(@Inject(PollLoop) private readonly loop: PollLoop) {
      super();
    }

    async process(job: Job, token?: string): Promise<void> {
      // A job left from before the loops (one per authentication): the keeper has moved, or is
      // about to move, its authentication into the due set; the job itself has nothing to do.
      if (job.name === LEGACY_POLL_JOB) return;
      const turnEnds = Date.now() + LOOP_TURN_MS;
      // A closing worker (shutdown) stops claiming, lets its polls finish, and hands the loop on.
      await this.loop.run(provider, () => this.worker.closing === undefined && Date.now() < turnEnds);
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  }
  Object.defineProperty(PollProcessor, 'name', { value: `PollProcessor_${provider.id}` });
  return PollProcessor;
}
