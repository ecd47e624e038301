/**
 * How an authentication moves on: pure functions from what happened (a poll's answer, the
 * deadline, a notification, a user code, a cancel) to the change the store applies atomically.
 * Every way an authentication ends is decided here, so the poll job, the notification endpoint
 * and the API cannot tell the same end differently. The services keep the I/O, the logs and the
 * metrics, and say when; these functions say what.
 */
import type { AuthenticationResult } from './authentication-result.js';
import type { AuthenticationChange, EndingChange, ScheduledChange, SettlingChange } from './authentication-change.js';
import type { Authentication } from './authentication.js';
import { ACTIVE_STATUSES, TERMINAL_STATUSES } from './authentication-status.js';
import type { OutcomeError } from './outcome-error.js';
import { OUTCOME_ERRORS, invalidUserCode, tooManyUserCodeAttempts } from './outcome-texts.js';
import type { WebhookState } from './webhook-state.js';
import type { PollOutcome, RawTokenResponse } from '../polling/poll-outcome.js';
import {
  backoffSeconds,
  nextPollState,
  nextRunAt,
  pingFallbackSpacing,
  type DeliveryPolicy,
  type PollState,
} from '../polling/poll-policy.js';

/** A saved approval is settled by the run that saved it; another run settles it after this. */
export const SETTLE_TAKEOVER_MS = 30_000;
/** A marker younger than this may belong to a poll still in flight on another worker. */
export const INFLIGHT_GRACE_MS = 15_000;
/**
 * A saved approval whose ID Token cannot be verified (the provider's keys unreachable) is kept
 * and retried this long past the deadline: the customer approved in time, and the keys are
 * usually back within minutes. (The ID Token's own age limit still applies at verification.)
 */
export const VERIFY_GRACE_MS = 5 * 60_000;

/** How a provider adapter reports an ID Token it checked. */
export type Verification = { kind: 'approved'; result: AuthenticationResult } | { kind: 'failed'; error: OutcomeError };

/** The answers after which polling goes on. */
export type DeferringOutcome = Extract<PollOutcome, { kind: 'pending' | 'slow_down' | 'transient' }>;
/** The answers with which the provider itself ends the authentication. */
export type EndingOutcome = Extract<PollOutcome, { kind: 'denied' | 'expired' | 'failed' }>;

/**
 * The poll job ends an authentication: from either active status, clearing the marker and any
 * saved token response with it (nothing is left for a later run to redeem or settle).
 */
function jobEnded(status: EndingChange['set']['status'], error: OutcomeError, fence?: string): EndingChange {
  return { from: ACTIVE_STATUSES, fence, set: { status, error: { ...error }, progress: null, inflight: null, tokenResponse: null } };
}

/**
 * Pending, `slow_down` or a transient failure: the next poll state (poll-policy.ts), sparser in
 * ping mode, under our marker. A transient failure says nothing new about the customer, so the
 * progress shown stays.
 */
export function pollDeferred(
  record: PollState & Pick<Authentication, 'progress'>,
  outcome: DeferringOutcome,
  context: { delivery: DeliveryPolicy; now: number; marker: string },
): ScheduledChange {
  const { delivery, now, marker } = context;
  const next = pingFallbackSpacing(nextPollState(record, outcome.kind, now, outcome.retryAfterSeconds), delivery, now);
  const progress = outcome.kind === 'transient' ? record.progress : (outcome.progress ?? record.progress);
  return { from: ['pending'], fence: marker, set: { ...next, progress, inflight: null }, nextRunAt: nextRunAt(record, next.nextPollAt) };
}

/**
 * Approved: the tokens are saved before anything else, so a crash cannot lose the customer's
 * approval. Not fenced: whoever else holds a marker now, these tokens are the truth, and saving
 * them fences out any later answer (a second redemption's invalid_grant). The run that saves
 * them settles them; another takes over only if it dies first.
 */
export function approvalReceived(tokens: RawTokenResponse, now: number): ScheduledChange {
  return { from: ['pending'], set: { tokenResponse: tokens, inflight: null }, nextRunAt: now + SETTLE_TAKEOVER_MS };
}

/** Two-step profiles: the first step is done; the job waits for the deadline, the consumer's code moves it on. */
export function userCodeRequired(
  record: Pick<Authentication, 'expiresAt'>,
  state: Record<string, unknown>,
  marker: string,
): ScheduledChange {
  return {
    from: ['pending'],
    fence: marker,
    set: { status: 'awaiting_user_code', profileState: state, inflight: null, progress: null, error: null },
    nextRunAt: record.expiresAt,
  };
}

