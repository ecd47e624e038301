import { randomBytes } from 'node:crypto';
import type { Authentication } from '@ciba/ciba';
import { AuthenticationRepository, FieldCipher, Keyring, RedisKeys } from '@ciba/store';
import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '../../../../test/support/test-redis.js';
import { notificationKey } from '../notifications/notification-token.js';
import { ENCRYPTED_FIELDS, envelopeKid } from './encrypted-fields.js';
import { KeyRotator, type KeyRotatorOptions } from './key-rotator.js';
import { rotationKeyrings } from './rotation-keyrings.js';

const RETENTION_MS = 3_600_000;
const secret = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const KEY_A = secret('a');
const KEY_B = secret('b');
const KEY_C = secret('c');

let sequence = 0;
/** A finished authentication with every encrypted field set (fields other branches add stay absent). */
function authentication(overrides: Partial<Authentication> = {}): Authentication {
  const now = Date.now();
  sequence += 1;
  return {
    id: `rot${sequence}${randomBytes(4).toString('hex')}`,
    consumer: 'portal',
    initiatedBy: { type: 'agent', subject: 'agent-7', name: 'Nino Agent' },
    provider: 'sandbox',
    status: 'approved',
    seq: 3,
    createdAt: now,
    expiresAt: now + 120_000,
    interval: 5,
    nextPollAt: now + 5000,
    consecutiveFailures: 0,
    bindingMessage: 'W4SP-1234',
    reference: 'till-7',
    progress: null,
    error: null,
    result: {
      subject: 'sub-alice',
      claims: { sub: 'sub-alice', name: 'Alice Example', personal_number: '01001011111' },
      acr: 'urn:acr:high',
      amr: ['pwd'],
      authTime: new Date(now).toISOString(),
      tokens: { idToken: 'eyJ.id.token', accessToken: 'access-token', tokenType: 'Bearer' },
    },
    authReqId: `req-${sequence}`,
    customer: '01001011111',
    customerKey: 'customer-hmac',
    customerMasked: '*******1111',
    requestedAcr: null,
    requestedExpiry: null,
    scope: 'openid profile',
    inflight: null,
    identityClaim: 'personal_number',
    tokenResponse: { access_token: 'access-token', token_type: 'Bearer', id_token: 'eyJ.id.token' },
    deliveryMode: 'poll',
    notificationTokenHash: null,
    pingedAt: null,
    userCodeAttempts: 0,
    profileState: { step: 2 },
    ...overrides,
  } as Authentication;
}

