import { jest } from '@jest/globals';
import {
  CLOCK_GUARD_MS,
  INFLIGHT_GRACE_MS,
  OUTCOME_ERRORS,
  SETTLE_TAKEOVER_MS,
  isTerminal,
  type Authentication,
  type PollOutcome,
} from '@ciba/ciba';
import type { CibaConfig } from '@ciba/config';
import type { ProviderRegistry } from '@ciba/providers';
import type { AuthenticationRepository, Counters, Histograms, InflightResult, TransitionChange, TransitionResult } from '@ciba/store';
import pino from 'pino';
import { sampleAuthentication } from '../../../../test/support/sample-authentication.js';
import { PollService, type RunResult } from './poll.service.js';
import type { TokenResultService } from './token-result.service.js';
import { fakeDateOnly } from '../../../../test/support/fake-date.js';

const t0 = 1_900_000_000_000;
const g = CLOCK_GUARD_MS;

/**
 * The repository seam in memory: the same decisions as the Lua scripts (READ_FOR_POLL,
 * ACQUIRE_INFLIGHT, TRANSITION's status and fence checks), none of the Redis. `beforeTransition`
 * lets a test move the record meanwhile, as another worker or a cancel would.
 */
class FakeRepository {
  readonly records = new Map<string, Authentication>();
  readonly changes: TransitionChange[] = [];
  /** Where the due set would hold each id (absent once it ended). */
  readonly dueAt = new Map<string, number>();
  readVerdict: 'as the script' | 'read' = 'as the script';
  acquireAnswer: InflightResult | null = null;
  beforeTransition: ((stored: Authentication) => void) | null = null;

  put(record: Authentication): Authentication {
    this.records.set(record.id, structuredClone(record));
    return record;
  }

  async get(id: string): Promise<Authentication | null> {
    const record = this.records.get(id);
    return record ? structuredClone(record) : null;
  }

  async readForPoll(id: string, marker: string, now: number): Promise<{ record: Authentication | null; acquired: boolean }> {
    const record = this.records.get(id);
    if (!record) return { record: null, acquired: false };
    const snapshot = structuredClone(record);
    const due =
      record.status === 'pending' &&
      record.deliveryMode !== 'push' &&
      !record.tokenResponse &&
      record.expiresAt > now &&
      record.nextPollAt <= now;
    if (this.readVerdict === 'as the script' && due && (record.inflight === null || record.inflight === marker)) {
      record.inflight = marker;
      return { record: snapshot, acquired: true };
    }
    return { record: snapshot, acquired: false };
  }

  async acquireInflight(id: string, marker: string, now?: number): Promise<InflightResult> {
    if (this.acquireAnswer) {
      const answer = this.acquireAnswer;
      this.acquireAnswer = null;
      return answer;
    }
    const record = this.records.get(id);
    if (!record || isTerminal(record.status)) return 'inactive';
    if (record.inflight === marker) return 'acquired';
    if (record.inflight) return 'busy';
    if (now !== undefined && record.nextPollAt > now) return 'early';
    record.inflight = marker;
    return 'acquired';
  }

  async transition(record: Authentication, change: TransitionChange): Promise<TransitionResult> {
    this.changes.push(change);
    const stored = this.records.get(record.id);
    if (!stored) return { applied: false, reason: 'missing' };
    this.beforeTransition?.(stored);
    this.beforeTransition = null;
    if (!change.from.includes(stored.status)) return { applied: false, reason: `status:${stored.status}` };
    if (change.fence && stored.inflight !== change.fence && (stored.inflight || stored.tokenResponse))
      return { applied: false, reason: 'fenced' };
    Object.assign(stored, structuredClone(change.set));
    if (isTerminal(stored.status)) this.dueAt.delete(stored.id);
    else this.dueAt.set(stored.id, Math.min(change.nextRunAt ?? stored.nextPollAt, stored.expiresAt));
    return { applied: true, seq: stored.seq };
  }

  async releaseInflight(id: string, marker: string): Promise<void> {
    const record = this.records.get(id);
    if (record?.inflight === marker) record.inflight = null;
  }
}

/** A provider whose token endpoint answers from a script, and notes each request. */
class FakeProvider {
  readonly answers: PollOutcome[] = [];
  readonly polled: string[] = [];

  async poll(authReqId: string): Promise<PollOutcome> {
    this.polled.push(authReqId);
    const answer = this.answers.shift();
    if (!answer) throw new Error('the test gave the provider no answer');
    return answer;
  }
}

