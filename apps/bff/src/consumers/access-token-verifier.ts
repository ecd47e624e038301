import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { Logger } from 'pino';
import { IssuerKeySet } from './issuer-key-set.js';

/** Asymmetric JWS algorithms only (API.md §7): never `none`, never an HMAC keyed with a public key. */
export const ACCESS_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** RFC 9068 §2.1 names `at+jwt`; many workforce providers still send `JWT` or nothing. Any other type is not an access token. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt']);
const CLOCK_TOLERANCE_SECONDS = 10;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Consumers that authenticate with JWT access tokens from the bank's identity provider (RFC 9068,
 * API.md §7): the token's issuer picks the candidate consumers, jose verifies signature, `iss`,
 * `aud` and `exp` (required), and the token's `client_id` (or `sub` without one) must be one of the
 * consumer's subjects. Every failure is the same "no consumer" (one 401 for all); why is logged at
 * debug, never the token.
 */
export class AccessTokenVerifier {
  private readonly byIssuer = new Map<string, { consumer: ConsumerConfig; keys: IssuerKeySet }[]>();

  constructor(
    config: CibaConfig,
    private readonly logger?: Logger,
  ) {
    for (const consumer of config.consumers.values()) {
      if (!consumer.jwt) continue;
      const candidates = this.byIssuer.get(consumer.jwt.issuer) ?? [];
      candidates.push({ consumer, keys: new IssuerKeySet(consumer.jwt) });
      this.byIssuer.set(consumer.jwt.issuer, candidates);
    }
  }

  /** Whether any consumer takes access tokens (else a Bearer value is only ever an API key). */
  get enabled(): boolean {
    return this.byIssuer.size > 0;
  }

  /** Whether a Bearer value is shaped like a JWS compact serialisation. */
  static looksLikeJwt(value: string): boolean {
    return JWT_SHAPE.test(value);
  }

  /** The consumer this access token was issued to, or null. */
  async consumerOf(token: string): Promise<ConsumerConfig | null> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return null;
    }
    for (const { consumer, keys } of (typeof issuer === 'string' && this.byIssuer.get(issuer)) || []) {
      const jwt = consumer.jwt!;
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keys.getKey, {
          issuer: jwt.issuer,
          audience: jwt.audience,
          algorithms: ACCESS_TOKEN_ALGORITHMS,
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        if (protectedHeader.typ !== undefined && !ACCESS_TOKEN_TYPES.has(protectedHeader.typ.toLowerCase())) continue;
        if (jwt.subjects.includes(subjectOf(payload))) return consumer;
      } catch (error) {
        this.logger?.debug(
          { consumer: consumer.id, reason: (error as { code?: string }).code ?? (error as Error).message },
          'access token refused',
        );
      }
    }
    return null;
  }
}

/** RFC 9068 §2.2: `client_id` names the client; without it, `sub` (a client-credentials token's). */
function subjectOf(payload: JWTPayload): string {
  const clientId = payload.client_id;
  return typeof clientId === 'string' ? clientId : (payload.sub ?? '');
}
