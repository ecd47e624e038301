import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { bindAuthentication, currentRequest } from '../logging/request-context.js';

/** A route about one authentication: its id names the request's log context from the start. */
const AUTHENTICATION_PATH = /^\/v1\/authentications\/([0-9A-HJKMNP-TV-Z]{26})(?:\/|$)/;
/** Probes and scrapes arrive every few seconds from every replica: logged at debug only. */
const QUIET_PATH = /^\/(?:health\/|metrics$)/;
const MAX_PATH = 200;

/**
 * One line per HTTP request when its response ends: method, path (never the query string, which
 * may hold an events token), status, duration, the consumer when known, and (through the request
 * context) the request id and the authentication concerned. Registered after the request-id
 * middleware, so the context exists.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // Read now: a mounted sub-application (the queue dashboard) strips its prefix from `path` later.
    const path = request.path;
    const id = AUTHENTICATION_PATH.exec(path)?.[1];
    if (id) bindAuthentication(id);
    // The response may end outside this request's async context: keep a reference to it.
    const context = currentRequest();
    response.once('close', () => {
      const line = {
        event: 'http.request',
        requestId: context?.requestId,
        authenticationId: context?.authenticationId,
        method: request.method,
        path: path.slice(0, MAX_PATH),
        status: response.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        consumer: (request as Request & { consumer?: { id: string } }).consumer?.id,
        // The client went away before the whole answer was sent (a closed event stream, say).
        aborted: response.writableFinished ? undefined : true,
      };
      if (QUIET_PATH.test(path)) logger.debug(line, 'http request');
      else logger.info(line, 'http request');
    });
    next();
  };
}
