import type { AuthenticationChange } from './authentication-change.js';
import {
  INFLIGHT_GRACE_MS,
  SETTLE_TAKEOVER_MS,
  VERIFY_GRACE_MS,
  approvalReceived,
  cancelRequested,
  deadlineReached,
  judgeMarker,
  markerOrphaned,
  markerSuspected,
  pingReceived,
  pollDeferred,
  pollEnded,
  pushedErrorReceived,
  pushedResultVerified,
  savedApprovalVerified,
  userCodeAborted,
  userCodeAccepted,
  userCodeRefused,
  userCodeRequired,
  verificationDeferred,
  webhookUpdated,
} from './authentication-lifecycle.js';
import type { AuthenticationResult } from './authentication-result.js';
import { AuthenticationStatus } from './authentication-status.js';
import type { OutcomeError } from './outcome-error.js';
import { OUTCOME_ERRORS, invalidUserCode, tooManyUserCodeAttempts } from './outcome-texts.js';
import type { WebhookState } from './webhook-state.js';
import { CLOCK_GUARD_MS, type DeliveryPolicy } from '../polling/poll-policy.js';

const t0 = 1_700_000_000_000;
const marker = `${t0}:m1`;
const poll: DeliveryPolicy = { mode: 'poll', pingFallbackSeconds: 30 };
const ping: DeliveryPolicy = { mode: 'ping', pingFallbackSeconds: 30 };
/** The fields the lifecycle reads, of a pending authentication an hour from its deadline. */
const state = {
  status: 'pending' as AuthenticationStatus,
  interval: 5,
  expiresAt: t0 + 3_600_000,
  consecutiveFailures: 0,
  progress: 'push sent',
  pingedAt: null as number | null,
  userCodeAttempts: 0,
};
const result: AuthenticationResult = { subject: 's', claims: {}, acr: null, amr: null, authTime: null, tokens: {} };
const mismatch: OutcomeError = { code: 'identity_mismatch', description: 'Not the customer asked for.' };
const webhook: WebhookState = { state: 'delivered', attempts: 1, lastError: null, deliveryId: 'd1', firstAttemptAt: t0 };
const failedAtProvider: OutcomeError = { code: 'provider_rejected', description: 'Refused.', providerError: 'transaction_failed' };

const STATUSES = Object.values(AuthenticationStatus);
const PENDING: AuthenticationStatus[] = ['pending'];
const AWAITING: AuthenticationStatus[] = ['awaiting_user_code'];
const ACTIVE: AuthenticationStatus[] = ['pending', 'awaiting_user_code'];
const TERMINAL: AuthenticationStatus[] = ['approved', 'denied', 'expired', 'failed', 'cancelled'];

interface Event {
  name: string;
  change: AuthenticationChange;
  /** The statuses it applies in, written out here independently of the code. */
  from: AuthenticationStatus[];
  /** The status it moves to; undefined when the status stays. */
  status?: AuthenticationStatus;
  /** The error it sets: an OutcomeError, null (cleared) or undefined (left as it was). */
  error?: OutcomeError | null;
}

