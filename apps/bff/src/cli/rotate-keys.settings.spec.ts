import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, readEnvironment } from '@ciba/config';
import { KeyringError } from '@ciba/store';
import { rotateKeysSettings } from './rotate-keys.settings.js';

const NEW = randomBytes(32).toString('base64');
const OLD = randomBytes(32).toString('base64');

const tempDirs: string[] = [];
afterAll(() => tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function configFile(keyPrefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ciba-rotate-'));
  tempDirs.push(dir);
  const file = join(dir, 'config.json');
  const provider = { issuer: 'https://op.example', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 's' } };
  writeFileSync(file, JSON.stringify({ providers: { sandbox: provider }, storage: { keyPrefix } }));
  return file;
}

describe('rotateKeysSettings', () => {
  it('reads the key prefix from CIBA_CONFIG and splits the keys: the first writes, the others are former', () => {
    const settings = rotateKeysSettings(
      readEnvironment({ CIBA_CONFIG: configFile('{prod}'), REDIS_URL: 'redis://127.0.0.1:6390', CIBA_ENCRYPTION_KEY: `k2:${NEW},${OLD}` }),
    );
    expect(settings.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(settings.keys.authentication('X')).toBe('{prod}:auth:X');
    expect(settings.keyring.writeKid).toBe('k2');
    expect(settings.keyring.key('k0')).toEqual(Buffer.from(OLD, 'base64'));
    expect(settings.formerKeys.map((keyring) => keyring.writeKid)).toEqual(['k0']);
  });

  it('uses the shipped configuration (prefix {ciba}) without CIBA_CONFIG, as the BFF does', () => {
    const settings = rotateKeysSettings(readEnvironment({ REDIS_URL: 'redis://127.0.0.1:6390', CIBA_ENCRYPTION_KEY: NEW }));
    expect(settings.keys.authentication('X')).toBe('{ciba}:auth:X');
    expect(settings.formerKeys).toEqual([]);
  });

  it('requires REDIS_URL and CIBA_ENCRYPTION_KEY: no embedded Redis, no generated key', () => {
    const attempt = () => rotateKeysSettings(readEnvironment({}));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REDIS_URL: required[\s\S]*CIBA_ENCRYPTION_KEY: required/);
  });

  it('refuses a bad key with the BFF’s own message, which never shows the key', () => {
    const short = randomBytes(16).toString('base64');
    const attempt = () =>
      rotateKeysSettings(readEnvironment({ REDIS_URL: 'redis://127.0.0.1:6390', CIBA_ENCRYPTION_KEY: `new:${NEW},old:${short}` }));
    expect(attempt).toThrow(KeyringError);
    expect(attempt).toThrow('key "old" must be 32 bytes');
    expect(attempt).not.toThrow(short);
  });
});