/** The provider ended it: the customer declined, the provider let it expire, or it failed there. */
export function pollEnded(outcome: EndingOutcome, marker: string): EndingChange {
  switch (outcome.kind) {
    case 'denied':
      return jobEnded('denied', OUTCOME_ERRORS.customerDeclined, marker);
    case 'expired':
      return jobEnded('expired', OUTCOME_ERRORS.providerExpired, marker);
    case 'failed':
      return jobEnded('failed', { code: outcome.code, description: outcome.description, providerError: outcome.providerError }, marker);
  }
}

/**
 * The deadline is ours (acknowledgement + expires_in), whatever the provider still says. When
 * the last polls failed, the customer may have answered unseen: the end is the provider's
 * outage, not the customer's silence.
 */
export function deadlineReached(record: Pick<Authentication, 'consecutiveFailures'>): EndingChange {
  return record.consecutiveFailures > 0
    ? jobEnded('failed', OUTCOME_ERRORS.providerUnreachable)
    : jobEnded('expired', OUTCOME_ERRORS.customerTimedOut);
}

/** A marker first found without an answer after its grace: noted, and judged again a grace later. */
export function markerSuspected(marker: string, now: number): ScheduledChange {
  return { from: ['pending'], fence: marker, set: { inflightSuspect: `${marker}@${now}` }, nextRunAt: now + INFLIGHT_GRACE_MS };
}

/** A marker unchanged across two looks: its run died mid-request, and redeeming again could redeem twice. */
export function markerOrphaned(marker: string): EndingChange {
  return jobEnded('failed', OUTCOME_ERRORS.resultIndeterminate, marker);
}

/** Wait until a time (no change yet), note the marker as suspect, or end the authentication. */
export type MarkerVerdict =
  { kind: 'wait'; until: number } | { kind: 'suspect'; change: ScheduledChange } | { kind: 'orphaned'; change: EndingChange };

/**
 * A marker without an answer: a poll still in flight elsewhere, a worker waiting for Redis to
 * store what it learned, or a run that died. Judged in two looks a grace apart, like BullMQ's
 * stalled jobs: only a marker unchanged across both is orphaned. Markers are `<epoch ms>:<uuid>`.
 */
export function judgeMarker(marker: string, inflightSuspect: string | null, now: number): MarkerVerdict {
  const since = Number(marker.split(':')[0]);
  if (now - since < INFLIGHT_GRACE_MS) return { kind: 'wait', until: since + INFLIGHT_GRACE_MS };
  const suspect = inflightSuspect?.startsWith(`${marker}@`) ? Number(inflightSuspect.slice(marker.length + 1)) : null;
  if (suspect === null) return { kind: 'suspect', change: markerSuspected(marker, now) };
  if (now - suspect < INFLIGHT_GRACE_MS) return { kind: 'wait', until: suspect + INFLIGHT_GRACE_MS };
  return { kind: 'orphaned', change: markerOrphaned(marker) };
}

/**
 * A valid ping (CIBA Core §10.2): fetch the token now, through the job. Only the first ping of a
 * pending authentication counts; a repeat, or one after that, changes nothing (null).
 */
export function pingReceived(record: Pick<Authentication, 'status' | 'pingedAt'>, now: number): ScheduledChange | null {
  if (record.pingedAt !== null || record.status !== 'pending') return null;
  return { from: ['pending'], set: { pingedAt: now, nextPollAt: now }, nextRunAt: now };
}

/** CIBA Core §12: the errors a provider may push, and how each ends the authentication. */
const PUSHED_ENDINGS: Record<string, { status: EndingChange['set']['status']; error: OutcomeError }> = {
  access_denied: { status: 'denied', error: OUTCOME_ERRORS.customerDeclined },
  expired_token: { status: 'expired', error: OUTCOME_ERRORS.providerExpired },
  transaction_failed: { status: 'failed', error: OUTCOME_ERRORS.pushedFailure },
};

/** A pushed error ends a pending authentication; one §12 does not name counts as `transaction_failed`. */
export function pushedErrorReceived(providerError: string): EndingChange {
  // Own keys only: a pushed "constructor" or "toString" is an unknown error, not Object's.
  const ending = Object.hasOwn(PUSHED_ENDINGS, providerError) ? PUSHED_ENDINGS[providerError] : PUSHED_ENDINGS.transaction_failed;
  return { from: ['pending'], set: { status: ending.status, error: { ...ending.error }, progress: null } };
}