/** Every event the lifecycle knows, and what it does (API.md §4, CIBA Core §10-§12). */
const EVENTS: Event[] = [
  { name: 'poll: pending', change: pollDeferred(state, { kind: 'pending' }, { delivery: poll, now: t0, marker }), from: PENDING },
  { name: 'poll: slow_down', change: pollDeferred(state, { kind: 'slow_down' }, { delivery: poll, now: t0, marker }), from: PENDING },
  {
    name: 'poll: transient',
    change: pollDeferred(state, { kind: 'transient', reason: 'timeout' }, { delivery: poll, now: t0, marker }),
    from: PENDING,
  },
  { name: 'poll: approved', change: approvalReceived({ id_token: 'x' }, t0), from: PENDING },
  {
    name: 'poll: user code required',
    change: userCodeRequired(state, { middle: 'token' }, marker),
    from: PENDING,
    status: 'awaiting_user_code',
    error: null,
  },
  {
    name: 'poll: denied',
    change: pollEnded({ kind: 'denied', providerError: 'access_denied' }, marker),
    from: ACTIVE,
    status: 'denied',
    error: OUTCOME_ERRORS.customerDeclined,
  },
  {
    name: 'poll: expired',
    change: pollEnded({ kind: 'expired' }, marker),
    from: ACTIVE,
    status: 'expired',
    error: OUTCOME_ERRORS.providerExpired,
  },
  {
    name: 'poll: failed',
    change: pollEnded({ kind: 'failed', ...failedAtProvider }, marker),
    from: ACTIVE,
    status: 'failed',
    error: failedAtProvider,
  },
  {
    name: 'deadline',
    change: deadlineReached({ consecutiveFailures: 0 }),
    from: ACTIVE,
    status: 'expired',
    error: OUTCOME_ERRORS.customerTimedOut,
  },
  {
    name: 'deadline after failed polls',
    change: deadlineReached({ consecutiveFailures: 1 }),
    from: ACTIVE,
    status: 'failed',
    error: OUTCOME_ERRORS.providerUnreachable,
  },
  { name: 'marker suspected', change: markerSuspected(marker, t0 + 20_000), from: PENDING },
  { name: 'marker orphaned', change: markerOrphaned(marker), from: ACTIVE, status: 'failed', error: OUTCOME_ERRORS.resultIndeterminate },
  { name: 'ping', change: pingReceived(state, t0)!, from: PENDING },
  {
    name: 'pushed access_denied',
    change: pushedErrorReceived('access_denied'),
    from: PENDING,
    status: 'denied',
    error: OUTCOME_ERRORS.customerDeclined,
  },
  {
    name: 'pushed expired_token',
    change: pushedErrorReceived('expired_token'),
    from: PENDING,
    status: 'expired',
    error: OUTCOME_ERRORS.providerExpired,
  },
  {
    name: 'pushed transaction_failed',
    change: pushedErrorReceived('transaction_failed'),
    from: PENDING,
    status: 'failed',
    error: OUTCOME_ERRORS.pushedFailure,
  },
  {
    name: 'pushed unknown error',
    change: pushedErrorReceived('server_error'),
    from: PENDING,
    status: 'failed',
    error: OUTCOME_ERRORS.pushedFailure,
  },
  { name: 'pushed tokens verified', change: pushedResultVerified({ kind: 'approved', result }), from: PENDING, status: 'approved' },
  {
    name: 'pushed tokens refused',
    change: pushedResultVerified({ kind: 'failed', error: mismatch }),
    from: PENDING,
    status: 'failed',
    error: mismatch,
  },
  { name: 'saved approval verified', change: savedApprovalVerified({ kind: 'approved', result }), from: PENDING, status: 'approved' },
  {
    name: 'saved approval refused',
    change: savedApprovalVerified({ kind: 'failed', error: mismatch }),
    from: PENDING,
    status: 'failed',
    error: mismatch,
  },
  { name: 'verification deferred', change: verificationDeferred(state, t0).change, from: PENDING },
  {
    name: 'verification given up',
    change: verificationDeferred(state, state.expiresAt + VERIFY_GRACE_MS).change,
    from: PENDING,
    status: 'failed',
    error: OUTCOME_ERRORS.signingKeysUnavailable,
  },
  {
    name: 'user code accepted',
    change: userCodeAccepted('req-2', { interval: 5, expiresAt: t0 + 60_000, consecutiveFailures: 0, nextPollAt: t0 + 5001 }, marker),
    from: AWAITING,
    status: 'pending',
    error: null,
  },
  {
    name: 'user code refused',
    change: userCodeRefused({ ...state, userCodeAttempts: 0 }, 3, marker, 'bad_code'),
    from: AWAITING,
    error: invalidUserCode(1, 3, 'bad_code'),
  },
  {
    name: 'user code refused, the last try',
    change: userCodeRefused({ ...state, userCodeAttempts: 2 }, 3, marker, 'bad_code'),
    from: AWAITING,
    status: 'failed',
    error: tooManyUserCodeAttempts(3),
  },
  { name: 'user code aborted', change: userCodeAborted(marker), from: AWAITING },
  { name: 'cancel', change: cancelRequested(), from: ACTIVE, status: 'cancelled' },
  { name: 'webhook updated', change: webhookUpdated(webhook), from: TERMINAL },
];

