import type { HeaderObject, ReferenceObject } from '@nestjs/swagger';

const integer = { type: 'integer', minimum: 0 } as const;

/** The response headers of API.md §4 and §6, as `components.headers` of the document (by header name). */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      "This request's id, in the logs and in a 500's detail: the caller's own `X-Request-Id` when it is 1-64 letters, digits, " +
      '`.`, `_` or `-`, else a new UUID.',
    schema: { type: 'string' },
  },
  'RateLimit-Limit': {
    description:
      "This consumer's requests per minute: every authenticated `/v1` request counts, across replicas. Absent when the count " +
      'could not be written (Redis refusing writes) on a request that only reads, which goes on uncounted.',
    schema: integer,
  },
  'RateLimit-Remaining': { description: 'Requests left in the current minute.', schema: integer },
  'RateLimit-Reset': { description: 'Seconds until the current minute ends.', schema: integer },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: integer },
  Location: {
    description: 'The new authentication, as a path: `/v1/authentications/{id}`.',
    schema: { type: 'string', example: '/v1/authentications/01JD6V6R3C9T1X3J8N4W2Q5K7M' },
  },
  'WWW-Authenticate': {
    description: 'The scheme to authenticate with: `Bearer` (the queue dashboard: `Basic realm="ciba-bff admin", charset="UTF-8"`).',
    schema: { type: 'string', example: 'Bearer' },
  },
} satisfies Record<string, HeaderObject>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

const RATE_LIMIT_HEADERS: ResponseHeader[] = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
/** Answered before the request is counted: no key (401), or a body the parser refused (413, 415). */
const UNCOUNTED = [401, 413, 415];

/** References to the headers named, for a response object. */
export function headerRefs(names: readonly ResponseHeader[]): Record<string, ReferenceObject> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/**
 * The headers of an answer. Every answer has a request id; every authenticated `/v1` answer has the
 * rate-limit headers once counted; 429 and 503 say when to come back.
 */
export function answerHeaders(
  status: number,
  options: { rateLimited: boolean; extra?: readonly ResponseHeader[] },
): Record<string, ReferenceObject> {
  const names: ResponseHeader[] = ['X-Request-Id'];
  if (options.rateLimited && !UNCOUNTED.includes(status)) names.push(...RATE_LIMIT_HEADERS);
  if (status === 401) names.push('WWW-Authenticate');
  if (status === 429 || status === 503) names.push('Retry-After');
  return headerRefs([...names, ...(options.extra ?? [])]);
}
