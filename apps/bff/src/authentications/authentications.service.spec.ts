import { CLOCK_GUARD_MS, CibaError, ErrorCode, NeverSentError, type Authentication, type AuthenticationView } from '@ciba/ciba';
import type { CibaConfig, ConsumerConfig, ProviderConfig } from '@ciba/config';
import {
  prepareGenericHint,
  startFailureToError,
  type BackchannelAck,
  type BackchannelRequest,
  type HintInput,
  type PreparedHint,
  type ProfileAdapter,
  type ProviderRegistry,
} from '@ciba/providers';
import {
  Keyring,
  type Admission,
  type AdmissionRepository,
  type AdmissionRequest,
  type AuditEvent,
  type AuditTrail,
  type AuthenticationRepository,
  type Counters,
  type CreateOptions,
  type RateLimiter,
  WriteList,
} from '@ciba/store';
import pino from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { problemFor } from '../http/problem-document.js';
import { requestContext } from '../logging/request-context.js';
import { notificationKey, sha256Hex } from '../notifications/notification-token.js';
import { AUTHENTICATION_ID_PATTERN } from './authentication-id.js';
import { AuthenticationsService } from './authentications.service.js';
import type { Caller } from './caller.js';
import type { StartAuthenticationDto } from './dto/start-authentication.dto.js';
import { StartAdmission } from './start-admission.js';

/*
 * The start's decision table (API.md §4, "Start") without Redis or a provider: the service and
 * its real admission, audit service and keyring, over small in-memory fakes of what Redis holds
 * (records, reservations, counting windows, the audit trail) and a provider adapter that answers
 * from a script. The fakes keep the Lua scripts' rules (ADMIT_START, RELEASE_PENDING) so that a
 * sequence of starts behaves as it would against Redis; the scripts themselves are tested against
 * a real one (start-admission.spec.ts, the store's specs).
 */

const LIMITS = { perLoginHint: { max: 2, windowSeconds: 300 }, unknownCustomers: { max: 2, windowSeconds: 600 } };
const CUSTOMER = '01001011111';

const providerConfig = (id: string, deliveryMode: 'poll' | 'ping' | 'push') =>
  ({ id, profile: 'generic', scope: 'openid profile', deliveryMode, pingFallbackSeconds: 30 }) as unknown as ProviderConfig;

const consumerConfig = (id: string, providers: string[], webhook?: ConsumerConfig['webhook']) =>
  ({ id, providers, webhook, keyHashes: [] }) as unknown as ConsumerConfig;

/** `pos` may use two providers and has a webhook; `branch` and `kiosk` one provider each; `elsewhere` is nobody's. */
const CONSUMERS = {
  pos: consumerConfig('pos', ['sandbox', 'pinger'], { secret: 's', allowedHosts: ['pos.example'], allowLoopback: false }),
  branch: consumerConfig('branch', ['sandbox']),
  kiosk: consumerConfig('kiosk', ['sandbox']),
};
const PROVIDERS = [providerConfig('sandbox', 'poll'), providerConfig('pinger', 'ping'), providerConfig('elsewhere', 'poll')];

const asConsumer = (name: keyof typeof CONSUMERS): Caller => ({ consumer: CONSUMERS[name] });
const asAgent = (subject: string, supervisor = false): Caller => ({
  consumer: CONSUMERS.pos,
  agent: { subject, name: `Agent ${subject}`, roles: ['teller'], supervisor },
});

const startOf = (overrides: Partial<StartAuthenticationDto> = {}): StartAuthenticationDto => ({
  provider: 'sandbox',
  loginHint: CUSTOMER,
  ...overrides,
});

/** A provider adapter whose `start` answers from a script: an acknowledgement, or an error thrown. */
class ScriptedAdapter implements Pick<ProfileAdapter, 'providerId' | 'prepareHint' | 'bindingMessage' | 'start'> {
  readonly requests: BackchannelRequest[] = [];
  private readonly script: (BackchannelAck | Error)[] = [];
  private acks = 0;

  constructor(readonly providerId: string) {}

  /** What the next calls of `start` answer, in order; past the script, a fresh acknowledgement without an interval. */
  answer(...answers: (BackchannelAck | Error)[]): void {
    this.script.push(...answers);
  }

  prepareHint(input: HintInput): PreparedHint {
    return prepareGenericHint(input);
  }

