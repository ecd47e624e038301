import { classifyFailure, retryAfterSeconds, type ProviderFailure } from '../openid/provider-failure.js';

/**
 * Seed, backchannel endpoint: Plumery answers `invalid_request` for an unknown user and for a
 * user without a usable device, told apart only by `error_description`. Those are translated to
 * codes a consumer can act on: CIBA Core §13's `unknown_user_id` (→ 422 `customer_unknown`), and
 * two codes of ours (→ 422 `provider_rejected` with that `providerError`).
 */
const DESCRIBED_ERRORS: Record<string, string> = {
  'invalid user': 'unknown_user_id',
  'missing valid device': 'no_device',
  'missing valid device authentication': 'no_device_authentication',
};

/** A thrown openid-client error or fetch failure, in Plumery's terms. */
export async function classifyPlumeryFailure(error: unknown): Promise<ProviderFailure> {
  return translate((await challengeFailure(error)) ?? (await classifyFailure(error)));
}

function translate(failure: ProviderFailure): ProviderFailure {
  if (failure.kind !== 'oauth' || failure.error !== 'invalid_request' || !failure.description) return failure;
  const key = failure.description
    .trim()
    .replace(/[.!]+$/, '')
    .toLowerCase();
  const error = DESCRIBED_ERRORS[key];
  return error ? { ...failure, error } : failure;
}

interface ChallengeError {
  code?: string;
  status?: number;
  response?: unknown;
  cause?: unknown;
}

/**
 * RFC 6749 §5.2: a 401 for a client that used HTTP Basic carries `WWW-Authenticate`, and
 * oauth4webapi then throws a challenge error before it reads the body (the shared
 * `classifyFailure` would call that an invalid answer). The OAuth error body is read here; a 401
 * with a challenge and no usable body is `invalid_client`, as §5.2 defines it.
 */
async function challengeFailure(error: unknown): Promise<ProviderFailure | undefined> {
  const err = error as ChallengeError | undefined;
  if (err?.code !== 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' || !(err.response instanceof Response)) return undefined;
  const response = err.response;
  const retryAfter = retryAfterSeconds(response.headers);
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof body?.error === 'string' && body.error) {
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    return { kind: 'oauth', error: body.error, status: response.status, retryAfterSeconds: retryAfter, description };
  }
  const challenged = challengeParameterError(err.cause);
  if (challenged) return { kind: 'oauth', error: challenged, status: response.status, retryAfterSeconds: retryAfter };
  if (response.status === 401) return { kind: 'oauth', error: 'invalid_client', status: 401 };
  return { kind: 'http', status: response.status, retryAfterSeconds: retryAfter };
}

/** The `error` parameter of a parsed challenge (`Bearer error="invalid_token"` style). */
function challengeParameterError(challenges: unknown): string | undefined {
  if (!Array.isArray(challenges)) return undefined;
  for (const challenge of challenges as { parameters?: Record<string, unknown> }[]) {
    const error = challenge?.parameters?.error;
    if (typeof error === 'string' && /^[\x20-\x7e]{1,64}$/.test(error)) return error;
  }
  return undefined;
}
