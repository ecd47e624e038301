import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Keyring } from './keyring.js';
import { pooledRandomBytes } from './random-pool.js';

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM for secrets and personal data at rest. Envelope `v1.<kid>.<iv>.<ciphertext>.<tag>`
 * (base64url). The record id and field name are authenticated as AAD, so a value copied to
 * another record or field does not decrypt.
 */
export class FieldCipher {
  constructor(private readonly keyring: Keyring) {}

  encrypt(plaintext: string, recordId: string, field: string): string {
    const iv = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.key(this.keyring.writeKid)!, iv);
    cipher.setAAD(aad(recordId, field));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.keyring.writeKid, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
  }

  decrypt(envelope: string, recordId: string, field: string): string {
    const [version, kid, iv, ciphertext, tag] = envelope.split('.');
    if (version !== 'v1' || !kid || !iv || ciphertext === undefined || !tag) throw new DecryptionError('not an encrypted value');
    const key = this.keyring.key(kid);
    if (!key) throw new DecryptionError(`encryption key "${kid}" is no longer configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(recordId, field));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('the value does not authenticate (tampered, or stored under another record)');
    }
  }
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');
// NUL cannot occur in ids or field names, so the pair is unambiguous.
const aad = (recordId: string, field: string) => Buffer.from(`${recordId}\u0000${field}`, 'utf8');
