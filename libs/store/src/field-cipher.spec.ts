import { randomBytes } from 'node:crypto';
import { DecryptionError, FieldCipher } from './field-cipher.js';
import { Keyring, KeyringError } from './keyring.js';

const key = () => randomBytes(32).toString('base64');

describe(FieldCipher.name, () => {
  const keyring = Keyring.parse(key());
  const sut = new FieldCipher(keyring);

  it('round-trips, and the same plaintext twice gives different ciphertexts', () => {
    const a = sut.encrypt('01001011111', 'auth1', 'customer');
    const b = sut.encrypt('01001011111', 'auth1', 'customer');
    expect(a).not.toBe(b);
    expect(a).not.toContain('01001011111');
    expect(sut.decrypt(a, 'auth1', 'customer')).toBe('01001011111');
  });

  it('refuses a value moved to another record or field', () => {
    const value = sut.encrypt('secret', 'auth1', 'authReqId');
    expect(() => sut.decrypt(value, 'auth2', 'authReqId')).toThrow(DecryptionError);
    expect(() => sut.decrypt(value, 'auth1', 'customer')).toThrow(DecryptionError);
  });

  it('refuses a flipped bit', () => {
    const parts = sut.encrypt('secret', 'auth1', 'f').split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64url');
    expect(() => sut.decrypt(parts.join('.'), 'auth1', 'f')).toThrow(DecryptionError);
  });

  it('reads data under an old key while it is in the keyring, and says so once it is gone', () => {
    const oldKey = key();
    const before = new FieldCipher(Keyring.parse(`old:${oldKey}`)).encrypt('x', 'r', 'f');
    const rotated = new FieldCipher(Keyring.parse(`new:${key()},old:${oldKey}`));
    expect(rotated.decrypt(before, 'r', 'f')).toBe('x');
    expect(rotated.encrypt('y', 'r', 'f').split('.')[1]).toBe('new');
    expect(() => new FieldCipher(Keyring.parse(`new:${key()}`)).decrypt(before, 'r', 'f')).toThrow(/"old" is no longer configured/);
  });

  it('rejects keys of the wrong size with a message that names the key', () => {
    expect(() => Keyring.parse(`k1:${randomBytes(16).toString('base64')}`)).toThrow(KeyringError);
    expect(() => Keyring.parse(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/key "k1" must be 32 bytes/);
  });
});

describe('Keyring keyed hashes across a rotation', () => {
  it('hashes with the writing key, and recognises hashes made under an older key', () => {
    const oldKey = randomBytes(32).toString('base64');
    const before = Keyring.parse(`old:${oldKey}`);
    const after = Keyring.parse(`new:${randomBytes(32).toString('base64')},old:${oldKey}`);
    const stored = before.hmac('notification', 'req-1');
    expect(after.hmac('notification', 'req-1')).not.toBe(stored);
    expect(after.hmacs('notification', 'req-1')).toEqual([after.hmac('notification', 'req-1'), stored]);
    expect(after.deriveAll('events-token')[1]).toEqual(before.derive('events-token'));
  });
});
