import { createHmac, timingSafeEqual } from 'node:crypto';

interface EventsTokenClaims {
  /** authentication id */
  a: string;
  /** consumer id */
  c: string;
  /** expiry, epoch seconds */
  e: number;
}

/**
 * The read-only token of `eventsUrl` (API.md §4): lets a browser `EventSource`, which cannot send
 * headers, follow one authentication. HMAC-signed and stateless, so every replica accepts it.
 */
export class EventsTokens {
  /** `keys[0]` signs; every key verifies (tokens issued before a key rotation stay valid). */
  constructor(private readonly keys: Buffer[]) {}

  issue(authenticationId: string, consumer: string, expiresAtMs: number): string {
    const payload = Buffer.from(JSON.stringify({ a: authenticationId, c: consumer, e: Math.ceil(expiresAtMs / 1000) })).toString(
      'base64url',
    );
    return `${payload}.${this.sign(payload)}`;
  }

  /** The consumer the token speaks for, if it is genuine, unexpired and for this authentication. */
  verify(token: string, authenticationId: string, now = Date.now()): string | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const given = Buffer.from(signature);
    const genuine = this.keys.some((key) => {
      const expected = Buffer.from(this.sign(payload, key));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!genuine) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as EventsTokenClaims;
      return claims.a === authenticationId && claims.e * 1000 > now ? claims.c : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string, key: Buffer = this.keys[0]): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }
}
