import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isPastDeadline, isTerminal, nextPollState, nextRunAt, type Authentication, type OutcomeError, type PollOutcome } from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import { AuthenticationRepository, Counters, Histograms } from '@ciba/store';
import type { Logger } from 'pino';
import { CIBA_CONFIG, LOGGER } from '../infrastructure/tokens.js';
import type { CibaConfig } from '@ciba/config';
import { POLL_LATENESS } from '../metrics/histogram-specs.js';
import { bindAuthentication } from '../infrastructure/request-context.js';
import { TokenResultService } from './token-result.service.js';

/** When to run next (epoch ms), or null when the job is done. */
export type RunResult = number | null;

/** A marker younger than this may belong to a poll still in flight on another worker. */
const INFLIGHT_GRACE_MS = 15_000;

/**
 * One run of an authentication's poll job: at most one token request, its answer stored before
 * the job is acknowledged. Redeeming an approval is once-only at the provider while BullMQ is
 * at-least-once, so an in-flight marker is written before the request and cleared with the
 * stored answer; a marker found without an answer means an earlier run died mid-request, and
 * the authentication ends `failed` / `result_indeterminate` instead of redeeming twice.
 */
@Injectable()
export class PollService {
  constructor(
    @Inject(AuthenticationRepository) private readonly repository: AuthenticationRepository,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(TokenResultService) private readonly results: TokenResultService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(Counters) private readonly counters: Counters,
    @Inject(Histograms) private readonly histograms: Histograms,
  ) {}

  async run(id: string, now = Date.now()): Promise<RunResult> {
    const record = await this.repository.get(id);
    if (!record || isTerminal(record.status)) return null;
    bindAuthentication(record.id, record.requestId);
    if (isPastDeadline(record, now)) return this.expire(record);
    if (record.tokenResponse) return this.results.settle(record);
    // CIBA Core §10.3: a push client may not use the token endpoint; only the deadline matters.
    if (record.deliveryMode === 'push') return record.expiresAt;
    // Two-step profiles wait for the customer's code; only the deadline concerns the job then.
    if (record.status === 'awaiting_user_code') return record.expiresAt;
    if (now < record.nextPollAt) return nextRunAt(record, record.nextPollAt);
    if (record.inflight) return this.orphanedMarker(record, now);

    const marker = `${now}:${randomUUID()}`;
    const lock = await this.repository.acquireInflight(id, marker);
    if (lock === 'inactive') return null;
    if (lock === 'busy') return this.run(id, now);

    const lateMs = Date.now() - record.nextPollAt;
    this.histograms.observe(POLL_LATENESS, [record.provider], lateMs / 1000);
    const outcome = await this.providers.get(record.provider).poll(record.authReqId);
    this.counters.increment('polls', record.provider, outcome.kind);
    // One line per token request (the context adds requestId and authenticationId).
    this.logger.info({ event: 'ciba.poll', provider: record.provider, outcome: outcome.kind, lateMs }, 'token request answered');
    return this.apply(record, outcome, marker);
  }

