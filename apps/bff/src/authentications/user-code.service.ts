import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CibaError,
  ErrorCode,
  initialPollState,
  invalidState,
  userCodeAborted,
  userCodeAccepted,
  userCodeRefused,
  type Authentication,
} from '@ciba/ciba';
import type { CibaConfig } from '@ciba/config';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, newChangeId, untilStored, type TransitionChange } from '@ciba/store';
import type { Logger } from 'pino';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import { AuthenticationsService } from './authentications.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Caller } from './caller.js';

/** How long the second step's answer is retried into a Redis that fails (an API call waits for it). */
const ANSWER_PATIENCE_MS = 2000;

/**
 * `POST /v1/authentications/{id}/user-code` (API.md §4): the second step of two-step profiles.
 * The code is a secret the customer knows: it goes to the provider and nowhere else (no log, no
 * store, no job).
 */
@Injectable()
export class UserCodeService {
  constructor(
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async submit(caller: Caller, id: string, userCode: string): Promise<Authentication> {
    const record = await this.authentications.get(caller, id);
    const adapter = this.providers.get(record.provider);
    if (record.status !== 'awaiting_user_code' || !adapter.submitUserCode || !record.profileState) {
      throw invalidState(record.status, 'give a user code to');
    }
    // One code at a time: the in-flight marker also guards the second step.
    const marker = `${Date.now()}:${randomUUID()}`;
    if ((await this.repository.acquireInflight(id, marker)) !== 'acquired')
      throw invalidState(record.status, 'give another code while one is checked for');
    let ack;
    try {
      ack = await adapter.submitUserCode(userCode, record.profileState, { scope: record.scope });
    } catch (error) {
      await this.audit.record('ciba.user_code', error instanceof CibaError ? error.code : 'error', record);
      if (error instanceof CibaError && error.code === ErrorCode.InvalidUserCode) await this.wrongCode(record, marker, error);
      else await this.repository.transition(record, userCodeAborted(marker));
      throw error;
    }
    const poll = initialPollState({ acknowledgedAt: Date.now(), expiresIn: ack.expiresIn, interval: ack.interval });
    // The provider's new auth_req_id exists only here until stored: a Redis blip is waited out,
    // within what a consumer waits for an answer (API.md §6).
    const change: TransitionChange = { ...userCodeAccepted(ack.authReqId, poll, marker), changeId: newChangeId() };
    const applied = await untilStored(
      () => this.repository.transition(record, change),
      () => undefined,
      ANSWER_PATIENCE_MS,
    );
    if (!applied.applied) throw invalidState(record.status, 'give a user code to');
    await this.repository.confirmPending(record.consumer, record.provider, record.customerKey, id, poll.expiresAt);
    this.logger.info({ event: 'ciba.user_code_accepted', authenticationId: id, provider: record.provider }, 'second step acknowledged');
    await this.audit.record('ciba.user_code', 'accepted', record);
    return this.authentications.get(caller, id);
  }

  /** A refused code: the status stays, with the error shown, until the profile's limit of tries. */
  private async wrongCode(record: Authentication, marker: string, error: CibaError): Promise<void> {
    const limit = this.config.providers.get(record.provider)!.maxUserCodeAttempts;
    const change = userCodeRefused(record, limit, marker, error.extensions.providerError);
    await this.repository.transition(record, change);
    const attempts = change.set.userCodeAttempts;
    this.logger.info({ event: 'ciba.user_code_refused', authenticationId: record.id, attempts, limit }, 'user code refused');
  }
}
