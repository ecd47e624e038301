import { randomBytes } from 'node:crypto';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { AdmissionRepository, AuditTrail, AuthenticationRepository, FieldCipher, Keyring, RedisKeys } from '@ciba/store';
import pino from 'pino';
import { sampleAuthentication } from '../../../../test/support/sample-authentication.js';
import { useTestRedisClient } from '../../../../test/support/test-redis.js';
import { AuditService } from '../audit/audit.service.js';
import { StartAdmission } from './start-admission.js';

/**
 * The admission's answers in API.md §4 terms, against a real Redis: the rare paths the e2e suites
 * hardly reach (a finished holder whose reservation is still there) included.
 */
describe('StartAdmission (real Redis)', () => {
  const db = useTestRedisClient();
  const consumer = { id: 'portal' } as ConsumerConfig;
  const caller = { consumer };
  let keys: RedisKeys;
  let repository: AuthenticationRepository;
  let trail: AuditTrail;
  let admission: StartAdmission;

  beforeAll(() => {
    keys = new RedisKeys(db.redis.prefix);
    repository = new AuthenticationRepository(db.client, keys, new FieldCipher(Keyring.generate()), 60_000);
    trail = new AuditTrail(db.client, keys, 60_000);
    const config = {
      limits: { perLoginHint: { max: 2, windowSeconds: 300 }, unknownCustomers: { max: 2, windowSeconds: 600 } },
    } as unknown as CibaConfig;
    const logger = pino({ level: 'silent' });
    admission = new StartAdmission(config, new AdmissionRepository(db.client, keys), repository, new AuditService(trail, logger), logger);
  });

  const customer = () => randomBytes(6).toString('hex');
  const id = () => `A${randomBytes(6).toString('hex')}`;
  const refusal = (promise: Promise<unknown>) => promise.then(() => null).catch((error: unknown) => error as CibaError);

  it('admits, and holds the customer for that id', async () => {
    const key = customer();
    const first = id();
    await admission.admit(caller, 'sandbox', key, first);
    expect(await db.client.get(keys.pendingLock('portal', 'sandbox', key))).toBe(first);
  });

  it('a holder that is pending, or not stored yet, is pending_exists with its id', async () => {
    const key = customer();
    const holder = id();
    await admission.admit(caller, 'sandbox', key, holder);
    const notStored = await refusal(admission.admit(caller, 'sandbox', key, id()));
    expect(notStored).toMatchObject({
      code: ErrorCode.PendingExists,
      message: 'A pending authentication for this customer already exists; wait for it or cancel it.',
      extensions: { pendingId: holder },
    });
    await repository.create(sampleAuthentication({ id: holder, customerKey: key, expiresAt: Date.now() + 60_000 }));
    expect(await refusal(admission.admit(caller, 'sandbox', key, id()))).toMatchObject({ extensions: { pendingId: holder } });
  });

  it("pending_exists tells a plain agent the pending id of their own only (API.md §7: another's id is a 404 to them)", async () => {
    const key = customer();
    const holder = id();
    const agent = (subject: string, supervisor = false) => ({ consumer, agent: { subject, name: subject, roles: [], supervisor } });
    await admission.admit(agent('a1'), 'sandbox', key, holder);
    // Not stored yet: whose it is cannot be told, so a plain agent is not given the id.
    expect((await refusal(admission.admit(agent('a1'), 'sandbox', key, id())))!.extensions).toEqual({});
    await repository.create(
      sampleAuthentication({
        id: holder,
        customerKey: key,
        expiresAt: Date.now() + 60_000,
        initiatedBy: { type: 'agent', subject: 'a1', name: 'a1' },
      }),
    );
    const answers = await Promise.all(
      [agent('a1'), agent('a2'), agent('s1', true), caller].map((asking) => refusal(admission.admit(asking, 'sandbox', key, id()))),
    );
    expect(answers.map((answer) => [answer?.code, answer?.extensions])).toEqual([
      [ErrorCode.PendingExists, { pendingId: holder }],
      [ErrorCode.PendingExists, {}],
      [ErrorCode.PendingExists, { pendingId: holder }],
      [ErrorCode.PendingExists, { pendingId: holder }],
    ]);
  });

  it("a finished holder's reservation is given up and the start admitted", async () => {
    const key = customer();
    const finished = id();
    await admission.admit(caller, 'sandbox', key, finished);
    // Stored as finished without passing TRANSITION (which drops the reservation itself).
    await repository.create(sampleAuthentication({ id: finished, status: 'cancelled', customerKey: key, expiresAt: Date.now() + 60_000 }));
    const next = id();
    await admission.admit(caller, 'sandbox', key, next);
    expect(await db.client.get(keys.pendingLock('portal', 'sandbox', key))).toBe(next);
    // Both counted against the customer: each was admitted once.
    expect(await db.client.get(keys.customerLimit('sandbox', key))).toBe('2');
  });

  it('past the per-customer limit: customer_rate_limited with Retry-After, and nothing left reserved', async () => {
    const key = customer();
    for (const name of ['a', 'b']) await admission.admit({ consumer: { id: name } as ConsumerConfig }, 'sandbox', key, id());
    const refused = await refusal(admission.admit(caller, 'sandbox', key, id()));
    expect(refused).toBeInstanceOf(CibaError);
    expect(refused).toMatchObject({ code: ErrorCode.CustomerRateLimited, extensions: { retryAfterSeconds: 300 } });
    expect(refused!.message).toBe('This customer was asked 2 times within 300 s; retry after 300 s.');
    expect(await db.client.exists(keys.pendingLock('portal', 'sandbox', key))).toBe(0);
  });

  it('with the enumeration guard full: enumeration_guard with Retry-After, audited, nothing reserved', async () => {
    const guarded = { id: `enumerator-${randomBytes(3).toString('hex')}` } as ConsumerConfig;
    await db.client.set(keys.unknownCustomerLimit(guarded.id), 2, 'PX', 120_000);
    const key = customer();
    const refused = await refusal(admission.admit({ consumer: guarded }, 'sandbox', key, id()));
    expect(refused).toMatchObject({ code: ErrorCode.EnumerationGuard, extensions: { retryAfterSeconds: 120 } });
    expect(refused!.message).toBe('Too many unknown customers (2 in 600 s); retry after 120 s.');
    expect(await db.client.exists(keys.pendingLock(guarded.id, 'sandbox', key))).toBe(0);
    const { items } = await trail.read({ limit: 100 });
    expect(items).toContainEqual(
      expect.objectContaining({
        event: 'security.enumeration_guard',
        consumer: guarded.id,
        outcome: 'refused',
        initiatedBy: { type: 'consumer', id: guarded.id },
      }),
    );
  });
});
