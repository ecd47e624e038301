import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { maskText } from '../logging/log-text-masker.js';
import { requestContext } from '../logging/request-context.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const kRequestId = Symbol('requestId');

/** A request id for logs and 5xx answers; a caller's `X-Request-Id` is kept only if it is safe. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : freshRequestId();
  (request as unknown as Record<symbol, string>)[kRequestId] = id;
  response.setHeader('X-Request-Id', id);
  // The socket's address, not X-Forwarded-For: a header anyone can set is no audit source.
  requestContext.run({ requestId: id, source: request.socket.remoteAddress ?? 'unknown' }, next);
}

/**
 * A new request id that the log masker leaves as it is. A few UUIDs in a hundred have hex groups
 * of digits only, which together read as 8 or more digits: the masker takes that for a personal
 * number, and the logs would no longer carry the id the caller got in X-Request-Id. Such ids are
 * drawn again.
 */
export function freshRequestId(): string {
  for (;;) {
    const id = randomUUID();
    if (maskText(id) === id) return id;
  }
}

export const requestIdOf = (request: Request): string => (request as unknown as Record<symbol, string>)[kRequestId] ?? 'unknown';
