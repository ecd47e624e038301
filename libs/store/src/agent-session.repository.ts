import { DecryptionError, type FieldCipher } from './field-cipher.js';
import { lookupDigest } from './lookup-digest.js';
import type { RedisConnection } from './redis-clients.js';
import type { RedisKeys } from './redis-keys.js';
import { USE_SESSION } from './agent-session.scripts.js';

/** Who signed in, and the token their page must echo on every state-changing call. */
export interface AgentSessionIdentity {
  subject: string;
  name: string;
  roles: string[];
  supervisor: boolean;
  csrfToken: string;
}

/** A live console session (API.md §7). Times are epoch milliseconds. */
export interface AgentSession extends AgentSessionIdentity {
  createdAt: number;
  /** Sign-in + `sessionMaxHours`: never moves. */
  absoluteExpiresAt: number;
  /** The last use that slid the idle expiry. */
  lastSeenAt: number;
  /** The earlier of the idle and the absolute expiry. */
  expiresAt: number;
}

export interface SessionLimits {
  /** Ends a session unused this long (`sessionIdleMinutes`). */
  idleMs: number;
  /** Ends a session this long after sign-in, however busy (`sessionMaxHours`). */
  maxMs: number;
}

/** The one hash field that is encrypted: everything about the agent, and the CSRF token. */
const SEALED = 'agent';

/**
 * Branch agents' console sessions in Redis: one hash per session under a SHA-256 of its id, the
 * agent and the CSRF token encrypted with the field cipher (bound to that hash name, so a value
 * copied to another session does not open), the times in clear for the expiry script. Redis
 * forgets an idle session by itself (its TTL is the idle limit, slid on every use, capped by
 * the absolute expiry).
 */
export class AgentSessionRepository {
  private readonly idleMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly cipher: FieldCipher,
    limits: SessionLimits,
  ) {
    // PEXPIRE takes whole milliseconds.
    this.idleMs = Math.max(1, Math.round(limits.idleMs));
    this.maxMs = Math.max(1, Math.round(limits.maxMs));
  }

  async create(sessionId: string, identity: AgentSessionIdentity, now = Date.now()): Promise<AgentSession> {
    const name = lookupDigest(sessionId);
    const key = this.keys.agentSession(name);
    const absoluteExpiresAt = now + this.maxMs;
    await this.redis
      .multi()
      .hset(key, {
        [SEALED]: this.cipher.encrypt(JSON.stringify(identity), name, SEALED),
        createdAt: now,
        absoluteExpiresAt,
        lastSeenAt: now,
      })
      .pexpire(key, Math.min(this.idleMs, this.maxMs))
      .exec()
      .then(throwFirstError);
    return this.session(identity, now, absoluteExpiresAt, now);
  }

  /** The session, its idle expiry slid from now; null when it is gone or past its absolute expiry. */
  async use(sessionId: string, now = Date.now()): Promise<AgentSession | null> {
    const name = lookupDigest(sessionId);
    const reply = (await USE_SESSION.run(this.redis, 1, this.keys.agentSession(name), now, this.idleMs)) as string[] | null;
    return reply ? this.decode(name, pairs(reply)) : null;
  }

  /** The session without counting as a use (a page asking how long it has left must not extend it). */
  async peek(sessionId: string, now = Date.now()): Promise<AgentSession | null> {
    const name = lookupDigest(sessionId);
    const session = this.decode(name, await this.redis.hgetall(this.keys.agentSession(name)));
    return session && session.absoluteExpiresAt > now ? session : null;
  }

  async delete(sessionId: string): Promise<void> {
    await this.redis.del(this.keys.agentSession(lookupDigest(sessionId)));
  }

  private decode(name: string, hash: Record<string, string>): AgentSession | null {
    if (!hash[SEALED]) return null;
    let identity: AgentSessionIdentity;
    try {
      identity = JSON.parse(this.cipher.decrypt(hash[SEALED], name, SEALED)) as AgentSessionIdentity;
    } catch (error) {
      // A key removed from CIBA_ENCRYPTION_KEY, or a tampered value: the agent signs in again.
      if (error instanceof DecryptionError) return null;
      throw error;
    }
    return this.session(identity, Number(hash.createdAt), Number(hash.absoluteExpiresAt), Number(hash.lastSeenAt));
  }

  private session(identity: AgentSessionIdentity, createdAt: number, absoluteExpiresAt: number, lastSeenAt: number): AgentSession {
    const expiresAt = Math.min(lastSeenAt + this.idleMs, absoluteExpiresAt);
    return { ...identity, createdAt, absoluteExpiresAt, lastSeenAt, expiresAt };
  }
}

/** HGETALL as a script returns it: a flat list of field, value. */
function pairs(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]] = flat[i + 1];
  return hash;
}

/** A command that failed inside an executed MULTI is reported in its result, not thrown. */
function throwFirstError(results: [Error | null, unknown][] | null): void {
  const error = results?.find(([failure]) => failure)?.[0];
  if (error) throw error;
}
