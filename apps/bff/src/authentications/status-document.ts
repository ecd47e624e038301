import type { AuthenticationResult, AuthenticationView, Initiator, OutcomeError, WebhookState } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';

/** What a consumer sees of an authentication (API.md §4, "The status document"). */
export interface StatusDocument {
  id: string;
  provider: string;
  status: AuthenticationView['status'];
  bindingMessage: string | null;
  reference: string | null;
  createdAt: string;
  expiresAt: string;
  interval: number;
  progress: string | null;
  eventsUrl: string;
  result: (Omit<AuthenticationResult, 'tokens'> & { tokens?: AuthenticationResult['tokens'] }) | null;
  error: Omit<OutcomeError, 'providerError'> | null;
  /** Who started it (API.md §7): a console agent or the consumer's own service. */
  initiatedBy: Initiator;
  /** Present only when the request had a callbackUrl. */
  webhook?: { state: WebhookState['state']; attempts: number; lastError: string | null };
}

export function statusDocument(record: AuthenticationView, consumer: ConsumerConfig, eventsToken: string): StatusDocument {
  return {
    id: record.id,
    provider: record.provider,
    status: record.status,
    bindingMessage: record.bindingMessage,
    reference: record.reference,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    interval: record.interval,
    progress: record.status === 'pending' ? record.progress : null,
    eventsUrl: `/v1/authentications/${record.id}/events?token=${eventsToken}`,
    result: record.result ? resultFor(record.result, consumer) : null,
    error: record.error ? { code: record.error.code, description: record.error.description } : null,
    initiatedBy: record.initiatedBy,
    ...(record.webhook
      ? { webhook: { state: record.webhook.state, attempts: record.webhook.attempts, lastError: record.webhook.lastError } }
      : {}),
  };
}

/** `tokens` is absent, not null, for a consumer that may not receive them. */
function resultFor(result: AuthenticationResult, consumer: ConsumerConfig): StatusDocument['result'] {
  const { tokens, ...rest } = result;
  return consumer.receiveTokens ? { ...rest, tokens } : rest;
}
