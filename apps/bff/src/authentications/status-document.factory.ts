import { Inject, Injectable } from '@nestjs/common';
import type { Authentication } from '@ciba/ciba';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { CIBA_CONFIG } from '../infrastructure/tokens.js';
import { EventsTokens } from './events-token.js';
import { statusDocument, type StatusDocument } from './status-document.js';

/** Status documents with their `eventsUrl` token, valid until the record itself expires. */
@Injectable()
export class StatusDocumentFactory {
  constructor(
    @Inject(EventsTokens) private readonly tokens: EventsTokens,
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
  ) {}

  create(record: Authentication, consumer: ConsumerConfig): StatusDocument {
    const validUntil = Math.max(record.expiresAt, Date.now()) + this.config.storage.retentionSeconds * 1000;
    return statusDocument(record, consumer, this.tokens.issue(record.id, consumer.id, validUntil));
  }
}