/** Settles a saved approval by saying so and answering what the test asks. */
class FakeTokenResults {
  readonly settled: Authentication[] = [];
  answer: number | null = null;

  async settle(record: Authentication): Promise<number | null> {
    this.settled.push(record);
    return this.answer;
  }
}

function fixture() {
  const repository = new FakeRepository();
  const provider = new FakeProvider();
  const results = new FakeTokenResults();
  const counted: string[] = [];
  const service = new PollService(
    repository as unknown as AuthenticationRepository,
    { get: () => provider } as unknown as ProviderRegistry,
    results as unknown as TokenResultService,
    pino({ level: 'silent' }),
    { providers: new Map([['sandbox', { pingFallbackSeconds: 30 }]]) } as unknown as CibaConfig,
    { increment: (name: string, ...labels: string[]) => counted.push([name, ...labels].join(' ')) } as unknown as Counters,
    { observe: () => undefined } as unknown as Histograms,
  );
  return { repository, provider, results, counted, service };
}

/** A poll-mode authentication due now, an hour from its deadline. */
const due = (overrides: Partial<Authentication> = {}): Authentication =>
  sampleAuthentication({
    id: 'A1',
    deliveryMode: 'poll',
    interval: 5,
    nextPollAt: t0,
    expiresAt: t0 + 3_600_000,
    progress: 'push sent',
    ...overrides,
  });

const stored = (at: number): RunResult => ({ at, stored: true });
const later = (at: number): RunResult => ({ at, stored: false });

