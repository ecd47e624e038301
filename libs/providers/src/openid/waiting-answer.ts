import { answerHeader, type RawAnswer } from '../http/raw-answer.js';
import { retryAfterValue, type ProviderFailure } from './provider-failure.js';

/** CIBA Core §11: the two answers that mean "not yet"; nearly every poll gets one of them. */
const WAITING_ERRORS: ReadonlySet<string> = new Set(['authorization_pending', 'slow_down']);

const decoder = new TextDecoder();

/**
 * `authorization_pending` or `slow_down` read straight from the answer, with no exception built
 * on the way (oauth4webapi's `ResponseBodyError` cost a poll ~125 µs). Only answers that
 * oauth4webapi and `classifyFailure` provably read the same way are taken: HTTP 400 (RFC 6749
 * §5.2), no `WWW-Authenticate` challenge, a content type of exactly `application/json`, a JSON
 * object with that `error`. The failure is the one `classifyFailure` would make of it, so the
 * outcome is too. Any other answer is undefined here and goes the full way (`token-answer.ts`).
 */
export function waitingFailure(answer: RawAnswer): ProviderFailure | undefined {
  if (answer.status !== 400 || answer.headers['www-authenticate'] !== undefined) return undefined;
  if (answerHeader(answer, 'content-type')?.split(';')[0] !== 'application/json') return undefined;
  const body = parseObject(answer.body);
  const error = body?.error;
  if (typeof error !== 'string' || !WAITING_ERRORS.has(error)) return undefined;
  return {
    kind: 'oauth',
    error,
    status: answer.status,
    retryAfterSeconds: retryAfterValue(answerHeader(answer, 'retry-after')),
    description: typeof body!.error_description === 'string' ? body!.error_description : undefined,
  };
}

/** The body as a JSON object (decoded as `Response.json()` does), else undefined. */
function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
