import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const kRequestId = Symbol('requestId');

/** A request id for logs and 5xx answers; a caller's `X-Request-Id` is kept only if it is safe. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  (request as unknown as Record<symbol, string>)[kRequestId] = id;
  response.setHeader('X-Request-Id', id);
  next();
}

export const requestIdOf = (request: Request): string => (request as unknown as Record<symbol, string>)[kRequestId] ?? 'unknown';
