import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { ApiProblems } from './api-responses.decorators.js';

/** Any authenticated `/v1` route: the key or token, the consumer's rate limit, the store, the unexpected. */
const EVERY_CONSUMER_ROUTE: readonly ErrorCode[] = [
  ErrorCode.Unauthorized,
  ErrorCode.RateLimited,
  ErrorCode.StoreUnavailable,
  ErrorCode.InternalError,
];

/** Any route that takes a JSON body: the body parser refuses before the route runs (see `http/body-parsing.ts`). */
const EVERY_BODY: readonly ErrorCode[] = [ErrorCode.InvalidRequest, ErrorCode.PayloadTooLarge, ErrorCode.UnsupportedMediaType];

export interface ConsumerOperationOptions {
  /** Stable: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  /** The codes this route answers besides those every consumer route (and every body) can. */
  problems: readonly ErrorCode[];
  takesBody?: boolean;
}

/** An operation of the consumer API (API.md §4) with every problem it can answer. */
export function ConsumerOperation(options: ConsumerOperationOptions): MethodDecorator {
  const { operationId, summary, description, problems, takesBody } = options;
  return applyDecorators(
    ApiOperation({ operationId, summary, description }),
    ApiProblems([...problems, ...(takesBody ? EVERY_BODY : []), ...EVERY_CONSUMER_ROUTE], { rateLimited: true }),
  );
}
