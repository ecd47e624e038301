import { randomBytes } from 'node:crypto';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { AgentSessionRepository, type AgentSessionIdentity } from './agent-session.repository.js';
import { FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';
import { lookupDigest } from './lookup-digest.js';
import { RedisKeys } from './redis-keys.js';

const MINUTE = 60_000;
const anna = (): AgentSessionIdentity => ({
  subject: 'agent-anna',
  name: 'Anna Agent',
  roles: ['ciba-agent'],
  supervisor: false,
  csrfToken: randomBytes(32).toString('base64url'),
});
const newId = () => randomBytes(32).toString('base64url');

/** Console sessions against a real Redis: encrypted at rest, idle and absolute expiry (API.md §7). */
describe('agent sessions (real Redis)', () => {
  const db = useTestRedisClient();
  let keys: RedisKeys;
  let keyring: Keyring;
  const repository = (limits = { idleMs: 15 * MINUTE, maxMs: 600 * MINUTE }, ring = keyring) =>
    new AgentSessionRepository(db.client, keys, new FieldCipher(ring), limits);

  beforeAll(() => {
    keys = new RedisKeys(db.redis.prefix);
    keyring = Keyring.generate();
  });

  it('keeps the agent and the CSRF token encrypted, under a hash of the id, inside the key prefix', async () => {
    const id = newId();
    const identity = anna();
    const created = await repository().create(id, identity, 1_000);
    expect(created).toEqual({
      ...identity,
      createdAt: 1_000,
      lastSeenAt: 1_000,
      absoluteExpiresAt: 1_000 + 600 * MINUTE,
      expiresAt: 1_000 + 15 * MINUTE,
    });

    const [key] = await db.client.keys(`${db.redis.prefix}:agent-session:*`);
    expect(key).toBe(keys.agentSession(lookupDigest(id)));
    expect(key).not.toContain(id);
    const raw = JSON.stringify(await db.client.hgetall(key));
    for (const secret of ['Anna Agent', 'agent-anna', 'ciba-agent', identity.csrfToken, id]) expect(raw).not.toContain(secret);
    expect(await db.client.hget(key, 'agent')).toMatch(/^v1\./);
    await repository().delete(id);
  });

  it('reads back what it stored; another keyring, or a copy under another id, reads nothing', async () => {
    const id = newId();
    const identity = anna();
    await repository().create(id, identity);
    expect(await repository().peek(id)).toMatchObject(identity);
    expect(await repository(undefined, Keyring.generate()).peek(id)).toBeNull();

    const copy = newId();
    await db.client.copy(keys.agentSession(lookupDigest(id)), keys.agentSession(lookupDigest(copy)));
    expect(await repository().use(copy)).toBeNull();
    expect(await repository().peek(newId())).toBeNull();
  });

  it('a use slides the idle expiry; a peek does not', async () => {
    const sessions = repository({ idleMs: 60_000, maxMs: 600 * MINUTE });
    const id = newId();
    const start = Date.now();
    await sessions.create(id, anna(), start);
    const key = keys.agentSession(lookupDigest(id));
    await db.client.pexpire(key, 10_000); // as if 50 s had passed unused

    const peeked = await sessions.peek(id, start + 50_000);
    expect(peeked!.lastSeenAt).toBe(start);
    expect(await db.client.pttl(key)).toBeLessThanOrEqual(10_000);

    const used = await sessions.use(id, start + 50_000);
    expect(used).toMatchObject({ lastSeenAt: start + 50_000, expiresAt: start + 110_000, createdAt: start });
    expect(await db.client.pttl(key)).toBeGreaterThan(59_000);
  });

  it('an idle session is gone once its idle time has passed', async () => {
    const sessions = repository({ idleMs: 300, maxMs: 600 * MINUTE });
    const id = newId();
    await sessions.create(id, anna());
    expect(await sessions.use(id)).not.toBeNull();
    const deadline = Date.now() + 5_000;
    while ((await sessions.peek(id)) !== null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sessions.peek(id)).toBeNull();
    expect(await sessions.use(id)).toBeNull();
  });

  it('the absolute expiry never moves: use caps the TTL by it, and past it the session is deleted', async () => {
    const sessions = repository({ idleMs: 60_000, maxMs: 100_000 });
    const id = newId();
    const start = Date.now();
    await sessions.create(id, anna(), start);
    const key = keys.agentSession(lookupDigest(id));

    const late = await sessions.use(id, start + 90_000);
    expect(late).toMatchObject({ absoluteExpiresAt: start + 100_000, expiresAt: start + 100_000 });
    expect(await db.client.pttl(key)).toBeLessThanOrEqual(10_000);

    expect(await sessions.peek(id, start + 100_000)).toBeNull();
    expect(await sessions.use(id, start + 100_000)).toBeNull();
    expect(await db.client.exists(key)).toBe(0);
  });

  it('delete ends it at once', async () => {
    const sessions = repository();
    const id = newId();
    await sessions.create(id, anna());
    await sessions.delete(id);
    expect(await sessions.use(id)).toBeNull();
  });
});
