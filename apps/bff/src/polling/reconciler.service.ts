import { Inject, Injectable } from '@nestjs/common';
import { isTerminal } from '@ciba/ciba';
import { AuthenticationRepository } from '@ciba/store';
import type { Logger } from 'pino';
import { LOGGER } from '../infrastructure/tokens.js';
import { PollScheduler } from './poll-scheduler.js';

/** An active authentication whose job should have run this long ago is looked at. */
export const OVERDUE_MS = 20_000;
export const RECONCILE_EVERY_MS = 15_000;

/**
 * Finds active authentications that have no job (a crash between storing and enqueuing, a job
 * BullMQ gave up on) or whose next run is long overdue, and gives them a job again, so nothing
 * stays `pending` forever.
 */
@Injectable()
export class ReconcilerService {
  constructor(
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(PollScheduler) private readonly scheduler: PollScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many jobs were re-created. */
  async reconcile(now = Date.now()): Promise<number> {
    let repaired = 0;
    for (const id of await this.repository.overdue(now - OVERDUE_MS)) {
      const record = await this.repository.get(id);
      if (!record || isTerminal(record.status)) continue;
      if (await this.scheduler.repair({ ...record, nextPollAt: Math.min(record.nextPollAt, now) })) {
        repaired += 1;
        this.logger.warn({ authenticationId: id, provider: record.provider }, 'reconciler re-created a missing poll job');
      }
    }
    return repaired;
  }
}
