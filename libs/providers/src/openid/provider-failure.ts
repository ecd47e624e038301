import { RESPONSE_TOO_LARGE } from '../http/response-too-large.error.js';

/** What went wrong talking to a provider, in terms the CIBA rules need (one vocabulary). */
export type ProviderFailure =
  /** The provider answered with an OAuth error body (any status; some send them with 5xx). */
  | { kind: 'oauth'; error: string; status: number; retryAfterSeconds?: number; description?: string }
  /** An HTTP status without a usable OAuth error body. */
  | { kind: 'http'; status: number; retryAfterSeconds?: number }
  /** The connection failed. `neverSent` is true only when the request provably did not leave. */
  | { kind: 'network'; neverSent: boolean; detail: string }
  | { kind: 'timeout' }
  /** The answer was longer than `maxResponseBytes`; reading stopped there. */
  | { kind: 'too_large'; limitBytes: number }
  /** An answer that is not what the protocol allows (wrong JSON, claims that fail checks, ...). */
  | { kind: 'invalid'; detail: string };

/** Connection errors raised before a single byte of the request was written. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Retry-After as seconds (delta-seconds or an HTTP-date), if present and sane. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  return retryAfterValue(headers?.get('retry-after') ?? undefined, now);
}

/** A Retry-After header's value as seconds (RFC 9110 §10.2.3), capped at an hour. */
export function retryAfterValue(header: string | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value), 3600);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, Math.ceil((date - now) / 1000)), 3600);
}

/**
 * The one place that reads openid-client / oauth4webapi errors and fetch failures (as
 * openid-client's own `errorHandler` does for third-party errors).
 */
export async function classifyFailure(error: unknown): Promise<ProviderFailure> {
  const err = error as {
    name?: string;
    code?: string;
    cause?: unknown;
    error?: unknown;
    status?: number;
    response?: Response;
    error_description?: unknown;
  };
  if (err?.code === 'OAUTH_RESPONSE_BODY_ERROR' && typeof err.error === 'string') {
    return {
      kind: 'oauth',
      error: err.error,
      status: err.status ?? 400,
      retryAfterSeconds: retryAfterSeconds(err.response?.headers),
      description: typeof err.error_description === 'string' ? err.error_description : undefined,
    };
  }
  const tooLarge = responseTooLarge(error);
  if (tooLarge) return tooLarge;
  if (err?.code === 'OAUTH_TIMEOUT' || err?.name === 'TimeoutError') return { kind: 'timeout' };
  // RFC 6749 §5.2: a 401 after failed client authentication carries WWW-Authenticate;
  // openid-client raises a challenge error for it, but the body still holds the OAuth error.
  if (err?.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' && err.response instanceof Response) {
    const failure = await fromResponse(err.response);
    const challenged = (err.cause as { parameters?: { error?: unknown } }[] | undefined)?.find(
      (c) => typeof c.parameters?.error === 'string',
    );
    if (failure.kind === 'http' && challenged)
      return { kind: 'oauth', error: String(challenged.parameters!.error), status: failure.status };
    return failure;
  }
  if ((err?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err?.code === 'OAUTH_RESPONSE_IS_NOT_JSON') && err.cause instanceof Response) {
    return fromResponse(err.cause);
  }
  const network = fetchFailure(error);
  if (network) {
    const cause = (network as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? '';
    return { kind: 'network', neverSent: NEVER_SENT_CODES.has(code), detail: code || cause?.message || network.message };
  }
  const message = error instanceof Error ? `${err.code ?? error.name}: ${error.message}` : 'unknown error';
  return { kind: 'invalid', detail: message };
}

/** An unexpected status: read an OAuth error body if there is one (Plumery sends them with 500). */
async function fromResponse(response: Response): Promise<ProviderFailure> {
  const retryAfter = retryAfterSeconds(response.headers);
  try {
    const body = (await response.clone().json()) as { error?: unknown; error_description?: unknown };
    if (typeof body?.error === 'string' && body.error) {
      const description = typeof body.error_description === 'string' ? body.error_description : undefined;
      return { kind: 'oauth', error: body.error, status: response.status, retryAfterSeconds: retryAfter, description };
    }
  } catch {
    // not JSON: fall through
  }
  if (response.status >= 200 && response.status < 300) return { kind: 'invalid', detail: `unexpected body with status ${response.status}` };
  return { kind: 'http', status: response.status, retryAfterSeconds: retryAfter };
}

/**
 * Our capped fetch's refusal (`ResponseTooLargeError`), thrown as is by `postForm` and wrapped
 * once by openid-client (which does not know the error). Matched by code, as the vocabulary says.
 */
function responseTooLarge(error: unknown): ProviderFailure | undefined {
  for (const candidate of [error, (error as { cause?: unknown } | undefined)?.cause]) {
    const found = candidate as { code?: unknown; limitBytes?: unknown } | undefined;
    if (found?.code === RESPONSE_TOO_LARGE) return { kind: 'too_large', limitBytes: Number(found.limitBytes) };
  }
  return undefined;
}

/**
 * fetch's own failure ("fetch failed", with the socket error as cause), possibly wrapped once by
 * openid-client. Matched by name, not instanceof: under vm contexts (Jest) it comes from another
 * realm, and openid-client then wraps it in a ClientError (without a code). A coded error's
 * TypeError cause is not a fetch failure: oauth4webapi's `OAUTH_PARSE_ERROR` for a JWT that is
 * not base64url carries one (the token path calls oauth4webapi directly, see `token-answer.ts`).
 */
function fetchFailure(error: unknown): Error | undefined {
  const isTypeError = (value: unknown): value is Error =>
    typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'TypeError';
  if (isTypeError(error)) return error;
  const wrapper = error as { cause?: unknown; code?: unknown } | undefined;
  return wrapper?.code === undefined && isTypeError(wrapper?.cause) ? wrapper.cause : undefined;
}

/**
 * The issuer a discovery document names when it is not the one configured (oauth4webapi checks
 * it, OpenID Connect Discovery §4.3): our configuration is wrong, not the provider's answer.
 */
export function issuerMismatch(error: unknown): { expected: string; discovered: string } | undefined {
  const err = error as { code?: unknown; cause?: { attribute?: unknown; expected?: unknown; body?: { issuer?: unknown } } } | undefined;
  if (err?.code !== 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || err.cause?.attribute !== 'issuer') return undefined;
  return { expected: String(err.cause.expected), discovered: String(err.cause.body?.issuer) };
}

/** A failure in words an operator can act on (logs and readiness; never shown to consumers). */
export function describeFailure(failure: ProviderFailure): string {
  switch (failure.kind) {
    case 'oauth':
      return `HTTP ${failure.status} with OAuth error ${failure.error}`;
    case 'http':
      return `HTTP ${failure.status}`;
    case 'network':
      return `connection failed (${failure.detail})`;
    case 'timeout':
      return 'no answer in time (httpTimeoutSeconds)';
    case 'too_large':
      return `an answer larger than ${failure.limitBytes} bytes (maxResponseBytes)`;
    case 'invalid':
      return `an invalid answer (${failure.detail})`;
  }
}
