import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  approvalReceived,
  deadlineReached,
  isPastDeadline,
  isTerminal,
  judgeMarker,
  nextRunAt,
  pollDeferred,
  pollEnded,
  userCodeRequired,
  type Authentication,
  type DeliveryPolicy,
  type EndingChange,
  type PollOutcome,
} from '@ciba/ciba';
import { ProviderRegistry } from '@ciba/providers';
import {
  AuthenticationRepository,
  Counters,
  Histograms,
  newChangeId,
  untilStored,
  type TransitionChange,
  type TransitionResult,
} from '@ciba/store';
import type { Logger } from 'pino';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import type { CibaConfig } from '@ciba/config';
import { POLL_LATENESS } from '../metrics/histogram-specs.js';
import { bindAuthentication } from '../logging/request-context.js';
import { TokenResultService } from './token-result.service.js';

/**
 * When to run next (epoch ms), and whether that time is already in the due set (a stored answer
 * writes it in the same step); null when the authentication needs no more runs.
 */
export type RunResult = { at: number; stored: boolean } | null;
const stored = (at: number): RunResult => ({ at, stored: true });
const later = (at: number): RunResult => ({ at, stored: false });
/** The token result service stores the next time of a deferred verification itself. */
const settled = (at: number | null): RunResult => (at === null ? null : stored(at));

