/**
 * When to poll next. Pure functions over the persisted poll state, so every worker that picks up
 * an authentication makes the same decision (the interval and its `slow_down` increases live in
 * Redis, never in a worker's memory).
 */

/** CIBA Core §7.3: "If no value is provided, clients MUST use 5 as the default value." */
export const DEFAULT_INTERVAL_SECONDS = 5;
/** CIBA Core §11: on `slow_down` the interval "MUST be increased by at least 5 seconds". */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;
/** Back-off after transient failures never waits longer than this between two polls. */
export const MAX_BACKOFF_SECONDS = 60;
/**
 * Added to every planned poll: times are whole milliseconds (Date.now() truncates), so the moment
 * an answer arrived may be up to 1 ms later than the one recorded. One more millisecond keeps the
 * gap the provider measures between its answer and our next poll at least the interval.
 */
export const CLOCK_GUARD_MS = 1;
/** Upper bound of the deadline we keep, whatever the provider says (its record would outlive use). */
export const MAX_EXPIRES_IN_SECONDS = 3600;

export interface PollState {
  /** The interval in force, seconds (after every `slow_down`). */
  interval: number;
  /** Our own deadline, epoch ms: acknowledgement time + expires_in. */
  expiresAt: number;
  /** Transient failures since the last answer the provider gave. */
  consecutiveFailures: number;
}

/** The first schedule, from the acknowledgement (CIBA Core §7.3). */
export function initialPollState(input: {
  acknowledgedAt: number;
  expiresIn: number;
  interval?: number;
  requestedExpiry?: number;
}): PollState & { nextPollAt: number } {
  const interval = validInterval(input.interval);
  const lifetime = Math.min(input.expiresIn, input.requestedExpiry ?? Infinity, MAX_EXPIRES_IN_SECONDS);
  const expiresAt = input.acknowledgedAt + lifetime * 1000;
  // The first poll waits one interval too: some providers answer `slow_down` to an early one.
  return { interval, expiresAt, consecutiveFailures: 0, nextPollAt: input.acknowledgedAt + interval * 1000 + CLOCK_GUARD_MS };
}

/** An interval the provider gave, or the default when it gave none or nonsense. */
export function validInterval(interval: number | undefined): number {
  return typeof interval === 'number' && Number.isFinite(interval) && interval > 0 ? Math.ceil(interval) : DEFAULT_INTERVAL_SECONDS;
}

export type ScheduleReason = 'pending' | 'slow_down' | 'transient';

/**
 * The state after an answer (or a failure) at `now`. `Retry-After` only ever lengthens a wait.
 * Waits are measured from the moment the answer arrived, so no poll follows the previous one
 * sooner than the interval.
 */
export function nextPollState(
  state: PollState,
  reason: ScheduleReason,
  now: number,
  retryAfterSeconds?: number,
): PollState & { nextPollAt: number } {
  const interval = reason === 'slow_down' ? state.interval + SLOW_DOWN_INCREMENT_SECONDS : state.interval;
  const consecutiveFailures = reason === 'transient' ? state.consecutiveFailures + 1 : 0;
  const base = reason === 'transient' ? backoffSeconds(interval, consecutiveFailures) : interval;
  const waitSeconds = Math.max(base, retryAfterSeconds ?? 0);
  return { interval, expiresAt: state.expiresAt, consecutiveFailures, nextPollAt: now + waitSeconds * 1000 + CLOCK_GUARD_MS };
}

/** Exponential back-off from the interval, capped, never below the interval itself. */
export function backoffSeconds(interval: number, failures: number): number {
  const exponential = interval * 2 ** Math.max(0, failures - 1);
  return Math.max(interval, Math.min(exponential, MAX_BACKOFF_SECONDS));
}

/** True when the deadline has come: the authentication ends `expired` without a further poll. */
export const isPastDeadline = (state: Pick<PollState, 'expiresAt'>, now: number): boolean => now >= state.expiresAt;

/**
 * When the job should run next: at the planned poll, or at the deadline when that comes first
 * (the run at the deadline expires the authentication and does not poll).
 */
export const nextRunAt = (state: Pick<PollState, 'expiresAt'>, nextPollAt: number): number => Math.min(nextPollAt, state.expiresAt);

/** How the provider delivers the result (CIBA Core §5), and how sparsely ping mode polls. */
export interface DeliveryPolicy {
  mode: 'poll' | 'ping' | 'push';
  /** Ping mode's fallback poll: at most this often, never sooner than the interval. */
  pingFallbackSeconds: number;
}

/**
 * The first planned run by delivery mode: poll at the interval; ping only as a fallback for a lost
 * notification (at most every `pingFallbackSeconds`, never sooner than the interval); push never
 * polls (CIBA Core §10.3: push clients may not use the token endpoint) and runs at the deadline.
 */
export function firstRun<T extends PollState & { nextPollAt: number }>(state: T, delivery: DeliveryPolicy, acknowledgedAt: number): T {
  if (delivery.mode === 'push') return { ...state, nextPollAt: state.expiresAt };
  if (delivery.mode === 'ping') {
    const waitSeconds = Math.max(state.interval, delivery.pingFallbackSeconds);
    return { ...state, nextPollAt: acknowledgedAt + waitSeconds * 1000 + CLOCK_GUARD_MS };
  }
  return state;
}

/** Ping mode polls only as a fallback for a lost notification: sparsely, never sooner than the interval. */
export function pingFallbackSpacing<T extends { nextPollAt: number }>(next: T, delivery: DeliveryPolicy, now: number): T {
  if (delivery.mode !== 'ping') return next;
  return { ...next, nextPollAt: Math.max(next.nextPollAt, now + delivery.pingFallbackSeconds * 1000 + CLOCK_GUARD_MS) };
}
