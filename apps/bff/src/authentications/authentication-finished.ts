import { Inject, Injectable } from '@nestjs/common';
import type { Authentication, AuthenticationStatus } from '@ciba/ciba';
import { Counters, Histograms, type TransitionObserver } from '@ciba/store';
import { AuditService } from '../audit/audit.service.js';
import { observeApproval } from '../metrics/approval-latency.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';

/**
 * What follows every end of an authentication, wherever it was decided (a poll, a notification, a
 * cancel, the deadline, a wrong user code): the finished counter, the approval histogram, the
 * audit event and the webhook. The repository calls it once the end is stored; nothing here may
 * hold up or fail that work, so each step runs in the background and reports its own failure.
 */
@Injectable()
export class AuthenticationFinished implements TransitionObserver {
  constructor(
    @Inject(Counters) private readonly counters: Counters,
    @Inject(Histograms) private readonly histograms: Histograms,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
  ) {}

  finished(record: Authentication, status: AuthenticationStatus, set: Partial<Authentication>): void {
    this.counters.increment('finished', record.provider, status);
    observeApproval(this.histograms, record, status, set);
    this.audit.recordInBackground('ciba.finished', set.error?.code ? `${status}:${set.error.code}` : status, record);
    if (record.callbackUrl) this.webhooks.dispatchInBackground(record.id);
  }
}
