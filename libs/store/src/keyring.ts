import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/**
 * The keys of `CIBA_ENCRYPTION_KEY`: `base64` or `kid1:base64,kid2:base64`. The first key writes;
 * every key reads, so a key can be rotated in and the old one removed once its data has expired.
 */
export class Keyring {
  /** Derived sub-keys, computed once: HKDF on every keyed hash showed up in the start path. */
  private readonly derived = new Map<string, Buffer[]>();

  private constructor(
    readonly writeKid: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {}

  static parse(value: string): Keyring {
    const keys = new Map<string, Buffer>();
    const parts = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (parts.length === 0) throw new KeyringError('CIBA_ENCRYPTION_KEY is empty');
    for (const part of parts) {
      const separator = part.indexOf(':');
      const kid = separator > 0 ? part.slice(0, separator) : 'k0';
      const key = Buffer.from(separator > 0 ? part.slice(separator + 1) : part, 'base64');
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid))
        throw new KeyringError(`CIBA_ENCRYPTION_KEY: key id "${kid}" must be 1-32 letters, digits, "-" or "_"`);
      if (key.length !== 32)
        throw new KeyringError(`CIBA_ENCRYPTION_KEY: key "${kid}" must be 32 bytes, base64-encoded (it is ${key.length} bytes)`);
      if (keys.has(kid)) throw new KeyringError(`CIBA_ENCRYPTION_KEY: key id "${kid}" appears twice`);
      keys.set(kid, key);
    }
    return new Keyring(keys.keys().next().value as string, keys);
  }

  /** A fresh random keyring, for the sandbox only. */
  static generate(): Keyring {
    return Keyring.parse(randomBytes(32).toString('base64'));
  }

  key(kid: string): Buffer | undefined {
    return this.keys.get(kid);
  }

  /** A sub-key for another purpose (HKDF-SHA256 from the writing key), so one secret serves all. */
  derive(purpose: string): Buffer {
    return this.deriveAll(purpose)[0];
  }

  /** Keyed hash of an identifier (a customer, a token): correlatable, not reversible. */
  hmac(purpose: string, value: string): string {
    return createHmac('sha256', this.derive(purpose)).update(value).digest('base64url');
  }

  /** Sub-keys for a purpose under every key, the writing key first: what to accept during a rotation. */
  deriveAll(purpose: string): Buffer[] {
    let keys = this.derived.get(purpose);
    if (!keys) {
      // The writing key first (Map order: the first key parsed is the writing key).
      keys = [...this.keys.values()].map((key) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `ciba-bff/${purpose}`, 32)));
      this.derived.set(purpose, keys);
    }
    return keys;
  }

  /**
   * The keyed hash of a value under every key, the writing key first. Lookups and comparisons
   * accept any of them, so what was hashed before a key rotation is still found after it.
   */
  hmacs(purpose: string, value: string): string[] {
    return this.deriveAll(purpose).map((key) => createHmac('sha256', key).update(value).digest('base64url'));
  }
}
