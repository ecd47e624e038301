import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationRepository } from '@ciba/store';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';
import { LEGACY_POLL_JOB, LOOPS_PER_PROVIDER, POLL_LOOP_JOB, POLL_LOOP_JOB_OPTIONS, PollQueues, loopJobId } from './poll-queues.js';

/** How often the maintenance job runs the keeper (a BullMQ job scheduler, once across all workers). */
export const RECONCILE_EVERY_MS = 15_000;

/**
 * Keeps the poll engine's jobs in place: every provider's loop jobs exist (adding one that
 * exists does nothing; one BullMQ gave up on is added again), and a deployment upgraded from one
 * job per authentication has its authentications moved into the due sets and the old jobs
 * removed, so none is stranded.
 */
@Injectable()
export class PollLoopKeeper {
  constructor(
    @Inject(PollQueues) private readonly queues: PollQueues,
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many loop jobs were added and how many authentications were migrated. */
  async keep(): Promise<{ loops: number; migrated: number }> {
    return { loops: await this.ensureLoops(), migrated: await this.migrate() };
  }

  async ensureLoops(): Promise<number> {
    let added = 0;
    for (const queue of this.queues.all()) {
      for (let index = 1; index <= LOOPS_PER_PROVIDER; index += 1) {
        const existing = await queue.getJob(loopJobId(index));
        if (existing) continue;
        await queue.add(POLL_LOOP_JOB, {}, { ...POLL_LOOP_JOB_OPTIONS, jobId: loopJobId(index) });
        added += 1;
      }
    }
    return added;
  }

  /** The upgrade from one BullMQ job per authentication (idempotent; quick when there is nothing to do). */
  async migrate(): Promise<number> {
    const migrated = await this.repository.migrateLegacyActive();
    let removed = 0;
    for (const queue of this.queues.all()) {
      for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
        if (job?.name !== LEGACY_POLL_JOB) continue;
        await job.remove().catch(() => undefined);
        removed += 1;
      }
    }
    if (migrated > 0 || removed > 0)
      this.logger.warn({ event: 'ciba.poll_engine_migrated', migrated, removedJobs: removed }, 'authentications moved to the poll loops');
    return migrated;
  }
}
