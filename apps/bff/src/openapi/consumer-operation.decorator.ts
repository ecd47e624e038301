import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { ApiProblems } from './api-responses.decorators.js';
import { CONSOLE_SESSION, CSRF_HEADER_PARAMETER } from './console-session.js';

/** Any authenticated `/v1` route: the key or token, the consumer's rate limit, the store, the unexpected. */
const EVERY_CONSUMER_ROUTE: readonly ErrorCode[] = [
  ErrorCode.Unauthorized,
  ErrorCode.RateLimited,
  ErrorCode.StoreUnavailable,
  ErrorCode.InternalError,
];

/** Any route that takes a JSON body: the body parser refuses before the route runs (see `http/body-parsing.ts`). */
const EVERY_BODY: readonly ErrorCode[] = [ErrorCode.InvalidRequest, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType];

/**
 * What the console's session cookie adds to a route (API.md §7, `consumers/api-key.guard.ts`): an
 * ended session on every one; the CSRF token and `Origin` check on those that change state.
 */
const SESSION_PROBLEMS: Record<ConsoleSessionUse, readonly ErrorCode[]> = {
  read: [ErrorCode.SessionExpired],
  change: [ErrorCode.SessionExpired, ErrorCode.CsrfFailed],
};

/** How a route takes the console's session cookie: `read` for GET and HEAD, `change` for anything else (CSRF-checked). */
export type ConsoleSessionUse = 'read' | 'change';

export interface ConsumerOperationOptions {
  /** Stable: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  /** The codes this route answers besides those every consumer route (and every body) can. */
  problems: readonly ErrorCode[];
  takesBody?: boolean;
  /**
   * Set on the routes whose guard also takes a branch agent's session cookie instead of a Bearer
   * value (the `ApiKeyGuard` ones); it must agree with the guard's own test (`GET`/`HEAD` read).
   */
  session?: ConsoleSessionUse;
}

/**
 * An operation of the consumer API (API.md §4) with every problem it can answer, and how it is
 * authenticated: the Bearer value, or either that or the console session (separate requirements:
 * one of them suffices). A route with another way in adds its own `ApiSecurity` after this one.
 */
export function ConsumerOperation(options: ConsumerOperationOptions): MethodDecorator {
  const { operationId, summary, description, problems, takesBody, session } = options;
  return applyDecorators(
    ApiOperation({ operationId, summary, description }),
    ApiSecurity('bearer'),
    ...(session ? [ApiSecurity(CONSOLE_SESSION)] : []),
    ...(session === 'change' ? [ApiHeader(CSRF_HEADER_PARAMETER)] : []),
    ApiProblems([...problems, ...(session ? SESSION_PROBLEMS[session] : []), ...(takesBody ? EVERY_BODY : []), ...EVERY_CONSUMER_ROUTE], {
      rateLimited: true,
    }),
  );
}