describe('PollService.run (fakes at the repository seam)', () => {
  beforeAll(() => {
    // Only Date is faked: the service reads Date.now() for "now" inside a run.
    fakeDateOnly();
    jest.setSystemTime(t0);
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  describe('a due authentication: the marker taken, one token request, its answer stored', () => {
    it.each<[string, Partial<Authentication>, PollOutcome, RunResult, Partial<Authentication>]>([
      [
        'pending',
        {},
        { kind: 'pending' },
        stored(t0 + 5000 + g),
        { status: 'pending', interval: 5, nextPollAt: t0 + 5000 + g, progress: 'push sent' },
      ],
      [
        'pending with progress',
        {},
        { kind: 'pending', progress: 'app opened' },
        stored(t0 + 5000 + g),
        { status: 'pending', progress: 'app opened' },
      ],
      ['slow_down', {}, { kind: 'slow_down' }, stored(t0 + 10_000 + g), { status: 'pending', interval: 10, nextPollAt: t0 + 10_000 + g }],
      [
        'transient',
        { consecutiveFailures: 1 },
        { kind: 'transient', reason: 'timeout' },
        stored(t0 + 10_000 + g),
        { status: 'pending', consecutiveFailures: 2, progress: 'push sent' },
      ],
      [
        'pending in ping mode (a sparse fallback)',
        { deliveryMode: 'ping' },
        { kind: 'pending' },
        stored(t0 + 30_000 + g),
        { status: 'pending', nextPollAt: t0 + 30_000 + g },
      ],
      ['pending near the deadline', { expiresAt: t0 + 2000 }, { kind: 'pending' }, stored(t0 + 2000), { nextPollAt: t0 + 5000 + g }],
      [
        'user_code_required',
        {},
        { kind: 'user_code_required', state: { middle: 't' } },
        stored(t0 + 3_600_000),
        { status: 'awaiting_user_code', profileState: { middle: 't' }, progress: null, error: null },
      ],
      [
        'denied',
        {},
        { kind: 'denied', providerError: 'access_denied' },
        null,
        { status: 'denied', error: OUTCOME_ERRORS.customerDeclined, progress: null },
      ],
      ['expired', {}, { kind: 'expired' }, null, { status: 'expired', error: OUTCOME_ERRORS.providerExpired, progress: null }],
      [
        'failed',
        {},
        { kind: 'failed', code: 'provider_rejected', description: 'No.', providerError: 'invalid_client' },
        null,
        { status: 'failed', error: { code: 'provider_rejected', description: 'No.', providerError: 'invalid_client' } },
      ],
    ])('%s', async (_name, overrides, answer, result, after) => {
      const { repository, provider, counted, service } = fixture();
      repository.put(due(overrides));
      provider.answers.push(answer);

      expect(await service.run('A1', t0)).toEqual(result);
      expect(provider.polled).toEqual(['req']);
      expect(counted).toEqual([`polls sandbox ${answer.kind}`]);
      const record = await repository.get('A1');
      expect(record).toMatchObject({ ...after, inflight: null });
      // Every change of a run is fenced by its marker.
      expect(repository.changes).toHaveLength(1);
      expect(repository.changes[0].fence).toMatch(new RegExp(`^${t0}:`));
      expect(repository.changes[0].changeId).toEqual(expect.any(String));
      if (result) expect(repository.dueAt.get('A1')).toBe(result.at);
      else expect(repository.dueAt.has('A1')).toBe(false);
    });

    it.each([
      ['settled now', null, null],
      ['its verification deferred', t0 + 1000, stored(t0 + 1000)],
    ])('approved: the tokens are saved unfenced, then %s', async (_name, answer, result) => {
      const { repository, provider, results, service } = fixture();
      repository.put(due());
      provider.answers.push({ kind: 'approved', tokens: { id_token: 'x' } });
      results.answer = answer;

      expect(await service.run('A1', t0)).toEqual(result);
      expect(repository.changes).toEqual([
        expect.objectContaining({
          from: ['pending'],
          set: { tokenResponse: { id_token: 'x' }, inflight: null },
          nextRunAt: t0 + SETTLE_TAKEOVER_MS,
        }),
      ]);
      expect(repository.changes[0].fence).toBeUndefined();
      expect(results.settled).toHaveLength(1);
      expect(results.settled[0]).toMatchObject({ id: 'A1', tokenResponse: { id_token: 'x' }, inflight: null });
    });

    it('a late approval of an authentication cancelled meanwhile is ignored', async () => {
      const { repository, provider, results, service } = fixture();
      repository.put(due());
      provider.answers.push({ kind: 'approved', tokens: { id_token: 'x' } });
      repository.beforeTransition = (record) => (record.status = 'cancelled');

      expect(await service.run('A1', t0)).toBeNull();
      expect(results.settled).toEqual([]);
      expect((await repository.get('A1'))?.tokenResponse).toBeNull();
    });
  });

  describe('a run that does not poll', () => {
    it.each([
      ['finished', { status: 'approved' as const }],
      ['unknown', null],
    ])('%s: no more runs', async (_name, overrides) => {
      const { repository, provider, service } = fixture();
      if (overrides) repository.put(due(overrides));
      expect(await service.run('A1', t0)).toBeNull();
      expect(provider.polled).toEqual([]);
    });

    it.each([
      ['at once', null, null],
      ['its verification deferred', t0 + 2000, stored(t0 + 2000)],
    ])('a saved approval is settled (%s), even past the deadline', async (_name, answer, result) => {
      const { repository, provider, results, service } = fixture();
      repository.put(due({ tokenResponse: { id_token: 'x' }, expiresAt: t0 - 1 }));
      results.answer = answer;

      expect(await service.run('A1', t0)).toEqual(result);
      expect(results.settled.map((record) => record.tokenResponse)).toEqual([{ id_token: 'x' }]);
      expect(provider.polled).toEqual([]);
      expect(repository.changes).toEqual([]);
    });

    it.each([
      ['no failed polls: expired, the customer did not answer', 0, 'expired', OUTCOME_ERRORS.customerTimedOut],
      ['failed polls: failed, the provider was unreachable', 1, 'failed', OUTCOME_ERRORS.providerUnreachable],
    ])('past the deadline after %s', async (_name, consecutiveFailures, status, error) => {
      const { repository, provider, service } = fixture();
      repository.put(due({ expiresAt: t0, consecutiveFailures, inflight: null }));

      expect(await service.run('A1', t0)).toBeNull();
      expect(provider.polled).toEqual([]);
      expect(await repository.get('A1')).toMatchObject({ status, error, progress: null, inflight: null, tokenResponse: null });
      expect(repository.changes[0].fence).toBeUndefined();
    });

    it('an authentication awaiting a code also ends at the deadline', async () => {
      const { repository, service } = fixture();
      repository.put(due({ status: 'awaiting_user_code', expiresAt: t0 }));
      expect(await service.run('A1', t0)).toBeNull();
      expect((await repository.get('A1'))?.status).toBe('expired');
    });

    it.each([
      ['push mode waits for the deadline (CIBA Core §10.3)', { deliveryMode: 'push' as const }, later(t0 + 3_600_000)],
      ['awaiting a user code waits for the deadline', { status: 'awaiting_user_code' as const }, later(t0 + 3_600_000)],
      ['not yet due: runs at its next poll', { nextPollAt: t0 + 4000 }, later(t0 + 4000)],
      ['not yet due, the deadline first: runs at the deadline', { nextPollAt: t0 + 9000, expiresAt: t0 + 6000 }, later(t0 + 6000)],
    ])('%s', async (_name, overrides, result) => {
      const { repository, provider, service } = fixture();
      repository.put(due(overrides));

      expect(await service.run('A1', t0)).toEqual(result);
      expect(provider.polled).toEqual([]);
      expect(repository.changes).toEqual([]);
    });
  });

  describe('a marker without an answer', () => {
    const old = `${t0 - 60_000}:gone`;

    it('young: waits out its grace (its poll may still be in flight)', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due({ inflight: `${t0 - 5000}:other` }));
      expect(await service.run('A1', t0)).toEqual(later(t0 - 5000 + INFLIGHT_GRACE_MS));
      expect(provider.polled).toEqual([]);
      expect(repository.changes).toEqual([]);
    });

    it('first look past its grace: noted as suspect, looked at again a grace later', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due({ inflight: old }));
      expect(await service.run('A1', t0)).toEqual(stored(t0 + INFLIGHT_GRACE_MS));
      expect(provider.polled).toEqual([]);
      expect(await repository.get('A1')).toMatchObject({ status: 'pending', inflight: old, inflightSuspect: `${old}@${t0}` });
    });

    it('second look before the grace since the first: waits', async () => {
      const { repository, service } = fixture();
      repository.put(due({ inflight: old, inflightSuspect: `${old}@${t0 - 5000}` }));
      expect(await service.run('A1', t0)).toEqual(later(t0 - 5000 + INFLIGHT_GRACE_MS));
      expect(repository.changes).toEqual([]);
    });

    it('second look a grace after the first: failed, result_indeterminate, never redeemed twice', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due({ inflight: old, inflightSuspect: `${old}@${t0 - INFLIGHT_GRACE_MS}` }));
      expect(await service.run('A1', t0)).toBeNull();
      expect(provider.polled).toEqual([]);
      expect(await repository.get('A1')).toMatchObject({ status: 'failed', error: OUTCOME_ERRORS.resultIndeterminate, inflight: null });
      expect(repository.changes[0].fence).toBe(old);
    });
  });

  describe('when the record moved meanwhile', () => {
    it('a refused change re-decides from what is stored: cancelled, so no more runs', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due());
      provider.answers.push({ kind: 'pending' });
      repository.beforeTransition = (record) => {
        record.status = 'cancelled';
        record.inflight = null;
      };

      expect(await service.run('A1', t0)).toBeNull();
      expect(provider.polled).toHaveLength(1);
      expect((await repository.get('A1'))?.status).toBe('cancelled');
    });

    it('a refused change re-decides from what is stored: another run polled, so wait for its time', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due());
      provider.answers.push({ kind: 'slow_down' });
      repository.beforeTransition = (record) => {
        record.inflight = `${t0}:other`;
        record.nextPollAt = t0 + 7000;
      };

      expect(await service.run('A1', t0)).toEqual(later(t0 + 7000));
      expect(provider.polled).toHaveLength(1);
      expect((await repository.get('A1'))?.interval).toBe(5);
    });

    it('a read that did not take the marker takes it before polling', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due());
      repository.readVerdict = 'read';
      provider.answers.push({ kind: 'pending' });

      expect(await service.run('A1', t0)).toEqual(stored(t0 + 5000 + g));
      expect(provider.polled).toEqual(['req']);
    });

    it('the marker busy (another run took it meanwhile): decides afresh, then polls once under its own', async () => {
      const { repository, provider, service } = fixture();
      repository.put(due());
      repository.readVerdict = 'read';
      repository.acquireAnswer = 'busy';
      provider.answers.push({ kind: 'pending' });

      expect(await service.run('A1', t0)).toEqual(stored(t0 + 5000 + g));
      expect(provider.polled).toEqual(['req']);
    });

    it.each<[string, InflightResult, RunResult]>([
      ['inactive: no more runs', 'inactive', null],
      ['early (another run polled and stored): its stored time', 'early', later(t0)],
    ])('the marker not taken, %s', async (_name, answer, result) => {
      const { repository, provider, service } = fixture();
      repository.put(due());
      repository.readVerdict = 'read';
      repository.acquireAnswer = answer;

      expect(await service.run('A1', t0)).toEqual(result);
      expect(provider.polled).toEqual([]);
    });
  });
});