  bindingMessage(given: string | undefined): string | undefined {
    return given ?? 'W4SP';
  }

  async start(request: BackchannelRequest): Promise<BackchannelAck> {
    this.requests.push(request);
    const next = this.script.shift() ?? { authReqId: `${this.providerId}-req-${(this.acks += 1)}`, expiresIn: 120 };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** What Redis would hold, and the fakes over it. One per test: nothing is shared between tests. */
function startWorld() {
  const keyring = Keyring.generate();
  const records = new Map<string, Authentication>();
  /** `consumer|provider|customerKey` → id: the "one pending authentication per customer" reservation. */
  const reservations = new Map<string, string>();
  /** `provider|customerKey` → starts counted against the customer in the window. */
  const customerCounts = new Map<string, number>();
  /** consumer → "customer unknown" answers in the enumeration guard's window. */
  const unknownCustomers = new Map<string, number>();
  /** id → when its first run is due (the due set's score). */
  const due = new Map<string, number>();
  const notifications = new Map<string, string>();
  const audit: (AuditEvent & { stored: 'with the record' | 'alone' })[] = [];
  const counted: string[] = [];
  const creates: { id: string; options: CreateOptions }[] = [];
  /** What the next creates do instead of answering: fail before writing, or write and lose the reply. */
  const createFaults: { error: Error; written: boolean }[] = [];

  const reservation = (consumer: string, provider: string, customerKey: string) => `${consumer}|${provider}|${customerKey}`;
  const customerWindow = (provider: string, customerKey: string) => `${provider}|${customerKey}`;

  /** ADMIT_START's order: enumeration guard, reservation (its own id again is admitted), per-customer count. */
  const admissions: Pick<AdmissionRepository, 'admit'> = {
    async admit(request: AdmissionRequest): Promise<Admission> {
      if ((unknownCustomers.get(request.consumer) ?? 0) >= request.unknownCustomers.max) {
        return { outcome: 'enumeration_guard', resetMs: request.unknownCustomers.windowMs };
      }
      const slot = reservation(request.consumer, request.provider, request.customerKey);
      const holder = reservations.get(slot);
      if (holder === request.id) return { outcome: 'admitted' };
      if (holder !== undefined) return { outcome: 'held', holder };
      const window = customerWindow(request.provider, request.customerKey);
      const count = customerCounts.get(window) ?? 0;
      if (count >= request.perCustomer.max) return { outcome: 'customer_limited', resetMs: request.perCustomer.windowMs };
      reservations.set(slot, request.id);
      customerCounts.set(window, count + 1);
      return { outcome: 'admitted' };
    },
  };

  /** Exactly what `start`, the admission and `get`/`view` use of the repository. */
  const repository: Pick<AuthenticationRepository, 'create' | 'get' | 'view' | 'releasePending'> = {
    async create(record: Authentication, options: CreateOptions = {}): Promise<'created' | 'existed'> {
      creates.push({ id: record.id, options });
      const fault = createFaults.shift();
      // CREATE: one script, refused as a whole with nothing of it written, and once only.
      if (fault && !fault.written) throw fault.error;
      if (records.has(record.id)) return 'existed';
      records.set(record.id, structuredClone(record));
      due.set(record.id, Math.min(record.nextPollAt, record.expiresAt));
      if (options.notificationKey) notifications.set(`${record.provider}|${options.notificationKey}`, record.id);
      if (options.confirmReservation) reservations.set(reservation(record.consumer, record.provider, record.customerKey), record.id);
      options.alsoWrite?.(new WriteList());
      if (fault) throw fault.error;
      return 'created';
    },
    async get(id: string): Promise<Authentication | null> {
      const record = records.get(id);
      return record ? structuredClone(record) : null;
    },
    async view(id: string): Promise<AuthenticationView | null> {
      const record = records.get(id);
      return record ? structuredClone(record) : null;
    },
    async releasePending(consumer: string, provider: string, customerKey: string, id: string): Promise<void> {
      // RELEASE_PENDING: only the reservation that names this id.
      const slot = reservation(consumer, provider, customerKey);
      if (reservations.get(slot) === id) reservations.delete(slot);
    },
  };

  const limiter: Pick<RateLimiter, 'giveBackCustomer' | 'addUnknownCustomer'> = {
    async giveBackCustomer(provider: string, customerKey: string): Promise<void> {
      const window = customerWindow(provider, customerKey);
      customerCounts.set(window, Math.max(0, (customerCounts.get(window) ?? 0) - 1));
    },
    async addUnknownCustomer(consumer: string): Promise<void> {
      unknownCustomers.set(consumer, (unknownCustomers.get(consumer) ?? 0) + 1);
    },
  };

  const trail: Pick<AuditTrail, 'append' | 'appendIn'> = {
    async append(event: AuditEvent): Promise<void> {
      audit.push({ ...event, stored: 'alone' });
    },
    appendIn(event: AuditEvent) {
      return () => void audit.push({ ...event, stored: 'with the record' });
    },
  };

  const counters: Pick<Counters, 'increment'> = {
    increment: (name: string, ...labels: string[]) => void counted.push([name, ...labels].join(' ')),
  };

  const adapters = new Map(PROVIDERS.map((provider) => [provider.id, new ScriptedAdapter(provider.id)]));
  const registry = {
    get: (id: string) => adapters.get(id)!,
  };

  const config = {
    providers: new Map(PROVIDERS.map((provider) => [provider.id, provider])),
    consumers: new Map(Object.values(CONSUMERS).map((consumer) => [consumer.id, consumer])),
    limits: LIMITS,
  } as unknown as CibaConfig;
  const logger = pino({ level: 'silent' });
  const auditService = new AuditService(trail as AuditTrail, logger);
  const admission = new StartAdmission(
    config,
    admissions as AdmissionRepository,
    repository as AuthenticationRepository,
    auditService,
    logger,
  );
  const service = new AuthenticationsService(
    config,
    registry as unknown as ProviderRegistry,
    repository as AuthenticationRepository,
    keyring,
    logger,
    counters as Counters,
    limiter as RateLimiter,
    auditService,
    admission,
  );

  const customerKey = (provider: string, customer = CUSTOMER) => keyring.hmac('customer', `${provider}\u0000${customer}`);
  return {
    service,
    keyring,
    records,
    due,
    notifications,
    audit,
    counted,
    creates,
    unknownCustomers,
    adapter: (provider: string) => adapters.get(provider)!,
    /** Every backchannel request sent, whichever provider it went to. */
    sent: () => [...adapters.values()].flatMap((adapter) => adapter.requests),
    /** The next create fails with `error`; with `written`, after it was stored (its reply lost). */
    failCreate: (error: Error, { written = false } = {}) => void createFaults.push({ error, written }),
    customerKey,
    reservationOf: (consumer: string, provider = 'sandbox', customer = CUSTOMER) =>
      reservations.get(reservation(consumer, provider, customerKey(provider, customer))),
    reservationCount: () => reservations.size,
    customerCount: (provider = 'sandbox', customer = CUSTOMER) =>
      customerCounts.get(customerWindow(provider, customerKey(provider, customer))) ?? 0,
  };
}

/** The error a call was refused with; a success fails the test. */
async function refusal(promise: Promise<unknown>): Promise<CibaError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CibaError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

describe('AuthenticationsService.start (in-memory fakes, no Redis or provider)', () => {
  describe('refused before anything is reserved or sent', () => {
    it('a provider that is not configured: 404 unknown_provider', async () => {
      const world = startWorld();
      const error = await refusal(world.service.start(asConsumer('pos'), startOf({ provider: 'nowhere' })));
      expect(problemFor(error)).toMatchObject({ status: 404, code: ErrorCode.UnknownProvider });
      expect(world.sent()).toEqual([]);
      expect(world.reservationCount()).toBe(0);
      expect(world.audit).toEqual([]);
    });

    it('a configured provider this consumer may not use: 403 provider_not_allowed', async () => {
      const world = startWorld();
      const error = await refusal(world.service.start(asConsumer('pos'), startOf({ provider: 'elsewhere' })));
      expect(problemFor(error)).toMatchObject({ status: 403, code: ErrorCode.ProviderNotAllowed });
      expect(world.adapter('elsewhere').requests).toEqual([]);
      expect(world.reservationCount()).toBe(0);
    });

    it('a callback URL outside the consumer\u2019s allowed hosts, or without a webhook: 400 callback_not_allowed', async () => {
      const world = startWorld();
      const foreign = await refusal(world.service.start(asConsumer('pos'), startOf({ callbackUrl: 'https://attacker.example/hook' })));
      expect(problemFor(foreign)).toMatchObject({ status: 400, code: ErrorCode.CallbackNotAllowed });
      const noWebhook = await refusal(world.service.start(asConsumer('branch'), startOf({ callbackUrl: 'https://pos.example/hook' })));
      expect(noWebhook.code).toBe(ErrorCode.CallbackNotAllowed);
      expect(world.sent()).toEqual([]);
      expect(world.reservationCount()).toBe(0);
      expect(world.customerCount()).toBe(0);
    });

    it('a hint the provider\u2019s rule refuses: 400 invalid_request, nothing counted against the customer', async () => {
      const world = startWorld();
      const error = await refusal(world.service.start(asConsumer('pos'), startOf({ loginHint: 'bad\u202ehint' })));
      expect(problemFor(error)).toMatchObject({ status: 400, code: ErrorCode.InvalidRequest });
      expect(world.sent()).toEqual([]);
      expect(world.customerCount()).toBe(0);
    });
  });

  describe('refused by the admission', () => {
    it('past the per-customer limit (whichever consumer asks): 429 customer_rate_limited with Retry-After, the provider not called', async () => {
      const world = startWorld();
      await world.service.start(asConsumer('pos'), startOf());
      await world.service.start(asConsumer('branch'), startOf());
      expect(world.customerCount()).toBe(LIMITS.perLoginHint.max);

      const error = await refusal(world.service.start(asConsumer('kiosk'), startOf()));
      expect(problemFor(error)).toMatchObject({ status: 429, code: ErrorCode.CustomerRateLimited });
      expect(error.extensions).toEqual({ retryAfterSeconds: LIMITS.perLoginHint.windowSeconds });
      expect(world.adapter('sandbox').requests).toHaveLength(2);
      expect(world.reservationOf('kiosk')).toBeUndefined();
      expect(world.records.size).toBe(2);
    });

    it('a customer with a pending authentication: 409 pending_exists naming it, the provider not called again', async () => {
      const world = startWorld();
      const first = await world.service.start(asConsumer('pos'), startOf());
      const error = await refusal(world.service.start(asConsumer('pos'), startOf({ bindingMessage: 'AGAIN' })));
      expect(problemFor(error)).toMatchObject({ status: 409, code: ErrorCode.PendingExists, pendingId: first.id });
      expect(world.adapter('sandbox').requests).toHaveLength(1);
      expect(world.reservationOf('pos')).toBe(first.id);
      expect(world.customerCount()).toBe(1);
    });

    it('a finished holder whose reservation was left behind: given up, and the new start admitted', async () => {
      const world = startWorld();
      const first = await world.service.start(asConsumer('pos'), startOf());
      world.records.get(first.id)!.status = 'cancelled';
      const second = await world.service.start(asConsumer('pos'), startOf());
      expect(second.id).not.toBe(first.id);
      expect(world.reservationOf('pos')).toBe(second.id);
      expect(world.adapter('sandbox').requests).toHaveLength(2);
    });

    it('the enumeration guard: after the allowed unknown customers, 429 enumeration_guard without calling the provider', async () => {
      const world = startWorld();
      const unknownUser = () => startFailureToError({ kind: 'oauth', error: 'unknown_user_id', status: 400 });
      world.adapter('sandbox').answer(unknownUser(), unknownUser());
      for (const customer of ['11111111111', '22222222222']) {
        const error = await refusal(world.service.start(asConsumer('pos'), startOf({ loginHint: customer })));
        expect(error.code).toBe(ErrorCode.CustomerUnknown);
      }
      expect(world.unknownCustomers.get('pos')).toBe(LIMITS.unknownCustomers.max);

      const guarded = await refusal(world.service.start(asConsumer('pos'), startOf({ loginHint: '33333333333' })));
      expect(problemFor(guarded)).toMatchObject({ status: 429, code: ErrorCode.EnumerationGuard });
      expect(guarded.extensions).toEqual({ retryAfterSeconds: LIMITS.unknownCustomers.windowSeconds });
      expect(world.adapter('sandbox').requests).toHaveLength(2);
      expect(world.audit.at(-1)).toMatchObject({ event: 'security.enumeration_guard', outcome: 'refused', consumer: 'pos' });
      // Another consumer is not guarded by pos's unknown customers.
      await expect(world.service.start(asConsumer('branch'), startOf({ loginHint: '33333333333' }))).resolves.toMatchObject({
        status: 'pending',
      });
    });
  });

  describe('acknowledged by the provider', () => {
    it('stores the pending record planned one interval (default 5 s) after the acknowledgement, audited in the same write', async () => {
      const world = startWorld();
      world.adapter('sandbox').answer({ authReqId: 'req-42', expiresIn: 120 });
      const before = Date.now();
      const record = await world.service.start(asConsumer('pos'), startOf({ loginHint: ` ${CUSTOMER} `, reference: 'till-7' }));

      expect(record.id).toMatch(AUTHENTICATION_ID_PATTERN);
      expect(world.records.get(record.id)).toEqual(record);
      expect(record).toMatchObject({
        consumer: 'pos',
        initiatedBy: { type: 'consumer', id: 'pos' },
        provider: 'sandbox',
        status: 'pending',
        seq: 1,
        interval: 5,
        consecutiveFailures: 0,
        deliveryMode: 'poll',
        authReqId: 'req-42',
        customer: CUSTOMER,
        customerKey: world.customerKey('sandbox'),
        customerMasked: '*******1111',
        bindingMessage: 'W4SP',
        reference: 'till-7',
        scope: 'openid profile',
        notificationTokenHash: null,
        callbackUrl: null,
        webhook: null,
        requestId: null,
      });
      expect(record.createdAt).toBeGreaterThanOrEqual(before);
      expect(record.createdAt).toBeLessThanOrEqual(Date.now());
      expect(record.expiresAt).toBe(record.createdAt + 120_000);
      expect(record.nextPollAt).toBe(record.createdAt + 5_000 + CLOCK_GUARD_MS);
      expect(world.due.get(record.id)).toBe(record.nextPollAt);

      // The provider was asked once, with the hint as the adapter prepared it (trimmed) and the provider's scope.
      expect(world.adapter('sandbox').requests).toEqual([
        {
          clientNotificationToken: undefined,
          scope: 'openid profile',
          hint: { param: 'login_hint', value: CUSTOMER, customer: CUSTOMER, masked: '*******1111' },
          bindingMessage: 'W4SP',
          acrValues: undefined,
          claims: undefined,
          userCode: undefined,
          requestedExpiry: undefined,
          authorizationDetails: undefined,
          uiLocales: undefined,
        },
      ]);
      // The reservation is confirmed by the record's own write; the customer counted once.
      expect(world.creates).toEqual([{ id: record.id, options: expect.objectContaining({ confirmReservation: true }) }]);
      expect(world.reservationOf('pos')).toBe(record.id);
      expect(world.customerCount()).toBe(1);
      expect(world.audit).toEqual([
        expect.objectContaining({
          event: 'ciba.start',
          outcome: 'pending',
          stored: 'with the record',
          consumer: 'pos',
          provider: 'sandbox',
          authenticationId: record.id,
          customer: '*******1111',
          initiatedBy: { type: 'consumer', id: 'pos' },
        }),
      ]);
      expect(world.counted).toEqual(['started sandbox']);
    });

    it('takes the acknowledged interval, the shorter requested expiry, the provider\u2019s binding message and passes the request on', async () => {
      const world = startWorld();
      world.adapter('sandbox').answer({ authReqId: 'req-7', expiresIn: 300, interval: 2, bindingMessage: 'PROV-1' });
      const record = await world.service.start(
        asConsumer('pos'),
        startOf({ requestedExpiry: 60, scope: 'openid', acrValues: 'urn:acr:high', bindingMessage: 'MINE', uiLocales: 'ka en' }),
      );
      expect(record).toMatchObject({
        interval: 2,
        bindingMessage: 'PROV-1',
        scope: 'openid',
        requestedAcr: 'urn:acr:high',
        requestedExpiry: 60,
      });
      expect(record.expiresAt).toBe(record.createdAt + 60_000);
      expect(record.nextPollAt).toBe(record.createdAt + 2_000 + CLOCK_GUARD_MS);
      expect(world.adapter('sandbox').requests[0]).toMatchObject({
        scope: 'openid',
        bindingMessage: 'MINE',
        acrValues: 'urn:acr:high',
        requestedExpiry: 60,
        uiLocales: 'ka en',
      });
    });

    it('ping: sends a notification token, keeps only its hash, indexes the auth_req_id and plans the fallback poll', async () => {
      const world = startWorld();
      world.adapter('pinger').answer({ authReqId: 'ping-req', expiresIn: 120, interval: 5 });
      const record = await world.service.start(asConsumer('pos'), startOf({ provider: 'pinger' }));
      const token = world.adapter('pinger').requests[0].clientNotificationToken!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(record).toMatchObject({ deliveryMode: 'ping', notificationTokenHash: sha256Hex(token) });
      expect(JSON.stringify(record)).not.toContain(token);
      expect(world.notifications.get(`pinger|${notificationKey(world.keyring, 'pinger', 'ping-req')}`)).toBe(record.id);
      expect(record.nextPollAt).toBe(record.createdAt + 30_000 + CLOCK_GUARD_MS);
      expect(world.reservationOf('pos', 'pinger')).toBe(record.id);
    });

    it('with an allowed callback URL: the record carries it and a webhook delivery waiting', async () => {
      const world = startWorld();
      const record = await world.service.start(asConsumer('pos'), startOf({ callbackUrl: 'https://POS.example/hook' }));
      expect(record.callbackUrl).toBe('https://pos.example/hook');
      expect(record.webhook).toMatchObject({ state: 'pending', attempts: 0, lastError: null, firstAttemptAt: null });
    });

    it('started by an agent in a request: the initiator is the agent, and the request id is kept and audited', async () => {
      const world = startWorld();
      const record = await requestContext.run({ source: '10.0.0.7', requestId: 'rq-9' }, () =>
        world.service.start(asAgent('a1'), startOf()),
      );
      expect(record.initiatedBy).toEqual({ type: 'agent', subject: 'a1', name: 'Agent a1' });
      expect(record.requestId).toBe('rq-9');
      expect(world.audit).toEqual([
        expect.objectContaining({
          outcome: 'pending',
          source: '10.0.0.7',
          requestId: 'rq-9',
          initiatedBy: { type: 'agent', subject: 'a1', name: 'Agent a1' },
        }),
      ]);
    });
  });

  describe('refused or not answered by the provider', () => {
    const cases: {
      name: string;
      error: () => Error;
      problem: { status: number; code: string; providerError?: string };
      /** Whether the request still counts against the customer afterwards. */
      counted: boolean;
      outcome: string;
    }[] = [
      {
        name: 'unknown user',
        error: () => startFailureToError({ kind: 'oauth', error: 'unknown_user_id', status: 400 }),
        problem: { status: 422, code: ErrorCode.CustomerUnknown, providerError: 'unknown_user_id' },
        counted: true,
        outcome: ErrorCode.CustomerUnknown,
      },
      {
        name: 'invalid request',
        error: () => startFailureToError({ kind: 'oauth', error: 'invalid_request', status: 400 }),
        problem: { status: 422, code: ErrorCode.ProviderRejected, providerError: 'invalid_request' },
        counted: true,
        outcome: ErrorCode.ProviderRejected,
      },
      {
        name: 'access denied',
        error: () => startFailureToError({ kind: 'oauth', error: 'access_denied', status: 403 }),
        problem: { status: 422, code: ErrorCode.ProviderRejected, providerError: 'access_denied' },
        counted: true,
        outcome: ErrorCode.ProviderRejected,
      },
      {
        name: 'temporarily unavailable (503)',
        error: () => startFailureToError({ kind: 'oauth', error: 'temporarily_unavailable', status: 503, retryAfterSeconds: 7 }),
        problem: { status: 503, code: ErrorCode.ProviderUnavailable },
        counted: true,
        outcome: ErrorCode.ProviderUnavailable,
      },
      {
        name: 'timeout (the request may have reached the provider)',
        error: () => startFailureToError({ kind: 'timeout' }),
        problem: { status: 503, code: ErrorCode.ProviderUnavailable },
        counted: true,
        outcome: ErrorCode.ProviderUnavailable,
      },
      {
        name: 'connection reset after sending',
        error: () => startFailureToError({ kind: 'network', neverSent: false, detail: 'ECONNRESET' }),
        problem: { status: 503, code: ErrorCode.ProviderUnavailable },
        counted: true,
        outcome: ErrorCode.ProviderUnavailable,
      },
      {
        name: 'connection refused (provably never sent)',
        error: () => startFailureToError({ kind: 'network', neverSent: true, detail: 'ECONNREFUSED' }),
        problem: { status: 503, code: ErrorCode.ProviderUnavailable },
        counted: false,
        outcome: ErrorCode.ProviderUnavailable,
      },
      {
        name: 'an answer that is not an acknowledgement',
        error: () => startFailureToError({ kind: 'invalid', detail: 'no auth_req_id' }),
        problem: { status: 502, code: ErrorCode.ProviderInvalidResponse },
        counted: true,
        outcome: ErrorCode.ProviderInvalidResponse,
      },
      {
        name: 'our client refused (invalid_client)',
        error: () => startFailureToError({ kind: 'oauth', error: 'invalid_client', status: 401 }, 'sandbox'),
        problem: { status: 500, code: ErrorCode.ProviderMisconfigured, providerError: 'invalid_client' },
        counted: true,
        outcome: ErrorCode.ProviderMisconfigured,
      },
    ];

    it.each(cases)(
      '$name: $problem.status $problem.code, the reservation released, still counted against the customer: $counted',
      async ({ error, problem, counted, outcome }) => {
        const world = startWorld();
        const thrown = error();
        world.adapter('sandbox').answer(thrown);
        const refused = await refusal(world.service.start(asConsumer('pos'), startOf()));

        expect(refused).toBe(thrown);
        expect(problemFor(refused)).toMatchObject(problem);
        expect(world.adapter('sandbox').requests).toHaveLength(1);
        expect(world.records.size).toBe(0);
        expect(world.reservationOf('pos')).toBeUndefined();
        expect(world.customerCount()).toBe(counted ? 1 : 0);
        expect(world.unknownCustomers.get('pos') ?? 0).toBe(outcome === ErrorCode.CustomerUnknown ? 1 : 0);
        expect(world.audit).toEqual([
          expect.objectContaining({
            event: 'ciba.start',
            outcome,
            stored: 'alone',
            consumer: 'pos',
            provider: 'sandbox',
            authenticationId: null,
            customer: '*******1111',
          }),
        ]);
        expect(world.counted).toEqual([]);
      },
    );

    it('the failure mapping gives NeverSentError exactly for the request that provably never left', () => {
      expect(startFailureToError({ kind: 'network', neverSent: true, detail: 'ECONNREFUSED' })).toBeInstanceOf(NeverSentError);
      expect(startFailureToError({ kind: 'network', neverSent: false, detail: 'ECONNRESET' })).not.toBeInstanceOf(NeverSentError);
      expect(startFailureToError({ kind: 'timeout' })).not.toBeInstanceOf(NeverSentError);
    });

    it('a start that never left can be retried at once, counted once', async () => {
      const world = startWorld();
      world.adapter('sandbox').answer(new NeverSentError());
      await refusal(world.service.start(asConsumer('pos'), startOf()));
      const record = await world.service.start(asConsumer('pos'), startOf());
      expect(world.reservationOf('pos')).toBe(record.id);
      expect(world.customerCount()).toBe(1);
    });

    it('an unexpected error from the adapter: rethrown as is, the reservation goes, audited as "error"', async () => {
      const world = startWorld();
      const bug = new TypeError('adapter bug');
      world.adapter('sandbox').answer(bug);
      await expect(world.service.start(asConsumer('pos'), startOf())).rejects.toBe(bug);
      expect(world.reservationOf('pos')).toBeUndefined();
      expect(world.customerCount()).toBe(1);
      expect(world.audit).toEqual([expect.objectContaining({ event: 'ciba.start', outcome: 'error' })]);
    });
  });

  it('acknowledged but not stored (the store refused): the error surfaces, the reservation goes, the orphan is audited', async () => {
    const world = startWorld();
    const refusedByStore = new Error('OOM command not allowed');
    world.failCreate(refusedByStore);
    await expect(world.service.start(asConsumer('pos'), startOf())).rejects.toBe(refusedByStore);
    expect(world.adapter('sandbox').requests).toHaveLength(1);
    expect(world.records.size).toBe(0);
    expect(world.reservationOf('pos')).toBeUndefined();
    // The pending event was to be written with the record, so it was not; the orphan is recorded on its own.
    expect(world.audit).toEqual([
      expect.objectContaining({ event: 'ciba.start', outcome: 'orphaned', stored: 'alone', provider: 'sandbox' }),
    ]);
    expect(world.counted).toEqual([]);
  });

  it('stored, but Redis\u2019s reply lost (a reset): the repeat finds the record, and the start succeeds with one record and one audit event', async () => {
    const world = startWorld();
    world.failCreate(new Error('Connection is closed.'), { written: true });
    const record = await world.service.start(asConsumer('pos'), startOf());
    expect(world.creates.map((create) => create.id)).toEqual([record.id, record.id]);
    expect([...world.records.keys()]).toEqual([record.id]);
    expect(world.reservationOf('pos')).toBe(record.id);
    expect(world.audit).toEqual([expect.objectContaining({ event: 'ciba.start', outcome: 'pending', stored: 'with the record' })]);
    expect(world.counted).toEqual(['started sandbox']);
    expect(world.adapter('sandbox').requests).toHaveLength(1);
  });

  it('a Redis that does not answer for a moment is waited out: the start is stored by a later try', async () => {
    const world = startWorld();
    world.failCreate(new Error('Connection is closed.'));
    world.failCreate(new Error('Connection is closed.'));
    const record = await world.service.start(asConsumer('pos'), startOf());
    expect(world.creates).toHaveLength(3);
    expect(world.records.get(record.id)).toMatchObject({ status: 'pending' });
  });

  it('a Redis that stays silent: the error surfaces, the reservation is kept (the record may exist), the start audited "unconfirmed"', async () => {
    const world = startWorld();
    const silent = new Error('Connection is closed.');
    for (let i = 0; i < 50; i += 1) world.failCreate(silent);
    await expect(world.service.start(asConsumer('pos'), startOf())).rejects.toBe(silent);
    expect(world.creates.length).toBeGreaterThan(1);
    expect(world.records.size).toBe(0);
    // A retry is told pending_exists until the reservation lapses, rather than ringing the customer twice.
    expect(world.reservationOf('pos')).toBe(world.creates[0].id);
    expect(world.audit).toEqual([expect.objectContaining({ event: 'ciba.start', outcome: 'unconfirmed', stored: 'alone' })]);
    expect((await refusal(world.service.start(asConsumer('pos'), startOf()))).code).toBe(ErrorCode.PendingExists);
    expect(world.adapter('sandbox').requests).toHaveLength(1);
  });

  // Idempotency-Key replay is not the service's: IdempotentStart wraps `start` (idempotent-start.ts).
});

describe('AuthenticationsService.get / view: who sees what', () => {
  it('a consumer sees its own authentication; another consumer\u2019s id is 404 not_found, exactly as an unknown id', async () => {
    const world = startWorld();
    const record = await world.service.start(asConsumer('pos'), startOf());
    await expect(world.service.get(asConsumer('pos'), record.id)).resolves.toEqual(record);
    await expect(world.service.view(asConsumer('pos'), record.id)).resolves.toMatchObject({ id: record.id, status: 'pending' });

    const foreign = await refusal(world.service.get(asConsumer('branch'), record.id));
    const unknown = await refusal(world.service.get(asConsumer('branch'), 'NO-SUCH-ID'));
    expect(problemFor(foreign)).toMatchObject({ status: 404, code: ErrorCode.NotFound });
    expect(problemFor(foreign)).toEqual(problemFor(unknown));
    expect((await refusal(world.service.view(asConsumer('branch'), record.id))).code).toBe(ErrorCode.NotFound);
  });

  it('a plain agent sees only what they started; a supervisor and the consumer itself see all of the consumer\u2019s', async () => {
    const world = startWorld();
    const mine = await world.service.start(asAgent('a1'), startOf());
    const theirs = await world.service.start(asAgent('a2'), startOf({ loginHint: '99999999999' }));

    await expect(world.service.get(asAgent('a1'), mine.id)).resolves.toMatchObject({ id: mine.id });
    expect((await refusal(world.service.get(asAgent('a1'), theirs.id))).code).toBe(ErrorCode.NotFound);
    expect((await refusal(world.service.view(asAgent('a1'), theirs.id))).code).toBe(ErrorCode.NotFound);
    await expect(world.service.get(asAgent('s1', true), theirs.id)).resolves.toMatchObject({ id: theirs.id });
    await expect(world.service.get(asConsumer('pos'), theirs.id)).resolves.toMatchObject({ id: theirs.id });
  });
});