  private async apply(record: Authentication, outcome: PollOutcome, marker: string): Promise<RunResult> {
    const now = Date.now();
    const log = { authenticationId: record.id, provider: record.provider, outcome: outcome.kind };
    switch (outcome.kind) {
      case 'pending':
      case 'slow_down':
      case 'transient': {
        const next = this.fallbackSpacing(record, nextPollState(record, outcome.kind, now, outcome.retryAfterSeconds), now);
        const progress = outcome.kind === 'transient' ? record.progress : (outcome.progress ?? record.progress);
        if (outcome.kind !== 'pending')
          this.logger.info(
            { ...log, interval: next.interval, reason: outcome.kind === 'transient' ? outcome.reason : undefined },
            'poll deferred',
          );
        const applied = await this.repository.transition(record, {
          from: ['pending'],
          fence: marker,
          set: { ...next, progress, inflight: null },
          nextRunAt: nextRunAt(record, next.nextPollAt),
        });
        return applied.applied ? nextRunAt(record, next.nextPollAt) : null;
      }
      case 'approved': {
        // Saved before anything else: a crash from here on cannot lose the customer's approval.
        const saved = await this.repository.transition(record, {
          from: ['pending'],
          fence: marker,
          set: { tokenResponse: outcome.tokens, inflight: null },
          nextRunAt: now,
        });
        if (!saved.applied) return null; // cancelled meanwhile: a late approval is ignored
        return this.results.settle({ ...record, tokenResponse: outcome.tokens, inflight: null });
      }
      case 'user_code_required': {
        // The job stays, delayed to the deadline; the consumer's code moves it forward.
        const applied = await this.repository.transition(record, {
          from: ['pending'],
          fence: marker,
          set: { status: 'awaiting_user_code', profileState: outcome.state, inflight: null, progress: null, error: null },
          nextRunAt: record.expiresAt,
        });
        return applied.applied ? record.expiresAt : null;
      }
      case 'denied':
        return this.finish(record, 'denied', { code: 'access_denied', description: 'The customer declined.' }, marker);
      case 'expired':
        return this.finish(record, 'expired', { code: 'expired', description: 'The provider reports the request expired.' }, marker);
      case 'failed': {
        // Our credentials refused: a configuration error of ours, not the customer's doing.
        const ours = outcome.providerError === 'invalid_client' || outcome.providerError === 'unauthorized_client';
        this.logger[ours ? 'error' : 'warn'](
          { ...log, code: outcome.code, providerError: outcome.providerError },
          'authentication failed at the provider',
        );
        return this.finish(
          record,
          'failed',
          { code: outcome.code, description: outcome.description, providerError: outcome.providerError },
          marker,
        );
      }
    }
  }

  /** Ping mode polls only as a fallback for a lost notification: sparsely, never sooner than the interval. */
  private fallbackSpacing<T extends { nextPollAt: number }>(record: Authentication, next: T, now: number): T {
    if (record.deliveryMode !== 'ping') return next;
    const fallbackMs = (this.config.providers.get(record.provider)?.pingFallbackSeconds ?? 0) * 1000;
    return { ...next, nextPollAt: Math.max(next.nextPollAt, now + fallbackMs) };
  }

  /** The deadline is ours: acknowledgement + expires_in, whatever the provider still says. */
  private expire(record: Authentication): Promise<RunResult> {
    if (record.consecutiveFailures > 0) {
      return this.finish(record, 'failed', {
        code: 'provider_unavailable',
        description: 'The provider could not be reached before the deadline.',
      });
    }
    return this.finish(record, 'expired', { code: 'expired', description: 'The customer did not answer in time.' });
  }

  /** A marker without an answer: either a poll still in flight elsewhere, or a run that died. */
  private async orphanedMarker(record: Authentication, now: number): Promise<RunResult> {
    const since = Number(record.inflight!.split(':')[0]);
    if (now - since < INFLIGHT_GRACE_MS) return now + INFLIGHT_GRACE_MS;
    this.logger.error(
      { authenticationId: record.id, provider: record.provider },
      'a token request was interrupted; its outcome cannot be known',
    );
    return this.finish(
      record,
      'failed',
      {
        code: 'result_indeterminate',
        description: 'A token request was interrupted; whether the customer approved cannot be known. Start a new authentication.',
      },
      record.inflight!,
    );
  }

  private async finish(
    record: Authentication,
    status: 'denied' | 'expired' | 'failed',
    error: OutcomeError,
    fence?: string,
  ): Promise<RunResult> {
    const outcome = await this.repository.transition(record, {
      from: ['pending', 'awaiting_user_code'],
      fence,
      set: { status, error, progress: null, inflight: null, tokenResponse: null },
    });
    if (outcome.applied)
      this.logger.info(
        { event: `ciba.${status}`, authenticationId: record.id, provider: record.provider, consumer: record.consumer, code: error.code },
        'authentication finished',
      );
    return null;
  }
}
