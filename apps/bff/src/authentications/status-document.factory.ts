import { Inject, Injectable } from '@nestjs/common';
import type { Authentication, AuthenticationView } from '@ciba/ciba';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { CIBA_CONFIG } from '../tokens.js';
import { EventsTokens } from './events-token.js';
import { statusDocument, type StatusDocument } from './status-document.js';

/** Status documents with their `eventsUrl` token, valid until the record itself expires. */
@Injectable()
export class StatusDocumentFactory {
  constructor(
    @Inject(EventsTokens) private readonly tokens: EventsTokens,
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
  ) {}

  /**
   * The body of a webhook: the document the consumer would GET, frozen at dispatch (the webhook
   * member as it was before the first attempt, the events token valid to the record's retention),
   * so every retry sends the same bytes.
   */
  forWebhook(record: Authentication, consumer: ConsumerConfig): string {
    const frozen = { ...record, webhook: record.webhook && { ...record.webhook, state: 'pending' as const, attempts: 0, lastError: null } };
    const validUntil = record.expiresAt + this.config.storage.retentionSeconds * 1000;
    return JSON.stringify(statusDocument(frozen, consumer, this.tokens.issue(record.id, consumer.id, validUntil)));
  }

  create(record: AuthenticationView, consumer: ConsumerConfig): StatusDocument {
    const validUntil = Math.max(record.expiresAt, Date.now()) + this.config.storage.retentionSeconds * 1000;
    return statusDocument(record, consumer, this.tokens.issue(record.id, consumer.id, validUntil));
  }
}
