import {
  CLOCK_GUARD_MS,
  DEFAULT_INTERVAL_SECONDS,
  firstRun,
  initialPollState,
  pingFallbackSpacing,
  isPastDeadline,
  nextPollState,
  nextRunAt,
} from './poll-policy.js';

describe('poll policy', () => {
  const t0 = 1_700_000_000_000;
  /** Every planned poll is one millisecond past the interval (whole-millisecond clocks). */
  const g = CLOCK_GUARD_MS;

  it('uses 5 s when the provider gave no interval, and waits one interval before the first poll', () => {
    const state = initialPollState({ acknowledgedAt: t0, expiresIn: 120 });
    expect(state.interval).toBe(DEFAULT_INTERVAL_SECONDS);
    expect(state.nextPollAt).toBe(t0 + 5000 + g);
    expect(state.expiresAt).toBe(t0 + 120_000);
  });

  it('treats a zero, negative or non-numeric interval as absent', () => {
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 60, interval: 0 }).interval).toBe(5);
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 60, interval: -3 }).interval).toBe(5);
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 60, interval: Number.NaN }).interval).toBe(5);
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 60, interval: 2.2 }).interval).toBe(3);
  });

  it('keeps the shorter of expires_in and the requested expiry as the deadline', () => {
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 600, requestedExpiry: 30 }).expiresAt).toBe(t0 + 30_000);
    expect(initialPollState({ acknowledgedAt: t0, expiresIn: 20, requestedExpiry: 30 }).expiresAt).toBe(t0 + 20_000);
  });

  it('adds 5 s on every slow_down and keeps it for later polls', () => {
    const s0 = initialPollState({ acknowledgedAt: t0, expiresIn: 600, interval: 2 });
    const s1 = nextPollState(s0, 'slow_down', t0 + 2000);
    expect(s1.interval).toBe(7);
    expect(s1.nextPollAt).toBe(t0 + 2000 + 7000 + g);
    const s2 = nextPollState(s1, 'slow_down', s1.nextPollAt);
    expect(s2.interval).toBe(12);
    const s3 = nextPollState(s2, 'pending', s2.nextPollAt);
    expect(s3.interval).toBe(12);
    expect(s3.nextPollAt - s2.nextPollAt).toBe(12_000 + g);
  });

  it('lets Retry-After lengthen a wait but never shorten it', () => {
    const s0 = initialPollState({ acknowledgedAt: t0, expiresIn: 600, interval: 5 });
    expect(nextPollState(s0, 'pending', t0, 9).nextPollAt).toBe(t0 + 9000 + g);
    expect(nextPollState(s0, 'pending', t0, 1).nextPollAt).toBe(t0 + 5000 + g);
    expect(nextPollState(s0, 'slow_down', t0, 3).nextPollAt).toBe(t0 + 10_000 + g);
  });

  it('backs off exponentially on transient failures, capped, and resets on an answer', () => {
    let s = { ...initialPollState({ acknowledgedAt: t0, expiresIn: 3600, interval: 5 }) };
    const waits: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const next = nextPollState(s, 'transient', t0);
      waits.push((next.nextPollAt - t0 - g) / 1000);
      s = next;
    }
    expect(waits).toEqual([5, 10, 20, 40, 60, 60]);
    expect(nextPollState(s, 'pending', t0).consecutiveFailures).toBe(0);
  });

  it('never plans a poll sooner than the interval after the recorded answer, even by a truncated millisecond', () => {
    const s0 = initialPollState({ acknowledgedAt: t0, expiresIn: 600, interval: 1 });
    // The answer really arrived at t0 + 0.9 ms; Date.now() said t0. The next poll is at least 1 s after it.
    expect(nextPollState(s0, 'pending', t0).nextPollAt).toBeGreaterThan(t0 + 0.9 + 1000);
    expect(s0.nextPollAt).toBeGreaterThan(t0 + 0.9 + 1000);
  });

  it('runs at the deadline, not after it, when the next poll would come too late', () => {
    const s = initialPollState({ acknowledgedAt: t0, expiresIn: 7, interval: 5 });
    const next = nextPollState(s, 'pending', t0 + 5000);
    expect(nextRunAt(s, next.nextPollAt)).toBe(t0 + 7000);
    expect(isPastDeadline(s, t0 + 6999)).toBe(false);
    expect(isPastDeadline(s, t0 + 7000)).toBe(true);
  });

  describe('by delivery mode', () => {
    const poll = { mode: 'poll' as const, pingFallbackSeconds: 30 };
    const ping = { mode: 'ping' as const, pingFallbackSeconds: 30 };
    const push = { mode: 'push' as const, pingFallbackSeconds: 30 };

    it('polls first at the interval in poll mode, as the acknowledgement said', () => {
      const state = initialPollState({ acknowledgedAt: t0, expiresIn: 120, interval: 2 });
      expect(firstRun(state, poll, t0)).toEqual(state);
    });

    it('in ping mode polls first only as a fallback: after pingFallbackSeconds, never sooner than the interval', () => {
      const state = initialPollState({ acknowledgedAt: t0, expiresIn: 120, interval: 2 });
      expect(firstRun(state, ping, t0).nextPollAt).toBe(t0 + 30_000 + g);
      const slow = initialPollState({ acknowledgedAt: t0, expiresIn: 120, interval: 45 });
      expect(firstRun(slow, ping, t0).nextPollAt).toBe(t0 + 45_000 + g);
    });

    it('never polls in push mode: the only run is at the deadline', () => {
      const state = initialPollState({ acknowledgedAt: t0, expiresIn: 120, interval: 2 });
      expect(firstRun(state, push, t0).nextPollAt).toBe(state.expiresAt);
    });

    it('spaces ping mode\u2019s later polls by the fallback, and leaves the other modes alone', () => {
      const s0 = initialPollState({ acknowledgedAt: t0, expiresIn: 600, interval: 2 });
      const next = nextPollState(s0, 'pending', t0 + 2000);
      expect(pingFallbackSpacing(next, ping, t0 + 2000).nextPollAt).toBe(t0 + 2000 + 30_000 + g);
      expect(pingFallbackSpacing(next, poll, t0 + 2000)).toBe(next);
      // A longer wait (slow_down, back-off) stays as it is.
      const backedOff = { ...next, nextPollAt: t0 + 100_000 };
      expect(pingFallbackSpacing(backedOff, ping, t0 + 2000).nextPollAt).toBe(t0 + 100_000);
    });
  });
});
