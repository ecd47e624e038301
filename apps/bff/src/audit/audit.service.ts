import { Inject, Injectable } from '@nestjs/common';
import type { Authentication } from '@ciba/ciba';
import { AuditTrail, type AuditEvent } from '@ciba/store';
import type { Logger } from 'pino';
import { currentRequest } from '../infrastructure/request-context.js';
import { LOGGER } from '../infrastructure/tokens.js';

export type AuditSubject = Pick<Authentication, 'id' | 'consumer' | 'provider' | 'customerMasked'>;

/**
 * Writes audit events to the trail and as a structured log line. Events of consumer actions are
 * awaited (no start without its audit event); outcomes decided in the background are written
 * without holding up the work, and a failure to write them is logged loudly.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(AuditTrail) private readonly trail: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(event: string, outcome: string, subject: Partial<AuditSubject> & { consumer: string; provider?: string }): Promise<void> {
    const context = currentRequest();
    const entry: AuditEvent = {
      time: new Date().toISOString(),
      event,
      consumer: subject.consumer,
      provider: subject.provider ?? null,
      authenticationId: subject.id ?? null,
      customer: subject.customerMasked ?? null,
      outcome,
      source: context?.source ?? 'worker',
      requestId: context?.requestId ?? null,
    };
    this.logger.info({ audit: true, ...entry }, `audit ${event} ${outcome}`);
    await this.trail.append(entry);
  }

  /** For outcomes decided by a worker or a notification: never blocks, never throws. */
  recordInBackground(event: string, outcome: string, subject: AuditSubject): void {
    this.record(event, outcome, subject).catch((err: unknown) =>
      this.logger.error({ err, event, authenticationId: subject.id }, 'audit event could not be written'),
    );
  }
}
