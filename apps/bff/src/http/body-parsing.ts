import { CibaError, ErrorCode } from '@ciba/ciba';
import express, { type NextFunction, type Request, type Response } from 'express';

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPES = ['application/json', 'application/*+json'];

const FORM_TYPE = 'application/x-www-form-urlencoded';
/**
 * The one route that takes an HTML form: the console's sign-out, a plain `<form method=post>`
 * so it works without script (its CSRF token is a form field). Nothing else accepts a form,
 * so no other route can be reached by a cross-site form post, which needs no CORS preflight.
 */
const FORM_ROUTES: ReadonlySet<string> = new Set(['POST /console/logout']);
const MAX_FORM_BYTES = 4 * 1024;

/** A small flat form (no nested keys: `extended: false`). */
const formBody = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: 10, type: FORM_TYPE });

/** Bodies must be JSON: anything else that carries a body is a 415 (API.md §4), a form on FORM_ROUTES excepted. */
export function requireJson(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !request.is(JSON_TYPES)) {
    if (request.is(FORM_TYPE) && FORM_ROUTES.has(`${request.method} ${request.path}`)) {
      formBody(request, response, next);
      return;
    }
    next(new CibaError(ErrorCode.UnsupportedMediaType, 'Send the body as application/json.'));
    return;
  }
  next();
}

/** JSON up to 64 KiB; only objects at the top level (`strict`). */
export const jsonBody = express.json({ limit: MAX_BODY_BYTES, strict: true, type: JSON_TYPES });

/** body-parser's errors in our vocabulary (they happen before any route runs). */
export function bodyErrorToCibaError(error: unknown): unknown {
  const type = (error as { type?: string })?.type;
  if (type === 'entity.too.large')
    return new CibaError(ErrorCode.PayloadTooLarge, `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
  if (type === 'entity.parse.failed') return new CibaError(ErrorCode.InvalidRequest, 'The request body is not valid JSON.');
  if (type === 'parameters.too.many') return new CibaError(ErrorCode.InvalidRequest, 'The form has more fields than the sign-out takes.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new CibaError(ErrorCode.UnsupportedMediaType, 'Send the body as UTF-8 JSON.');
  }
  return error;
}
