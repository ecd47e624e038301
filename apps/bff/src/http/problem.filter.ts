import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { CibaError, ErrorCode, storeUnavailable } from '@ciba/ciba';
import { isStoreFailure } from '@ciba/store';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../tokens.js';
import { internalProblem, problemFor, type ProblemDocument } from './problem-document.js';
import { requestIdOf } from './request-id.js';
import { bodyErrorToCibaError } from './body-parsing.js';

/** Nest's own HTTP exceptions (unknown route, wrong method) in our vocabulary. */
function fromHttpException(exception: HttpException): CibaError {
  const status = exception.getStatus();
  if (status === 404) return new CibaError(ErrorCode.NotFound, 'No such resource.');
  if (status === 413) return new CibaError(ErrorCode.PayloadTooLarge, 'The request body is larger than 64 KiB.');
  if (status === 415) return new CibaError(ErrorCode.UnsupportedMediaType, 'Send the body as application/json.');
  if (status === 401) return new CibaError(ErrorCode.Unauthorized, 'Send a valid API key as "Authorization: Bearer <key>".');
  return new CibaError(ErrorCode.InvalidRequest, exception.message);
}

/** What a thrown error means to a consumer: our own errors as they are, third parties' translated. */
function toCibaError(exception: unknown): unknown {
  // body-parser's errors first: their own messages would quote the body.
  const parsed = bodyErrorToCibaError(exception);
  if (parsed instanceof HttpException) return fromHttpException(parsed);
  // API.md §6: Redis down, blackholed or out of memory is a 503 with Retry-After, never a 500.
  if (isStoreFailure(parsed)) return storeUnavailable(parsed);
  return parsed;
}

/** Every error becomes an RFC 9457 problem document (API.md §4). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const error = toCibaError(exception);
    sendProblem(response, this.toProblem(error, request), error);
  }

  toProblem(exception: unknown, request: Request): ProblemDocument {
    const requestId = requestIdOf(request);
    const error = toCibaError(exception);
    if (error instanceof CibaError && error.code !== ErrorCode.InternalError) {
      const problem = problemFor(error, requestId);
      // Our own misconfiguration is loud: it fails every request to that provider until fixed.
      if (error.code === ErrorCode.ProviderMisconfigured)
        this.logger.error({ requestId, code: error.code }, describe(error.cause) ?? error.message);
      else if (problem.status >= 500) this.logger.warn({ requestId, code: error.code, cause: describe(error.cause) }, error.message);
      return problem;
    }
    this.logger.error({ requestId, err: exception }, 'unhandled error');
    return internalProblem(requestId);
  }
}

export function sendProblem(response: Response, problem: ProblemDocument, exception?: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const retryAfter = exception instanceof CibaError ? exception.extensions.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
  if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

const describe = (cause: unknown) => (cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined);
