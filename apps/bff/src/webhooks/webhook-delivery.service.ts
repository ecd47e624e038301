import { Inject, Injectable } from '@nestjs/common';
import { webhookUpdated, type Authentication, type WebhookState } from '@ciba/ciba';
import type { CibaConfig } from '@ciba/config';
import { AuthenticationRepository, Counters } from '@ciba/store';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { StatusDocumentFactory } from '../authentications/status-document.factory.js';
import { bindAuthentication } from '../logging/request-context.js';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import { WEBHOOK_RETRY_HORIZON_MS, webhookRetryDelayMs } from './webhook-backoff.js';
import { WebhookSender } from './webhook-sender.js';

/**
 * One delivery attempt of a finished authentication's webhook: returns when to try again, or null
 * when done (delivered, refused for good, or out of time). The state is kept in the record.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(StatusDocumentFactory) private readonly documents: StatusDocumentFactory,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Counters) private readonly counters: Counters,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async attempt(id: string, now = Date.now()): Promise<number | null> {
    const record = await this.repository.get(id);
    if (!record?.callbackUrl || !record.webhook || record.webhook.state !== 'pending') return null;
    bindAuthentication(record.id, record.requestId);
    const consumer = this.config.consumers.get(record.consumer);
    if (!consumer?.webhook)
      return this.finish(record, { ...record.webhook, state: 'failed', lastError: 'the consumer has no webhook configured any more' });

    const body = this.documents.forWebhook(record, consumer);
    const result = await this.sender.send(
      record.callbackUrl,
      body,
      consumer.webhook.secret,
      record.webhook.deliveryId,
      consumer.webhook.allowLoopback,
    );
    const firstAttemptAt = record.webhook.firstAttemptAt ?? now;
    const attempts = record.webhook.attempts + 1;
    if (result.ok) return this.finish(record, { ...record.webhook, state: 'delivered', attempts, lastError: null, firstAttemptAt });
    const lastError = result.error;
    // 410 Gone: the receiver says this will never work.
    if (result.status === 410 || Date.now() - firstAttemptAt >= WEBHOOK_RETRY_HORIZON_MS) {
      return this.finish(record, { ...record.webhook, state: 'failed', attempts, lastError, firstAttemptAt });
    }
    await this.repository.transition(record, webhookUpdated({ ...record.webhook, attempts, lastError, firstAttemptAt }));
    this.logger.info({ event: 'webhook.retry', authenticationId: id, attempts, lastError }, 'webhook attempt failed; will retry');
    return Date.now() + webhookRetryDelayMs(attempts);
  }

  private async finish(record: Authentication, webhook: WebhookState): Promise<null> {
    await this.repository.transition(record, webhookUpdated(webhook));
    this.counters.increment('webhooks', record.provider, webhook.state);
    await this.audit.record(`webhook.${webhook.state}`, webhook.lastError ?? 'ok', record);
    return null;
  }
}
