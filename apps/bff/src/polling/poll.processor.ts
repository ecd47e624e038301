import { Inject, type Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { ProviderConfig } from '@ciba/config';
import { DelayedError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { runForAuthentication } from '../infrastructure/request-context.js';
import { LOGGER } from '../infrastructure/tokens.js';
import { pollQueueName, type PollJobData } from './poll-queues.js';
import { PollService } from './poll.service.js';

/** When a run fails for a reason of ours (Redis away, a bug), try again this much later. */
const RETRY_AFTER_ERROR_MS = 5000;

/**
 * Worker settings: short locks so a killed worker's job is picked up within seconds; a job may
 * stall a few times (each a crash) before BullMQ gives up and the reconciler takes over.
 */
export const POLL_WORKER_OPTIONS = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 };

/**
 * The processor of one provider's queue: a thin adapter onto `PollService`. A job re-schedules
 * itself with `moveToDelayed` + `DelayedError` (BullMQ "process step jobs") until the
 * authentication ends.
 */
export function pollProcessorFor(provider: ProviderConfig): Type<WorkerHost> {
  @Processor(pollQueueName(provider.id), { ...POLL_WORKER_OPTIONS, concurrency: provider.pollConcurrency })
  class PollProcessor extends WorkerHost {
    constructor(
      @Inject(PollService) private readonly polls: PollService,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {
      super();
    }

    process(job: Job<PollJobData>, token?: string): Promise<void> {
      return runForAuthentication(job.data.authenticationId, undefined, () => this.step(job, token));
    }

    private async step(job: Job<PollJobData>, token?: string): Promise<void> {
      let next: number | null;
      try {
        next = await this.polls.run(job.data.authenticationId);
      } catch (error) {
        this.logger.error({ authenticationId: job.data.authenticationId, err: error }, 'poll run failed; retrying');
        next = Date.now() + RETRY_AFTER_ERROR_MS;
      }
      if (next === null) return;
      await job.moveToDelayed(Math.max(next, Date.now()), token);
      throw new DelayedError();
    }
  }
  Object.defineProperty(PollProcessor, 'name', { value: `PollProcessor_${provider.id}` });
  return PollProcessor;
}
