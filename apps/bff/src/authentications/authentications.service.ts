import { Inject, Injectable } from '@nestjs/common';
import {
  cancelRequested,
  CibaError,
  ErrorCode,
  invalidState,
  isTerminal,
  NeverSentError,
  notFound,
  providerNotAllowed,
  unknownProvider,
  type Authentication,
  type AuthenticationView,
} from '@ciba/ciba';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { ProviderRegistry, type PreparedHint } from '@ciba/providers';
import { AuthenticationRepository, Counters, Keyring, RateLimiter, storeFailureKind, untilStored } from '@ciba/store';
import type { Logger } from 'pino';
import { CIBA_CONFIG, KEYRING, LOGGER } from '../tokens.js';
import { AuditService } from '../audit/audit.service.js';
import { newAuthenticationId } from './authentication-id.js';
import { newNotificationToken, notificationKey, sha256Hex } from '../notifications/notification-token.js';
import type { StartAuthenticationDto } from './dto/start-authentication.dto.js';
import { hintOf } from './start-request.js';
import { checkCallbackUrl } from '../webhooks/callback-url-policy.js';
import { bindAuthentication, currentRequest } from '../logging/request-context.js';
import { StartAdmission } from './start-admission.js';
import { newAuthentication } from './new-authentication.js';
import { callerMayAccess, initiatorOfCaller, type Caller } from './caller.js';

/**
 * How long a start waits out a Redis that does not answer before it gives up on storing what the
 * provider acknowledged: short, as the provider's round trip is spent already and a consumer is
 * answered within 3 s when the store cannot be used (API.md §6).
 */
const START_STORE_PATIENCE_MS = 1000;

/** Starting, reading and cancelling authentications: the consumer API's decisions. */
@Injectable()
export class AuthenticationsService {
  constructor(
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(Counters) private readonly counters: Counters,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(StartAdmission) private readonly admission: StartAdmission,
  ) {}

  /**
   * Starts CIBA at the provider (API.md §4, "Start"). Besides the consumer's rate limit (the
   * guard's), two Redis round trips in the common case: the admission before the provider is
   * called, and one transaction that stores what it acknowledged.
   */
  async start(caller: Caller, dto: StartAuthenticationDto): Promise<Authentication> {
    const { consumer } = caller;
    const initiatedBy = initiatorOfCaller(caller);
    if (!this.config.providers.has(dto.provider)) throw unknownProvider(dto.provider);
    if (!consumer.providers.includes(dto.provider)) throw providerNotAllowed(dto.provider);
    const callbackUrl = dto.callbackUrl === undefined ? null : checkCallbackUrl(dto.callbackUrl, consumer).href;
    const provider = this.config.providers.get(dto.provider)!;
    const adapter = this.providers.get(provider.id);
    const hint = adapter.prepareHint(hintOf(dto), { acrValues: dto.acrValues });
    const bindingMessage = adapter.bindingMessage(dto.bindingMessage, { acrValues: dto.acrValues });
    const customerKey = this.keyring.hmac('customer', `${provider.id}\u0000${hint.customer}`);
    const id = newAuthenticationId();
    bindAuthentication(id);
    await this.admission.admit(caller, provider.id, customerKey, id);

    // Ping and push: a bearer token the provider must show when it notifies us (CIBA Core §7.1).
    const notificationToken = provider.deliveryMode === 'poll' ? undefined : newNotificationToken();
    let ack;
    try {
      ack = await adapter.start({
        clientNotificationToken: notificationToken,
        scope: dto.scope ?? provider.scope,
        hint,
        bindingMessage,
        acrValues: dto.acrValues,
        claims: dto.claims,
        userCode: dto.userCode,
        requestedExpiry: dto.requestedExpiry,
        authorizationDetails: dto.authorizationDetails,
        uiLocales: dto.uiLocales,
      });
    } catch (error) {
      await this.startRefused(error, { caller, provider: provider.id, customerKey, id, hint });
      throw error;
    }

    const record = newAuthentication({
      id,
      consumer: consumer.id,
      initiatedBy,
      provider,
      request: dto,
      hint,
      bindingMessage,
      customerKey,
      callbackUrl,
      notificationTokenHash: notificationToken ? sha256Hex(notificationToken) : null,
      requestId: currentRequest()?.requestId ?? null,
      ack,
      acknowledgedAt: Date.now(),
    });
    await this.store(record, notificationToken ? notificationKey(this.keyring, provider.id, ack.authReqId) : undefined);
    // The record exists from here on: nothing that follows may turn the start into an error
    // (a consumer that retried would find its own request "pending" elsewhere).
    this.counters.increment('started', provider.id);
    this.logger.info(
      {
        event: 'ciba.op_acknowledged',
        authenticationId: id,
        consumer: consumer.id,
        provider: provider.id,
        customer: hint.masked,
        expiresAt: record.expiresAt,
      },
      'authentication started',
    );
    return record;
  }

