import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CibaError,
  ErrorCode,
  invalidRequest,
  isTerminal,
  pingReceived,
  pushedErrorReceived,
  pushedResultVerified,
  type Authentication,
  type RawTokenResponse,
} from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, Counters, type Keyring } from '@ciba/store';
import type { Logger } from 'pino';
import { unauthorized } from '../consumers/api-key.guard.js';
import { bindAuthentication } from '../logging/request-context.js';
import { KEYRING, LOGGER } from '../tokens.js';
import { PollScheduler } from '../polling/poll-scheduler.js';
import { notificationKeys } from './notification-token.js';

/** Compared against when there is no record, so an unknown id costs the same as a wrong token. */
const NO_TOKEN_HASH = Buffer.alloc(32);

export interface NotificationBody {
  auth_req_id?: unknown;
  error?: unknown;
  [field: string]: unknown;
}

/**
 * The client notification endpoint (API.md §5, CIBA Core §10.2-§10.3, §12). A notification is
 * accepted only with the bearer token we generated for that very auth_req_id; every other case
 * (no token, wrong token, unknown, finished, another provider's) is the same 401.
 */
@Injectable()
export class NotificationService {
  constructor(
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(PollScheduler) private readonly scheduler: PollScheduler,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Counters) private readonly counters: Counters,
  ) {}

  async accept(provider: string, token: string | null, body: NotificationBody): Promise<void> {
    if (typeof body?.auth_req_id !== 'string' || body.auth_req_id.length === 0 || body.auth_req_id.length > 1024) {
      throw invalidRequest('A notification is a JSON object with the auth_req_id.');
    }
    const record = await this.authenticate(provider, token, body.auth_req_id);
    bindAuthentication(record.id);
    this.counters.increment('notifications', provider, 'accepted');
    if (record.deliveryMode === 'ping') return this.ping(record);
    return this.push(record, body);
  }

  private async authenticate(provider: string, token: string | null, authReqId: string): Promise<Authentication> {
    const id = this.providers.has(provider) ? await this.findId(provider, authReqId) : null;
    const record = id ? await this.repository.get(id) : null;
    const expected = record?.notificationTokenHash ? Buffer.from(record.notificationTokenHash, 'hex') : NO_TOKEN_HASH;
    const presented = createHash('sha256')
      .update(token ?? '')
      .digest();
    const tokenMatches = timingSafeEqual(presented, expected) && token !== null;
    if (!record || !tokenMatches || record.provider !== provider || record.authReqId !== authReqId || isTerminal(record.status)) {
      this.logger.warn({ event: 'security.notification_refused', provider, known: Boolean(record), tokenMatches }, 'notification refused');
      if (this.providers.has(provider)) this.counters.increment('notifications', provider, 'refused');
      throw unauthorized();
    }
    return record;
  }

  /** The index entry under the writing key, or under an older one (written before a key rotation). */
  private async findId(provider: string, authReqId: string): Promise<string | null> {
    for (const key of notificationKeys(this.keyring, provider, authReqId)) {
      const id = await this.repository.findByNotification(provider, key);
      if (id) return id;
    }
    return null;
  }

  /** Ping: fetch the token at once, through the queue (a crash cannot lose it). A repeat changes nothing. */
  private async ping(record: Authentication): Promise<void> {
    const now = Date.now();
    const change = pingReceived(record, now);
    if (!change) return;
    const applied = await this.repository.transition(record, change);
    if (!applied.applied) return;
    await this.scheduler.reschedule({ ...record, nextPollAt: now });
    this.logger.info(
      { event: 'ciba.ping_received', authenticationId: record.id, provider: record.provider },
      'ping received; fetching the token',
    );
  }

  /** Push: the tokens (or the error) are in the notification; nothing is stored before it is verified. */
  private async push(record: Authentication, body: NotificationBody): Promise<void> {
    if (typeof body.error === 'string') {
      // CIBA Core §12: access_denied, expired_token, transaction_failed (and anything else as that).
      const ending = pushedErrorReceived(body.error);
      await this.repository.transition(record, ending);
      this.logger.info(
        { event: `ciba.${ending.set.status}`, authenticationId: record.id, provider: record.provider, pushed: body.error },
        'push error received',
      );
      return;
    }
    const tokens = pushedTokens(body);
    const verified = await this.providers
      .get(record.provider)
      .verify(
        tokens,
        {
          authReqId: record.authReqId,
          hint: { customer: record.customer, identityClaim: record.identityClaim ?? undefined },
          requestedAcr: record.requestedAcr,
        },
        { push: true },
      )
      .catch((error: unknown) => {
        throw new CibaError(
          ErrorCode.ProviderUnavailable,
          'The pushed ID Token could not be verified now (the provider keys are unreachable).',
          {},
          { cause: error },
        );
      });
    if (verified.kind === 'failed' && verified.error.code === 'provider_invalid_response') {
      this.logger.warn(
        { event: 'security.push_rejected', authenticationId: record.id, provider: record.provider },
        'pushed tokens failed validation; the authentication stays pending',
      );
      throw invalidRequest('The pushed tokens failed validation.');
    }
    const change = pushedResultVerified(verified);
    await this.repository.transition(record, change);
    this.logger.info(
      {
        event: `ciba.${change.set.status}`,
        authenticationId: record.id,
        provider: record.provider,
        consumer: record.consumer,
        customer: record.customerMasked,
      },
      'push received',
    );
  }
}

/** The token fields of a push notification (CIBA Core §10.3.1), nothing else. */
function pushedTokens(body: NotificationBody): RawTokenResponse {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return {
    access_token: text(body.access_token),
    id_token: text(body.id_token),
    refresh_token: text(body.refresh_token),
    token_type: text(body.token_type),
    expires_in: expiresIn,
    scope: text(body.scope),
  };
}