/** Pushed tokens, verified (CIBA Core §10.3.1): nothing was saved before, so nothing is cleared. */
export function pushedResultVerified(verified: Verification): SettlingChange {
  const set =
    verified.kind === 'approved'
      ? { status: 'approved' as const, result: verified.result }
      : { status: 'failed' as const, error: verified.error };
  return { from: ['pending'], set: { ...set, progress: null } };
}

/**
 * A saved approval, verified: approved with its result, or failed by our checks. Either way the
 * saved token response goes; an approval also forgets the failures counted while it waited.
 */
export function savedApprovalVerified(verified: Verification): SettlingChange {
  if (verified.kind === 'approved')
    return {
      from: ['pending'],
      set: { status: 'approved', result: verified.result, tokenResponse: null, progress: null, consecutiveFailures: 0 },
    };
  return { from: ['pending'], set: { status: 'failed', error: verified.error, tokenResponse: null, progress: null } };
}

/** Retry at `change.nextRunAt`, or give up (the change ends the authentication). */
export type DeferredVerification = { giveUp: false; change: ScheduledChange } | { giveUp: true; change: EndingChange };

/**
 * The ID Token of a saved approval could not be verified now (the provider's keys unreachable):
 * try again with back-off from one second (sooner never than the verifier's own `retryAt`), up
 * to a grace past the deadline; then give up, `failed` / provider_unavailable.
 */
export function verificationDeferred(
  record: Pick<Authentication, 'expiresAt' | 'consecutiveFailures'>,
  now: number,
  verifierRetryAt?: number,
): DeferredVerification {
  const giveUpAt = record.expiresAt + VERIFY_GRACE_MS;
  if (now >= giveUpAt)
    return {
      giveUp: true,
      change: {
        from: ['pending'],
        set: { status: 'failed', error: { ...OUTCOME_ERRORS.signingKeysUnavailable }, tokenResponse: null, progress: null },
      },
    };
  const failures = record.consecutiveFailures + 1;
  const retryAt = Math.min(Math.max(now + backoffSeconds(1, failures) * 1000, verifierRetryAt ?? 0), giveUpAt);
  return { giveUp: false, change: { from: ['pending'], set: { consecutiveFailures: failures }, nextRunAt: retryAt } };
}

/** The second step acknowledged: pending again, under the provider's new auth_req_id and schedule. */
export function userCodeAccepted(authReqId: string, poll: PollState & { nextPollAt: number }, marker: string): ScheduledChange {
  return {
    from: ['awaiting_user_code'],
    fence: marker,
    set: { status: 'pending', authReqId, ...poll, profileState: null, error: null, inflight: null, progress: null },
    nextRunAt: poll.nextPollAt,
  };
}

/**
 * A code the provider refused: the status stays, with the error shown, until the profile's limit
 * of tries; the last one ends the authentication and forgets the first step's state.
 */
export function userCodeRefused(
  record: Pick<Authentication, 'userCodeAttempts' | 'expiresAt'>,
  limit: number,
  marker: string,
  providerError: string | undefined,
): ScheduledChange & { set: { userCodeAttempts: number } } {
  const attempts = record.userCodeAttempts + 1;
  const set =
    attempts >= limit
      ? {
          status: 'failed' as const,
          userCodeAttempts: attempts,
          inflight: null,
          profileState: null,
          error: tooManyUserCodeAttempts(attempts),
        }
      : { userCodeAttempts: attempts, inflight: null, error: invalidUserCode(attempts, limit, providerError) };
  return { from: ['awaiting_user_code'], fence: marker, set, nextRunAt: record.expiresAt };
}

/** The second step failed otherwise (the provider unreachable, a bug): only our marker goes, the code may be given again. */
export function userCodeAborted(marker: string): AuthenticationChange {
  return { from: ['awaiting_user_code'], fence: marker, set: { inflight: null } };
}

/** API.md §4, "Cancel": polling stops while the authentication is active; a late approval is then ignored. */
export function cancelRequested(): AuthenticationChange {
  return { from: ACTIVE_STATUSES, set: { status: 'cancelled', progress: null } };
}

/** A webhook delivery's new state, kept in the finished record (the one change a finished record takes). */
export function webhookUpdated(webhook: WebhookState): AuthenticationChange {
  return { from: TERMINAL_STATUSES, set: { webhook } };
}
