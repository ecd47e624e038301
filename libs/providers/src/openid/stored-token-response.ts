import type { RawTokenResponse } from '@ciba/ciba';

/** RFC 6749 §5.1 and OIDC Core §3.1.3.3 members: what result building and the ID Token check read. */
const READ_MEMBERS = ['access_token', 'id_token', 'refresh_token', 'token_type', 'expires_in', 'scope'] as const;

/**
 * The token response as it waits (encrypted, in Redis) for its ID Token to be checked: only the
 * members the BFF reads, plus those a dialect reads in `verify` (`extra`). Anything else a
 * provider adds, large or personal, is dropped before it is stored.
 */
export function storedTokenResponse(response: Readonly<Record<string, unknown>>, extra: readonly string[] = []): RawTokenResponse {
  const stored: RawTokenResponse = {};
  for (const member of [...READ_MEMBERS, ...extra]) {
    if (response[member] !== undefined) stored[member] = response[member];
  }
  return stored;
}
