import { Inject, Injectable } from '@nestjs/common';
import type { Authentication, Initiator } from '@ciba/ciba';
import { AuditTrail, type AuditEvent, type TransactionWrite } from '@ciba/store';
import type { Logger } from 'pino';
import { currentRequest } from '../logging/request-context.js';
import { LOGGER } from '../tokens.js';

export type AuditSubject = Pick<Authentication, 'id' | 'consumer' | 'provider' | 'customerMasked' | 'initiatedBy'>;
/**
 * What an event names: a consumer always, the rest when there is one. `initiatedBy` is the
 * record's, or for an event without one the caller's (null where no caller is known): required,
 * so that no event forgets it.
 */
type AuditedSubject = Partial<Omit<AuditSubject, 'initiatedBy'>> & { consumer: string; initiatedBy: Initiator | null };

/**
 * Writes audit events to the trail and as a structured log line. Events of consumer actions are
 * awaited, or written in the same transaction as what they record (no start without its audit
 * event); outcomes decided in the background are written without holding up the work, and a
 * failure to write them is logged loudly.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AuditTrail) private readonly trail: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(event: string, outcome: string, subject: AuditedSubject): Promise<void> {
    const entry = this.entry(event, outcome, subject);
    this.log(entry);
    await this.trail.append(entry);
  }

  /**
   * For an event stored in the same transaction as what it records (a start with its record):
   * the event, and the write to add to that transaction. Once the transaction succeeded,
   * `log(entry)` writes its log line.
   */
  inTransaction(event: string, outcome: string, subject: AuditedSubject): { entry: AuditEvent; write: TransactionWrite } {
    const entry = this.entry(event, outcome, subject);
    return { entry, write: this.trail.appendIn(entry) };
  }

  /** The structured log line every audit event has, wherever it is stored. */
  log(entry: AuditEvent): void {
    this.logger.info({ audit: true, ...entry }, `audit ${entry.event} ${entry.outcome}`);
  }

  private entry(event: string, outcome: string, subject: AuditedSubject): AuditEvent {
    const context = currentRequest();
    return {
      time: new Date().toISOString(),
      event,
      consumer: subject.consumer,
      provider: subject.provider ?? null,
      authenticationId: subject.id ?? null,
      customer: subject.customerMasked ?? null,
      outcome,
      source: context?.source ?? 'worker',
      initiatedBy: subject.initiatedBy,
      requestId: context?.requestId ?? null,
    };
  }

  /** For outcomes decided by a worker or a notification: never blocks, never throws. */
  recordInBackground(event: string, outcome: string, subject: AuditSubject): void {
    this.record(event, outcome, subject).catch((err: unknown) =>
      this.logger.error({ err, event, authenticationId: subject.id }, 'audit event could not be written'),
    );
  }
}
