import { Inject, Injectable } from '@nestjs/common';
import type { Authentication } from '@ciba/ciba';
import { AuthenticationRepository } from '@ciba/store';

/**
 * Moves an authentication's next run in its provider's due set. Starting, ending and every
 * answer keep the due set right in the same atomic step as the record (TRANSITION); only an
 * outside event that makes a run due sooner (a ping) comes through here.
 */
@Injectable()
export class PollScheduler {
  constructor(@Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository) {}

  /** Due no later than the record's next poll (never past its deadline); a later time changes nothing. */
  async reschedule(record: Pick<Authentication, 'id' | 'provider' | 'nextPollAt' | 'expiresAt'>): Promise<void> {
    await this.repository.dueNoLaterThan(record.provider, record.id, Math.min(record.nextPollAt, record.expiresAt));
  }
}
