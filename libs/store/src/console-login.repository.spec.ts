import { randomBytes } from 'node:crypto';
import { useTestRedisClient } from '../../../test/support/test-redis.js';
import { ConsoleLoginRepository } from './console-login.repository.js';
import { FieldCipher } from './field-cipher.js';
import { Keyring } from './keyring.js';
import { lookupDigest } from './lookup-digest.js';
import { RedisKeys } from './redis-keys.js';

describe('console sign-ins under way (real Redis)', () => {
  const db = useTestRedisClient();
  let logins: ConsoleLoginRepository;
  let keys: RedisKeys;

  beforeAll(() => {
    keys = new RedisKeys(db.redis.prefix);
    logins = new ConsoleLoginRepository(db.client, keys, new FieldCipher(Keyring.generate()));
  });

  const login = () => ({
    nonce: randomBytes(16).toString('base64url'),
    codeVerifier: randomBytes(32).toString('base64url'),
    redirectUri: 'http://127.0.0.1:3000/console/callback',
  });

  it('is stored encrypted under a hash of the state, for the time given', async () => {
    const state = randomBytes(32).toString('base64url');
    const saved = login();
    await logins.save(state, saved, 600_000);
    const key = keys.consoleLogin(lookupDigest(state));
    const raw = await db.client.get(key);
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain(saved.codeVerifier);
    expect(key).not.toContain(state);
    expect(await db.client.pttl(key)).toBeGreaterThan(599_000);
  });

  it('is taken once', async () => {
    const state = randomBytes(32).toString('base64url');
    const saved = login();
    await logins.save(state, saved, 600_000);
    expect(await logins.take(state)).toEqual(saved);
    expect(await logins.take(state)).toBeNull();
    expect(await logins.take(randomBytes(32).toString('base64url'))).toBeNull();
  });
});
