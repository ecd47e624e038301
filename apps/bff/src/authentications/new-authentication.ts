import { randomUUID } from 'node:crypto';
import { firstRun, initialPollState, type Authentication, type Initiator } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import type { BackchannelAck, PreparedHint } from '@ciba/providers';
import type { StartAuthenticationDto } from './dto/start-authentication.dto.js';

/** What a start knows once the provider has acknowledged it. */
export interface AcknowledgedStart {
  id: string;
  consumer: string;
  initiatedBy: Initiator;
  provider: ProviderConfig;
  request: StartAuthenticationDto;
  hint: PreparedHint;
  /** The binding message we sent (the provider's own, in `ack`, wins). */
  bindingMessage: string | undefined;
  customerKey: string;
  callbackUrl: string | null;
  notificationTokenHash: string | null;
  requestId: string | null;
  ack: BackchannelAck;
  acknowledgedAt: number;
}

/**
 * The record of a just-acknowledged authentication: pending, its first run planned by delivery
 * mode (poll-policy.ts), the deadline from `expires_in` and the requested expiry. Pure: the
 * service stores it in one transaction.
 */
export function newAuthentication(start: AcknowledgedStart): Authentication {
  const { provider, request, hint, ack, acknowledgedAt, callbackUrl } = start;
  const poll = firstRun(
    initialPollState({ acknowledgedAt, expiresIn: ack.expiresIn, interval: ack.interval, requestedExpiry: request.requestedExpiry }),
    { mode: provider.deliveryMode, pingFallbackSeconds: provider.pingFallbackSeconds },
    acknowledgedAt,
  );
  return {
    id: start.id,
    consumer: start.consumer,
    initiatedBy: start.initiatedBy,
    provider: provider.id,
    status: 'pending',
    seq: 1,
    createdAt: acknowledgedAt,
    ...poll,
    bindingMessage: ack.bindingMessage ?? start.bindingMessage ?? null,
    reference: request.reference ?? null,
    progress: null,
    error: null,
    result: null,
    authReqId: ack.authReqId,
    customer: hint.customer,
    customerKey: start.customerKey,
    customerMasked: hint.masked,
    requestedAcr: request.acrValues ?? null,
    requestedExpiry: request.requestedExpiry ?? null,
    scope: request.scope ?? provider.scope,
    inflight: null,
    inflightSuspect: null,
    identityClaim: hint.identityClaim ?? null,
    profileState: null,
    tokenResponse: null,
    userCodeAttempts: 0,
    requestId: start.requestId,
    deliveryMode: provider.deliveryMode,
    notificationTokenHash: start.notificationTokenHash,
    pingedAt: null,
    callbackUrl,
    webhook: callbackUrl ? { state: 'pending', attempts: 0, lastError: null, deliveryId: randomUUID(), firstAttemptAt: null } : null,
  };
}