  /**
   * Stores a new authentication the provider has acknowledged, in one atomic write with what
   * must not exist without it or be missing from it: its reservation, extended to its expiry, and
   * its audit event (no start without one).
   *
   * The write is idempotent (`CREATE`), so a Redis that does not answer (a reset, a restart) is
   * waited out briefly and the write sent again: if the first one ran and only its reply was
   * lost, the repeat finds the record and the start succeeds, instead of a 503 for a request
   * that is pending and will be polled (the consumer's retry would ring the customer twice).
   *
   * If the store still fails, the request left pending at the provider is logged and audited: the
   * customer may see a prompt that leads nowhere. Whether the reservation goes depends on what is
   * known: a Redis that refused (out of memory) wrote nothing, and it is released so a retry is
   * not told `pending_exists`; a Redis that did not answer may have stored it all, so it is kept
   * (a retry is told `pending_exists` until it lapses) rather than risk a second prompt.
   */
  private async store(record: Authentication, notificationKeyHash: string | undefined): Promise<void> {
    const audit = this.audit.inTransaction('ciba.start', 'pending', record);
    const create = () =>
      this.repository.create(record, { notificationKey: notificationKeyHash, confirmReservation: true, alsoWrite: audit.write });
    try {
      const created = await untilStored(create, () => undefined, START_STORE_PATIENCE_MS, ['unreachable']);
      if (created === 'existed')
        this.logger.warn(
          { event: 'ciba.start_stored_reply_lost', authenticationId: record.id, provider: record.provider },
          'a lost reply hid that the authentication was stored; its repeat found it',
        );
    } catch (error) {
      const unknown = storeFailureKind(error) === 'unreachable';
      if (!unknown)
        await this.repository
          .releasePending(record.consumer, record.provider, record.customerKey, record.id)
          .catch((releaseError: unknown) =>
            this.logger.error({ authenticationId: record.id, err: releaseError }, 'reservation could not be released; it lapses by itself'),
          );
      this.logger.error(
        {
          event: unknown ? 'ciba.start_unconfirmed' : 'ciba.start_orphaned',
          authenticationId: record.id,
          provider: record.provider,
          consumer: record.consumer,
          err: error,
        },
        unknown
          ? 'the provider acknowledged a request that Redis may or may not have stored; its reservation is kept until it lapses'
          : 'the provider acknowledged a request that could not be stored; it is abandoned at the provider',
      );
      this.audit.recordInBackground('ciba.start', unknown ? 'unconfirmed' : 'orphaned', record);
      throw error;
    }
    this.audit.log(audit.entry);
  }

  /**
   * An authentication the caller may see (its consumer's; for a plain agent, one they started),
   * or 404 exactly as for an unknown id. With `view`, the one place every route by id passes.
   */
  async get(caller: Caller, id: string): Promise<Authentication> {
    return this.accessible(caller, await this.repository.get(id));
  }

  /** What a status read shows (the document's fields only: nothing but the result and the initiator is decrypted). */
  async view(caller: Caller, id: string): Promise<AuthenticationView> {
    return this.accessible(caller, await this.repository.view(id));
  }

  private accessible<T extends Pick<Authentication, 'consumer' | 'initiatedBy'>>(caller: Caller, record: T | null): T {
    if (!record || !callerMayAccess(caller, record)) throw notFound();
    return record;
  }

  /** Stops polling (API.md §4, "Cancel"); a late approval is then ignored. */
  async cancel(caller: Caller, id: string): Promise<Authentication> {
    const record = await this.get(caller, id);
    if (isTerminal(record.status)) throw invalidState(record.status, 'cancel');
    const outcome = await this.repository.transition(record, cancelRequested());
    if (!outcome.applied) {
      const current = await this.get(caller, id);
      throw invalidState(current.status, 'cancel');
    }
    await this.audit.record('ciba.cancel', 'cancelled', record);
    this.logger.info({ event: 'ciba.cancelled', authenticationId: id, consumer: caller.consumer.id }, 'authentication cancelled');
    return this.get(caller, id);
  }

  /**
   * A start the provider refused or never received: the reservation goes, a request that never
   * left does not count against the customer, the refusal is audited and logged, and a "customer
   * unknown" counts toward the consumer's enumeration guard.
   */
  private async startRefused(
    error: unknown,
    start: { caller: Caller; provider: string; customerKey: string; id: string; hint: PreparedHint },
  ): Promise<void> {
    const { caller, provider, customerKey, id, hint } = start;
    const consumer = caller.consumer;
    await this.repository.releasePending(consumer.id, provider, customerKey, id);
    // The customer's phone never rang: the attempt does not count against them.
    if (error instanceof NeverSentError) await this.limiter.giveBackCustomer(provider, customerKey);
    await this.audit.record('ciba.start', error instanceof CibaError ? error.code : 'error', {
      consumer: consumer.id,
      provider,
      customerMasked: hint.masked,
      initiatedBy: initiatorOfCaller(caller),
    });
    if (error instanceof CibaError && error.code === ErrorCode.CustomerUnknown) await this.countUnknownCustomer(consumer);
    this.logStartFailure(error, consumer.id, provider, hint);
  }

  private async countUnknownCustomer(consumer: ConsumerConfig): Promise<void> {
    await this.limiter.addUnknownCustomer(consumer.id, this.config.limits.unknownCustomers.windowSeconds * 1000);
  }

  private logStartFailure(error: unknown, consumer: string, provider: string, hint: PreparedHint): void {
    const code = error instanceof CibaError ? error.code : 'unexpected';
    const providerError = error instanceof CibaError ? error.extensions.providerError : undefined;
    // Our own misconfiguration (invalid_client, ...) is `provider_misconfigured`, whose one loud
    // line the problem filter writes; this is the start's ordinary trace.
    this.logger.info(
      { event: 'ciba.op_rejected', consumer, provider, customer: hint.masked, code, providerError },
      'authentication not started',
    );
  }
}
