import type { RawTokenResponse } from '@ciba/ciba';
import { numeric, tokenLifetimeSeconds } from './tbc-units.js';

/** Members that, when present, must be strings for the answer to be a token response at all. */
const STRING_MEMBERS = ['access_token', 'id_token', 'refresh_token', 'token_type'] as const;

/**
 * TBC's token answer, read tolerantly where openid-client rightly refuses it (RFC 6749 §5.1 wants
 * `access_token` and a registered `token_type`): the first step's answer may carry an ID Token
 * and no access token, and TBC names its tokens `BearerToken` with lifetimes in milliseconds.
 * Every member is kept as sent except:
 * - `token_type` `BearerToken` (any case) becomes `Bearer`, the RFC 6750 name consumers expect;
 * - `expires_in` becomes seconds (see `tokenLifetimeSeconds`), a numeric string a number, and a
 *   non-numeric one is dropped;
 * - `scope` given as an array of strings becomes the space-separated string.
 * Returns undefined when the body is not a token response (not an object, a token not a string,
 * or neither an ID Token nor an access token).
 */
export function readTokenResponse(body: unknown): RawTokenResponse | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const tokens: RawTokenResponse = { ...(body as Record<string, unknown>) };
  if (STRING_MEMBERS.some((member) => tokens[member] !== undefined && typeof tokens[member] !== 'string')) return undefined;
  if (tokens.id_token === undefined && tokens.access_token === undefined) return undefined;

  if (typeof tokens.token_type === 'string' && /^bearer(token)?$/i.test(tokens.token_type)) tokens.token_type = 'Bearer';
  const expiresIn = numeric(tokens.expires_in);
  if (expiresIn !== undefined && expiresIn > 0) tokens.expires_in = tokenLifetimeSeconds(expiresIn, tokens.issued_at);
  else delete tokens.expires_in;
  const scope: unknown = tokens.scope;
  if (Array.isArray(scope) && scope.every((item) => typeof item === 'string')) tokens.scope = scope.join(' ');
  else if (scope !== undefined && typeof scope !== 'string') delete tokens.scope;
  return tokens;
}