/** The status a record has after the change is offered to it: the store applies it only from `from`. */
const statusAfter = (change: AuthenticationChange, status: AuthenticationStatus): AuthenticationStatus =>
  change.from.includes(status) ? (change.set.status ?? status) : status;

describe('authentication lifecycle', () => {
  describe('every (status, event) pair', () => {
    const pairs = EVENTS.flatMap((event) => STATUSES.map((status) => [event.name, status, event] as const));

    it.each(pairs)('%s, offered to a record %s', (_name, status, event) => {
      const applies = event.from.includes(status);
      expect(event.change.from.includes(status)).toBe(applies);
      expect(statusAfter(event.change, status)).toBe(applies ? (event.status ?? status) : status);
    });
  });

  describe('what each event sets', () => {
    it.each(EVENTS)('$name: status and error', (event) => {
      expect(event.change.set.status).toBe(event.status);
      expect(event.change.set.error).toEqual(event.error);
    });

    // An end from `pending` clears the progress shown; `awaiting_user_code` has none to clear
    // (the step into it cleared it), so the last wrong code leaves the field alone.
    const ends = EVENTS.filter((event) => event.status && TERMINAL.includes(event.status));
    it.each(ends.filter((event) => event.from.includes('pending')))('$name: an end clears the progress shown', (event) => {
      expect(event.change.set.progress).toBeNull();
    });

    it.each(ends.filter((event) => !event.from.includes('pending')))(
      '$name: an end from awaiting a code leaves progress alone',
      (event) => {
        expect(event.change.set).not.toHaveProperty('progress');
        expect(userCodeRequired(state, {}, marker).set.progress).toBeNull();
      },
    );

    it.each(Object.keys(OUTCOME_ERRORS) as (keyof typeof OUTCOME_ERRORS)[])('%s is what some event ends with', (name) => {
      expect(EVENTS.some((event) => JSON.stringify(event.change.set.error) === JSON.stringify(OUTCOME_ERRORS[name]))).toBe(true);
    });

    it("gives each change its own copy of a table's error (a change cannot alter the table)", () => {
      const ending = pollEnded({ kind: 'expired' }, marker);
      ending.set.error.description = 'changed';
      expect(OUTCOME_ERRORS.providerExpired.description).toBe('The provider reports the request expired.');
      expect(pushedErrorReceived('expired_token').set.error).not.toBe(OUTCOME_ERRORS.providerExpired);
    });
  });

  describe('the poll job', () => {
    it.each([
      ['pending', { kind: 'pending' as const }, 5, 0, t0 + 5000],
      ['slow_down (+5 s)', { kind: 'slow_down' as const }, 10, 0, t0 + 10_000],
      ['transient (back-off, failure counted)', { kind: 'transient' as const, reason: 'timeout' }, 5, 1, t0 + 5000],
      ['pending with a Retry-After', { kind: 'pending' as const, retryAfterSeconds: 9 }, 5, 0, t0 + 9000],
    ])('after %s: the next poll under our marker, the marker cleared', (_name, outcome, interval, failures, at) => {
      const change = pollDeferred(state, outcome, { delivery: poll, now: t0, marker });
      expect(change).toEqual({
        from: ['pending'],
        fence: marker,
        set: {
          interval,
          expiresAt: state.expiresAt,
          consecutiveFailures: failures,
          nextPollAt: at + CLOCK_GUARD_MS,
          progress: 'push sent',
          inflight: null,
        },
        nextRunAt: at + CLOCK_GUARD_MS,
      });
    });

    it("shows the provider's new progress, and keeps the old one over a transient failure", () => {
      const pending = { kind: 'pending' as const, progress: 'opened the app' };
      expect(pollDeferred(state, pending, { delivery: poll, now: t0, marker }).set.progress).toBe('opened the app');
      const failure = { kind: 'transient' as const, reason: 'timeout' };
      expect(pollDeferred(state, failure, { delivery: poll, now: t0, marker }).set.progress).toBe('push sent');
    });

    it('polls ping mode only as a sparse fallback', () => {
      const change = pollDeferred(state, { kind: 'pending' }, { delivery: ping, now: t0, marker });
      expect(change.set.nextPollAt).toBe(t0 + 30_000 + CLOCK_GUARD_MS);
      expect(change.nextRunAt).toBe(t0 + 30_000 + CLOCK_GUARD_MS);
    });

    it('runs at the deadline when the next poll would come after it', () => {
      const change = pollDeferred({ ...state, expiresAt: t0 + 2000 }, { kind: 'pending' }, { delivery: poll, now: t0, marker });
      expect(change.set.nextPollAt).toBe(t0 + 5000 + CLOCK_GUARD_MS);
      expect(change.nextRunAt).toBe(t0 + 2000);
    });

    it('saves an approval unfenced, for this run to settle (another takes over later)', () => {
      const change = approvalReceived({ id_token: 'x' }, t0);
      expect(change).toEqual({
        from: ['pending'],
        set: { tokenResponse: { id_token: 'x' }, inflight: null },
        nextRunAt: t0 + SETTLE_TAKEOVER_MS,
      });
      expect(change.fence).toBeUndefined();
    });

    it('waits for the deadline once the customer must give a code', () => {
      expect(userCodeRequired(state, { middle: 'token' }, marker)).toMatchObject({
        fence: marker,
        set: { profileState: { middle: 'token' }, inflight: null, progress: null },
        nextRunAt: state.expiresAt,
      });
    });

    it.each([
      ['a poll', pollEnded({ kind: 'denied', providerError: 'access_denied' }, marker), marker],
      ['the deadline', deadlineReached(state), undefined],
      ['an orphaned marker', markerOrphaned(marker), marker],
    ])('an end decided by %s clears the marker and any saved tokens', (_name, change, fence) => {
      expect(change.fence).toBe(fence);
      expect(change.set).toMatchObject({ inflight: null, tokenResponse: null, progress: null });
    });

    it("keeps the provider's own failure as it said it", () => {
      const change = pollEnded({ kind: 'failed', code: 'provider_rejected', description: 'No.', providerError: 'invalid_client' }, marker);
      expect(change.set.error).toEqual({ code: 'provider_rejected', description: 'No.', providerError: 'invalid_client' });
    });
  });

  describe('judging a marker without an answer', () => {
    const old = `${t0 - 60_000}:m0`;

    it.each([
      ['young: wait out its grace', marker, null, t0 + 5000, { kind: 'wait', until: t0 + INFLIGHT_GRACE_MS }],
      ['past its grace, first look: noted', old, null, t0, { kind: 'suspect', change: markerSuspected(old, t0) }],
      [
        'suspected under another marker: noted afresh',
        old,
        `${marker}@${t0 - 30_000}`,
        t0,
        { kind: 'suspect', change: markerSuspected(old, t0) },
      ],
      ['suspected, a grace not yet past: wait', old, `${old}@${t0 - 5000}`, t0, { kind: 'wait', until: t0 - 5000 + INFLIGHT_GRACE_MS }],
      ['suspected a grace ago: orphaned', old, `${old}@${t0 - INFLIGHT_GRACE_MS}`, t0, { kind: 'orphaned', change: markerOrphaned(old) }],
    ])('%s', (_name, held, suspect, now, verdict) => {
      expect(judgeMarker(held, suspect, now)).toEqual(verdict);
    });

    it('notes a suspect as marker@time, to be judged a grace later', () => {
      expect(markerSuspected(old, t0)).toEqual({
        from: ['pending'],
        fence: old,
        set: { inflightSuspect: `${old}@${t0}` },
        nextRunAt: t0 + INFLIGHT_GRACE_MS,
      });
    });
  });

  describe('notifications', () => {
    it.each([
      ['the first ping of a pending authentication polls now', { status: 'pending' as const, pingedAt: null }, true],
      ['a repeated ping changes nothing', { status: 'pending' as const, pingedAt: t0 - 1000 }, false],
      ['a ping while a code is awaited changes nothing', { status: 'awaiting_user_code' as const, pingedAt: null }, false],
    ])('%s', (_name, record, changes) => {
      const change = pingReceived(record, t0);
      expect(change).toEqual(changes ? { from: ['pending'], set: { pingedAt: t0, nextPollAt: t0 }, nextRunAt: t0 } : null);
    });

    it.each(['constructor', 'toString', '__proto__', ''])('a pushed %p is an unknown error, not a property of Object', (error) => {
      expect(pushedErrorReceived(error).set).toEqual({ status: 'failed', error: OUTCOME_ERRORS.pushedFailure, progress: null });
    });

    it('stores a pushed approval with its result and nothing to clear', () => {
      expect(pushedResultVerified({ kind: 'approved', result })).toEqual({
        from: ['pending'],
        set: { status: 'approved', result, progress: null },
      });
    });
  });

  describe('settling a saved approval', () => {
    it('approves with the result, drops the saved tokens and the failures counted meanwhile', () => {
      expect(savedApprovalVerified({ kind: 'approved', result }).set).toEqual({
        status: 'approved',
        result,
        tokenResponse: null,
        progress: null,
        consecutiveFailures: 0,
      });
    });

    it.each([
      ['first try: 1 s', 0, undefined, t0 + 1000],
      ['third try: 4 s', 2, undefined, t0 + 4000],
      ["the verifier's later retry time wins", 0, t0 + 7000, t0 + 7000],
      ['an earlier verifier time does not shorten the wait', 2, t0 + 10, t0 + 4000],
    ])('retries with back-off (%s)', (_name, failures, verifierRetryAt, retryAt) => {
      const deferred = verificationDeferred({ ...state, consecutiveFailures: failures }, t0, verifierRetryAt);
      expect(deferred).toEqual({
        giveUp: false,
        change: { from: ['pending'], set: { consecutiveFailures: failures + 1 }, nextRunAt: retryAt },
      });
    });

    it('never retries past the grace after the deadline, and gives up there', () => {
      const record = { ...state, expiresAt: t0, consecutiveFailures: 6 };
      const last = verificationDeferred(record, t0 + VERIFY_GRACE_MS - 1000);
      expect(last.change.nextRunAt).toBe(t0 + VERIFY_GRACE_MS);
      expect(last.giveUp).toBe(false);
      const end = verificationDeferred(record, t0 + VERIFY_GRACE_MS);
      expect(end.giveUp).toBe(true);
      expect(end.change.set).toEqual({
        status: 'failed',
        error: OUTCOME_ERRORS.signingKeysUnavailable,
        tokenResponse: null,
        progress: null,
      });
    });
  });

  describe('user codes', () => {
    it("makes it pending again under the provider's new request and schedule", () => {
      const schedule = { interval: 5, expiresAt: t0 + 60_000, consecutiveFailures: 0, nextPollAt: t0 + 5001 };
      expect(userCodeAccepted('req-2', schedule, marker)).toEqual({
        from: ['awaiting_user_code'],
        fence: marker,
        set: { status: 'pending', authReqId: 'req-2', ...schedule, profileState: null, error: null, inflight: null, progress: null },
        nextRunAt: t0 + 5001,
      });
    });

    it.each([
      [0, 3, false],
      [1, 3, false],
      [2, 3, true],
      [0, 1, true],
    ])('after %i wrong codes of %i allowed, one more ends it: %p', (before, limit, ends) => {
      const change = userCodeRefused({ ...state, userCodeAttempts: before }, limit, marker, 'bad_code');
      expect(change.set.userCodeAttempts).toBe(before + 1);
      expect(change.set.status).toBe(ends ? 'failed' : undefined);
      // The first step's state is kept while another code may come, and forgotten at the end.
      expect('profileState' in change.set).toBe(ends);
      expect(change).toMatchObject({ fence: marker, nextRunAt: state.expiresAt, set: { inflight: null } });
    });

    it('gives back only the marker when the second step failed otherwise', () => {
      expect(userCodeAborted(marker)).toEqual({ from: ['awaiting_user_code'], fence: marker, set: { inflight: null } });
    });
  });

  it('records a webhook state on a finished record only', () => {
    expect(webhookUpdated(webhook)).toEqual({ from: TERMINAL, set: { webhook } });
  });
});