/**
 * One run of an authentication's poll job: at most one token request, its answer stored before
 * the job is acknowledged. Redeeming an approval is once-only at the provider while BullMQ is
 * at-least-once, so an in-flight marker is written before the request and cleared with the
 * stored answer. The marker means only "a token request may have been redeemed": the worker
 * that holds it and knows the answer keeps trying to store it while Redis is away. A marker
 * still there, unchanged, a grace after it was first found orphaned means its run died
 * mid-request: the authentication ends `failed` / `result_indeterminate` instead of redeeming
 * twice.
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
    const marker = `${now}:${randomUUID()}`;
    const { record, acquired } = await this.givingBackOnFailure(id, marker, () => this.repository.readForPoll(id, marker, now));
    if (!record || isTerminal(record.status)) return null;
    bindAuthentication(record.id, record.requestId);
    // The common run: the record said a request is due, and the marker is ours.
    if (acquired) return this.poll(record, marker);
    // A saved approval is settled even past the deadline: the customer approved in time.
    if (record.tokenResponse) return settled(await this.results.settle(record));
    if (isPastDeadline(record, now)) return this.expire(record);
    // CIBA Core §10.3: a push client may not use the token endpoint; only the deadline matters.
    if (record.deliveryMode === 'push') return later(record.expiresAt);
    // Two-step profiles wait for the customer's code; only the deadline concerns the job then.
    if (record.status === 'awaiting_user_code') return later(record.expiresAt);
    if (now < record.nextPollAt) return later(nextRunAt(record, record.nextPollAt));
    if (record.inflight) return this.orphanedMarker(record, record.inflight, now);

    const lock = await this.givingBackOnFailure(id, marker, () => this.repository.acquireInflight(id, marker, now));
    if (lock === 'inactive') return null;
    // Another run holds the marker: decide afresh (its marker is judged there).
    if (lock === 'busy') return this.run(id, now);
    // Another run polled and stored while this one read: wait for the time it stored.
    if (lock === 'early') return this.storedNextRun(id);
    return this.poll(record, marker);
  }

  /** One token request under our marker, and its answer stored. */
  private async poll(record: Authentication, marker: string): Promise<RunResult> {
    const lateMs = Date.now() - record.nextPollAt;
    this.histograms.observe(POLL_LATENESS, [record.provider], lateMs / 1000);
    const outcome = await this.providers.get(record.provider).poll(record.authReqId);
    this.counters.increment('polls', record.provider, outcome.kind);
    // One line per token request (the context adds requestId and authenticationId); the common
    // "still pending" at debug, so the info log stays about what changed.
    this.logger[outcome.kind === 'pending' ? 'debug' : 'info'](
      { event: 'ciba.poll', provider: record.provider, outcome: outcome.kind, lateMs },
      'token request answered',
    );
    return this.apply(record, outcome, marker);
  }

  /** Stores what the answer changes (authentication-lifecycle.ts), then what follows from it. */
  private async apply(record: Authentication, outcome: PollOutcome, marker: string): Promise<RunResult> {
    const now = Date.now();
    const log = { authenticationId: record.id, provider: record.provider, outcome: outcome.kind };
    switch (outcome.kind) {
      case 'pending':
      case 'slow_down':
      case 'transient': {
        const change = pollDeferred(record, outcome, { delivery: this.deliveryOf(record), now, marker });
        if (outcome.kind !== 'pending')
          this.logger.info(
            { ...log, interval: change.set.interval, reason: outcome.kind === 'transient' ? outcome.reason : undefined },
            'poll deferred',
          );
        const applied = await this.store(record, change);
        return applied.applied ? stored(change.nextRunAt) : this.afterRefusal(record);
      }
      case 'approved': {
        // Saved before anything else: a crash from here on cannot lose the customer's approval.
        const change = approvalReceived(outcome.tokens, now);
        const saved = await this.store(record, change);
        if (!saved.applied) return null; // cancelled meanwhile: a late approval is ignored
        return settled(await this.results.settle({ ...record, ...change.set }));
      }
      case 'user_code_required': {
        // The job stays, delayed to the deadline; the consumer's code moves it forward.
        const change = userCodeRequired(record, outcome.state, marker);
        const applied = await this.store(record, change);
        return applied.applied ? stored(change.nextRunAt) : this.afterRefusal(record);
      }
      case 'denied':
      case 'expired':
        return this.finish(record, pollEnded(outcome, marker));
      case 'failed': {
        // Our credentials refused: a configuration error of ours, not the customer's doing.
        const ours = outcome.providerError === 'invalid_client' || outcome.providerError === 'unauthorized_client';
        this.logger[ours ? 'error' : 'warn'](
          { ...log, code: outcome.code, providerError: outcome.providerError },
          'authentication failed at the provider',
        );
        return this.finish(record, pollEnded(outcome, marker));
      }
    }
  }

  /** The record's delivery mode (fixed at its start) with its provider's ping fallback. */
  private deliveryOf(record: Authentication): DeliveryPolicy {
    return { mode: record.deliveryMode, pingFallbackSeconds: this.config.providers.get(record.provider)?.pingFallbackSeconds ?? 0 };
  }

  /** The deadline is ours: acknowledgement + expires_in, whatever the provider still says. */
  private expire(record: Authentication): Promise<RunResult> {
    return this.finish(record, deadlineReached(record));
  }

  /** A marker without an answer, judged in two looks a grace apart (see `judgeMarker`). */
  private async orphanedMarker(record: Authentication, marker: string, now: number): Promise<RunResult> {
    const verdict = judgeMarker(marker, record.inflightSuspect, now);
    if (verdict.kind === 'wait') return later(verdict.until);
    if (verdict.kind === 'suspect') {
      const noted = await this.repository.transition(record, verdict.change);
      return noted.applied ? stored(verdict.change.nextRunAt) : this.afterRefusal(record);
    }
    this.logger.error(
      { authenticationId: record.id, provider: record.provider },
      'a token request was interrupted; its outcome cannot be known',
    );
    return this.finish(record, verdict.change);
  }

  /**
   * Stores what a provider answered, waiting out a Redis that is away: the answer exists only in
   * this process until then, and the marker must not outlive a known answer.
   */
  private store(record: Authentication, change: TransitionChange): Promise<TransitionResult> {
    const named = { ...change, changeId: newChangeId() };
    return untilStored(
      () => this.repository.transition(record, named),
      (error, attempt) =>
        attempt === 1 &&
        this.logger.warn(
          { authenticationId: record.id, err: (error as Error).message },
          'answer not stored yet; retrying until Redis takes it',
        ),
    );
  }

  /**
   * A call that may take the marker. When its answer is lost (a timeout, a reset), it may still
   * run later (ioredis sends unanswered commands again after reconnecting), so the marker is
   * given back, in order behind it on the same connection: no marker may stand for a request
   * that was never sent.
   */
  private async givingBackOnFailure<T>(id: string, marker: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      await untilStored(
        () => this.repository.releaseInflight(id, marker),
        () => undefined,
      ).catch((releaseError: unknown) =>
        this.logger.error({ authenticationId: id, err: releaseError }, 'an unused in-flight marker could not be given back'),
      );
      throw error;
    }
  }

  private async storedNextRun(id: string): Promise<RunResult> {
    const fresh = await this.repository.get(id);
    return fresh && !isTerminal(fresh.status) ? later(nextRunAt(fresh, fresh.nextPollAt)) : null;
  }

  /** Our change was refused (cancelled, or someone else's marker meanwhile): decide afresh from what is stored. */
  private afterRefusal(record: Authentication): Promise<RunResult> {
    return this.run(record.id);
  }

  /** Stores an end the job decided; said once, by the run whose change applied. */
  private async finish(record: Authentication, ending: EndingChange): Promise<RunResult> {
    const { status, error } = ending.set;
    const outcome = await this.store(record, ending);
    if (outcome.applied)
      this.logger.info(
        { event: `ciba.${status}`, authenticationId: record.id, provider: record.provider, consumer: record.consumer, code: error.code },
        'authentication finished',
      );
    return null;
  }
}