describe('KeyRotator against a real Redis', () => {
  let redis: TestRedis;
  let client: Redis;
  let keys: RedisKeys;

  const repository = (keyring: string) => new AuthenticationRepository(client, keys, new FieldCipher(Keyring.parse(keyring)), RETENTION_MS);
  const rotator = (keyring: string, options: Partial<KeyRotatorOptions> = {}) =>
    new KeyRotator({ redis: client, keys, ...rotationKeyrings(keyring), ...options });
  const raw = (id: string) => client.hgetall(keys.authentication(id));
  const expireTime = async (key: string) => Number(await client.call('PEXPIRETIME', key));

  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
  beforeEach(() => {
    // A fresh prefix per test: counts in one test do not depend on records of another.
    keys = new RedisKeys(`${redis.prefix.slice(0, -1)}${randomBytes(3).toString('hex')}}`);
  });

  it('encrypts, per the real repository, exactly the fields it rotates', async () => {
    const record = authentication();
    await repository(KEY_A).create(record);
    const stored = await raw(record.id);
    const encrypted = Object.keys(stored).filter((field) => envelopeKid(stored[field]) === 'a');
    expect(encrypted.sort()).toEqual([...ENCRYPTED_FIELDS].sort());
  });

  it('moves every encrypted field from A to B in batches; the data reads with B alone and keeps its TTL', async () => {
    const records = Array.from({ length: 9 }, () => authentication());
    for (const record of records) await repository(KEY_A).create(record);
    const before = new Map(await Promise.all(records.map(async (r) => [r.id, await raw(r.id)] as const)));
    const decoded = new Map(await Promise.all(records.map(async (r) => [r.id, await repository(KEY_A).get(r.id)] as const)));
    const expiries = await Promise.all(records.map((r) => expireTime(keys.authentication(r.id))));
    expect(expiries.every((at) => at > Date.now())).toBe(true);

    const { summary, failures } = await rotator(`${KEY_B},${KEY_A}`, { batchSize: 2 }).run();

    expect(summary).toMatchObject({
      event: 'ciba.keys_rotated',
      writeKid: 'b',
      formerKids: ['a'],
      scanned: 9,
      rotatedFields: 9 * ENCRYPTED_FIELDS.length,
      rotatedRecords: 9,
      skipped: 0,
      failed: 0,
    });
    expect(failures.size).toBe(0);
    const onlyB = repository(KEY_B);
    for (const [index, record] of records.entries()) {
      const stored = await raw(record.id);
      for (const field of ENCRYPTED_FIELDS) {
        expect(envelopeKid(stored[field])).toBe('b');
        expect(stored[field]).not.toBe(before.get(record.id)![field]);
      }
      const plainBefore = Object.entries(before.get(record.id)!).filter(
        ([field]) => !(ENCRYPTED_FIELDS as readonly string[]).includes(field),
      );
      // Compared as maps: Redis does not keep a hash's field order across updates.
      expect(
        Object.fromEntries(Object.entries(stored).filter(([field]) => !(ENCRYPTED_FIELDS as readonly string[]).includes(field))),
      ).toEqual(Object.fromEntries(plainBefore));
      expect(await onlyB.get(record.id)).toEqual(decoded.get(record.id));
      expect(await onlyB.get(record.id)).toMatchObject({
        result: record.result,
        customer: record.customer,
        authReqId: record.authReqId,
        tokenResponse: record.tokenResponse,
        profileState: record.profileState,
      });
      expect(await expireTime(keys.authentication(record.id))).toBe(expiries[index]);
    }
    await expect(repository(KEY_A).get(records[0].id)).rejects.toThrow('encryption key "b" is no longer configured');

    const again = await rotator(`${KEY_B},${KEY_A}`).run();
    expect(again.summary).toMatchObject({ scanned: 9, rotatedFields: 0, rotatedRecords: 0, skipped: 0, failed: 0 });
  });

  it('reports a record under an unknown key (ids, never values) and leaves it exactly as it was', async () => {
    const lost = authentication();
    const known = authentication();
    await repository(KEY_C).create(lost);
    await repository(KEY_A).create(known);
    const before = await raw(lost.id);
    const expiry = await expireTime(keys.authentication(lost.id));

    const { summary } = await rotator(`${KEY_B},${KEY_A}`).run();

    expect(summary).toMatchObject({ scanned: 2, skipped: 1, skippedIds: [lost.id], unknownKids: ['c'], failed: 0, rotatedRecords: 1 });
    expect(JSON.stringify(summary)).not.toContain(lost.customer);
    expect(await raw(lost.id)).toEqual(before);
    expect(await expireTime(keys.authentication(lost.id))).toBe(expiry);
  });

  it('never overwrites a field a new replica wrote between the read and the write', async () => {
    const record = authentication({ status: 'pending', result: null });
    await repository(KEY_A).create(record);
    const newReplica = repository(`${KEY_B},${KEY_A}`);
    const approved = { ...authentication().result!, subject: 'written-meanwhile' };
    let calls = 0;
    const beforeWrite = async (ids: readonly string[]) => {
      calls += 1;
      if (calls > 1) return;
      expect(ids).toEqual([record.id]);
      const applied = await newReplica.transition(record, {
        from: ['pending'],
        set: { status: 'approved', result: approved, customer: 'changed' },
      });
      expect(applied.applied).toBe(true);
    };

    const { summary } = await rotator(`${KEY_B},${KEY_A}`, { beforeWrite }).run();

    expect(summary).toMatchObject({ failed: 0, rotatedRecords: 1 });
    const now = await repository(KEY_B).get(record.id);
    expect(now).toMatchObject({ status: 'approved', result: approved, customer: 'changed', authReqId: record.authReqId });
    // customer changed meanwhile (already under B): only the other four were rotated by us.
    expect(summary.rotatedFields).toBe(4);
    expect(calls).toBe(2);
  });

  it('rotates the new value when an old replica (still writing A) changed a field meanwhile', async () => {
    const record = authentication();
    await repository(KEY_A).create(record);
    let calls = 0;
    const beforeWrite = async () => {
      if (++calls > 1) return;
      await client.hset(
        keys.authentication(record.id),
        'customer',
        new FieldCipher(Keyring.parse(KEY_A)).encrypt('02002022222', record.id, 'customer'),
      );
    };

    const { summary } = await rotator(`${KEY_B},${KEY_A}`, { beforeWrite }).run();

    expect(summary).toMatchObject({ failed: 0, rotatedFields: ENCRYPTED_FIELDS.length });
    expect(await repository(KEY_B).get(record.id)).toMatchObject({ customer: '02002022222', result: record.result });
  });

  it('gives up on a record that changes on every attempt, reports it, and keeps the last write', async () => {
    const record = authentication();
    await repository(KEY_A).create(record);
    const oldReplica = new FieldCipher(Keyring.parse(KEY_A));
    let written = '';
    const beforeWrite = async () => {
      written = `customer-${randomBytes(4).toString('hex')}`;
      await client.hset(keys.authentication(record.id), 'customer', oldReplica.encrypt(written, record.id, 'customer'));
    };

    const { summary, failures } = await rotator(`${KEY_B},${KEY_A}`, { beforeWrite }).run();

    expect(summary).toMatchObject({ failed: 1, failedIds: [record.id], rotatedFields: ENCRYPTED_FIELDS.length - 1 });
    expect(failures.get(record.id)).toMatch(/changed by another writer/);
    expect(await repository(`${KEY_B},${KEY_A}`).get(record.id)).toMatchObject({ customer: written });
  });

  it('does not bring back a record that expired between the read and the write', async () => {
    const record = authentication();
    await repository(KEY_A).create(record);
    const beforeWrite = async () => {
      await client.del(keys.authentication(record.id));
    };

    const { summary } = await rotator(`${KEY_B},${KEY_A}`, { beforeWrite }).run();

    expect(summary).toMatchObject({ scanned: 1, rotatedFields: 0, failed: 0 });
    expect(await client.exists(keys.authentication(record.id))).toBe(0);
  });

  it('reports a field that does not authenticate, and leaves the record alone', async () => {
    const record = authentication();
    await repository(KEY_A).create(record);
    const key = keys.authentication(record.id);
    const moved = (await client.hget(key, 'customer'))!;
    await client.hset(key, 'customer', moved.replace(/\.[^.]+$/, `.${randomBytes(16).toString('base64url')}`));
    const before = await raw(record.id);

    const { summary, failures } = await rotator(`${KEY_B},${KEY_A}`).run();

    expect(summary).toMatchObject({ failed: 1, failedIds: [record.id], rotatedFields: 0 });
    expect(failures.get(record.id)).toMatch(/^customer: the value does not authenticate/);
    expect(await raw(record.id)).toEqual(before);
  });

  it('copies an active ping record’s notification entry to its name under the new key', async () => {
    const ping = authentication({ status: 'pending', result: null, deliveryMode: 'ping', notificationTokenHash: 'ab'.repeat(32) });
    const finished = authentication({ deliveryMode: 'ping', notificationTokenHash: 'cd'.repeat(32) });
    const oldKeyring = Keyring.parse(KEY_A);
    for (const record of [ping, finished])
      await repository(KEY_A).create(record, { notificationKey: notificationKey(oldKeyring, record.provider, record.authReqId) });
    const newKeyring = Keyring.parse(KEY_B);
    const byNewKey = (record: Authentication) =>
      keys.notification(record.provider, notificationKey(newKeyring, record.provider, record.authReqId));
    const oldExpiry = await expireTime(keys.notification(ping.provider, notificationKey(oldKeyring, ping.provider, ping.authReqId)));

    const { summary } = await rotator(`${KEY_B},${KEY_A}`).run();

    expect(summary.notificationsReindexed).toBe(1);
    expect(await repository(KEY_B).findByNotification(ping.provider, notificationKey(newKeyring, ping.provider, ping.authReqId))).toBe(
      ping.id,
    );
    const newExpiry = await expireTime(byNewKey(ping));
    expect(newExpiry).toBeGreaterThan(Date.now());
    // The copy carries the remaining TTL read a moment earlier: it may end a few ms later, never later than that.
    expect(newExpiry).toBeLessThanOrEqual(oldExpiry + 50);
    expect(await client.exists(byNewKey(finished))).toBe(0);

    const again = await rotator(`${KEY_B},${KEY_A}`).run();
    expect(again.summary).toMatchObject({ notificationsReindexed: 0, rotatedFields: 0 });
  });
});
