import { Redis } from 'ioredis';
import type { Stack } from '../support/bff-stack.js';
import { readSse, type SseEvent } from '../support/sse-reader.js';

/**
 * API.md §4's table of error codes and their HTTP status, restated here on purpose: the attacks
 * check the product against the contract, not against the product's own table.
 */
export const CONTRACT_CODES: Readonly<Record<string, number>> = {
  invalid_request: 400,
  callback_not_allowed: 400,
  unauthorized: 401,
  provider_not_allowed: 403,
  not_found: 404,
  unknown_provider: 404,
  idempotency_conflict: 409,
  invalid_state: 409,
  pending_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  provider_rejected: 422,
  customer_unknown: 422,
  invalid_user_code: 422,
  rate_limited: 429,
  customer_rate_limited: 429,
  enumeration_guard: 429,
  provider_invalid_response: 502,
  provider_unavailable: 503,
  store_unavailable: 503,
  internal_error: 500,
};

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any> | null;
}

/** An RFC 9457 problem document with one of the expected codes, at the status the table gives it. */
export function expectProblem(answer: Answer, codes: string | string[]): void {
  const allowed = typeof codes === 'string' ? [codes] : codes;
  const code = String(answer.body?.code);
  const expected = allowed.includes(code) ? code : allowed.join(' | ');
  // One comparison, so a failure shows the whole answer next to what the contract wants.
  expect({ status: answer.status, contentType: answer.headers.get('content-type'), code, body: answer.body }).toEqual({
    status: CONTRACT_CODES[allowed.includes(code) ? code : allowed[0]],
    contentType: expect.stringMatching(/^application\/problem\+json/),
    code: expected,
    body: expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
      status: answer.status,
    }),
  });
}

/** The body without what legitimately differs between two answers. */
export const sansRequestId = (body: Record<string, any> | null) => ({ ...body, requestId: undefined });

/** Header names that must match between two answers that must look the same. */
export const headerNames = (headers: Headers) =>
  [...headers.keys()].filter((name) => !['date', 'x-request-id', 'content-length', 'etag'].includes(name)).sort();

/** Opens an events stream, takes its first event and hangs up. */
export async function firstEvent(url: string, init: RequestInit = {}): Promise<{ status: number; event?: SseEvent }> {
  const aborter = new AbortController();
  let resolveFirst!: (event: SseEvent) => void;
  const first = new Promise<SseEvent>((resolve) => (resolveFirst = resolve));
  const stream = await readSse(url, { ...init, signal: aborter.signal }, resolveFirst);
  if (stream.status !== 200) {
    aborter.abort();
    return { status: stream.status };
  }
  const event = await Promise.race([first, stream.ended.then(() => undefined)]);
  aborter.abort();
  await stream.ended;
  return { status: stream.status, event };
}

/** The store's keys that hold requests (records, idempotency entries, pending locks), sorted. */
export async function storedRequestKeys(stack: Stack): Promise<string[]> {
  const redis = new Redis(stack.redis.url);
  try {
    const keys: string[] = [];
    for (const kind of ['auth', 'idem', 'pending']) {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${stack.redis.prefix}:${kind}:*`, 'COUNT', 500);
        keys.push(...found);
        cursor = next;
      } while (cursor !== '0');
    }
    return keys.sort();
  } finally {
    redis.disconnect();
  }
}

/**
 * fetch, and the body as JSON. A stream that opens (it should not, in these tests) is hung up at
 * once and reported with a null body, so a leak fails the test instead of hanging it.
 */
export async function answerOf(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, body: null };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}
