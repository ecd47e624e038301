import { DecryptionError, type FieldCipher } from './field-cipher.js';
import { lookupDigest } from './lookup-digest.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';

/** What the callback of one sign-in needs to finish it (RFC 9700 §2.1.1: PKCE, state, nonce). */
export interface ConsoleLogin {
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent in the authorization request; the token request must repeat it. */
  redirectUri: string;
}

const FIELD = 'login';

/**
 * Console sign-ins under way, by a SHA-256 of their `state`, encrypted and short-lived. Taking
 * one deletes it (GETDEL), so a callback URL works once, on one replica, even when replayed.
 */
export class ConsoleLoginRepository {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly cipher: FieldCipher,
  ) {}

  async save(state: string, login: ConsoleLogin, ttlMs: number): Promise<void> {
    const name = lookupDigest(state);
    await this.redis.set(this.keys.consoleLogin(name), this.cipher.encrypt(JSON.stringify(login), name, FIELD), 'PX', ttlMs);
  }

  /** The sign-in this state began, once; null when unknown, expired, already taken or unreadable. */
  async take(state: string): Promise<ConsoleLogin | null> {
    const name = lookupDigest(state);
    const sealed = await this.redis.getdel(this.keys.consoleLogin(name));
    if (!sealed) return null;
    try {
      return JSON.parse(this.cipher.decrypt(sealed, name, FIELD)) as ConsoleLogin;
    } catch (error) {
      if (error instanceof DecryptionError) return null;
      throw error;
    }
  }
}
