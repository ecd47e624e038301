import type { ProviderResponse } from '../http/form-post.js';
import { retryAfterSeconds, type ProviderFailure } from '../openid/provider-failure.js';

/** A provider error code we are willing to show a consumer as `providerError`. */
const SAFE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * OAuth 2.0 (RFC 6749 §5.2), CIBA Core §11 and §13 error codes. A problem document that names one
 * of these, in whatever spelling (`AUTHORIZATION-PENDING`, `.../problems/slow-down`), is read as
 * that error, so the CIBA rules (pending, slow down, denied, expired) apply to it.
 */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'expired_login_hint_token',
  'unknown_user_id',
  'missing_user_code',
  'invalid_user_code',
  'invalid_binding_message',
  'transaction_failed',
]);

/**
 * Reads a refusal from TBC: an OAuth JSON error (`{"error": ...}`) or an RFC 7807 problem document
 * (`type`, `title`, `status`, `detail`, maybe `code`), on any status. The problem's `detail` is
 * free text that may echo the customer or carry markup: it is never kept. An answer that is
 * neither is an `http` failure, judged by its status alone.
 */
export function readErrorBody(response: Pick<ProviderResponse, 'status' | 'headers' | 'json'>): ProviderFailure {
  const retryAfter = retryAfterSeconds(response.headers);
  const body = response.json;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (typeof record.error === 'string' && SAFE_CODE.test(record.error)) {
      const description = typeof record.error_description === 'string' ? record.error_description : undefined;
      return { kind: 'oauth', error: canonicalCode(record.error), status: response.status, retryAfterSeconds: retryAfter, description };
    }
    const problemCode = problemErrorCode(record, response.status);
    if (problemCode) return { kind: 'oauth', error: problemCode, status: response.status, retryAfterSeconds: retryAfter };
  }
  return { kind: 'http', status: response.status, retryAfterSeconds: retryAfter };
}

/**
 * The machine-readable code of a problem document: its `code`, else the last segment of its
 * `type` (`https://.../problems/invalid-user-code` → `invalid_user_code`), else a slug of its
 * `title` (constant per problem type, RFC 7807 §3.1), else `http_<status>`. Undefined when the body
 * is not a problem document at all.
 */
export function problemErrorCode(body: Record<string, unknown>, status: number): string | undefined {
  const isProblem = ['type', 'title', 'code'].some((member) => typeof body[member] === 'string');
  if (!isProblem) return undefined;
  const candidates = [body.code, typeSlug(body.type), slug(body.title)];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && SAFE_CODE.test(candidate)) return canonicalCode(candidate);
  }
  return `http_${status}`;
}

/** A known OAuth error in its standard spelling; any other code as the provider wrote it. */
export function canonicalCode(code: string): string {
  const folded = code.toLowerCase().replace(/[-.\s]/g, '_');
  return OAUTH_ERRORS.has(folded) ? folded : code;
}

function typeSlug(type: unknown): string | undefined {
  if (typeof type !== 'string' || type === 'about:blank') return undefined;
  const segments = type.split(/[/:#?]/).filter(Boolean);
  return segments.at(-1);
}

function slug(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const value = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return value.length > 0 && value.length <= 64 ? value : undefined;
}
