import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { CibaConfig } from '@ciba/config';
import type { Queue } from 'bullmq';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AuthenticatedRequest } from '../consumers/api-key.guard.js';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { problemFor, type ProblemDocument } from '../http/problem-document.js';
import { requestIdOf } from '../http/request-id.js';
import { bffQueueNames } from '../queue-names.js';
import { adminAccess } from './admin-credentials.js';

/** Where the dashboard is served, on the API's port. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** What a browser shows in its password prompt; the password is the admin consumer's API key. */
export const ADMIN_CHALLENGE = 'Basic realm="ciba-bff admin", charset="UTF-8"';

/**
 * On every answer an admin gets. Bull Board's page has inline styles (allowed) and links a Google
 * Fonts stylesheet, which the policy blocks: the page falls back to local fonts, and an operator's
 * browser contacts nobody but us. Its scripts are files of its own; nothing else runs.
 */
const HEADERS: Readonly<Record<string, string>> = {
  // Job lists and Redis details: never from a shared or a browser cache.
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'",
};

/** Reading is all the dashboard may do (see `serveQueueDashboard`). */
const READ_METHODS = new Set(['GET', 'HEAD']);

function sendAdminProblem(response: Response, problem: ProblemDocument, headers: Record<string, string>): void {
  response.status(problem.status).set(HEADERS).set(headers).type('application/problem+json').send(JSON.stringify(problem));
}

/** A 405 as a problem document: the dashboard changes nothing. */
function methodNotAllowed(requestId: string): ProblemDocument {
  return problemFor(
    new CibaError(ErrorCode.MethodNotAllowed, 'The queue dashboard is read-only: only GET and HEAD are served.'),
    requestId,
  );
}

/**
 * Lets only an admin consumer through. A missing or wrong key gets 401 with a Basic challenge
 * (the browser's own prompt), rendered as our problem document by hand: the global filter would
 * answer a Bearer challenge. A valid key of any other consumer is sent on (`next('router')`) to
 * the API's own 404, so the answer is the same as for a path that does not exist.
 */
export function adminGate(directory: Pick<ConsumerDirectory, 'find'>): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const access = adminAccess(directory, request);
    if (access.kind === 'unauthorized') {
      const error = new CibaError(
        ErrorCode.Unauthorized,
        'Send an admin API key as "Authorization: Bearer <key>" or as the password of HTTP Basic.',
      );
      sendAdminProblem(response, problemFor(error, requestIdOf(request)), { 'WWW-Authenticate': ADMIN_CHALLENGE });
      return;
    }
    if (access.kind === 'not-admin') {
      next('router');
      return;
    }
    // As the API key guard does: the access log names who looked, never with what key.
    (request as AuthenticatedRequest).consumer = access.consumer;
    if (!READ_METHODS.has(request.method)) {
      sendAdminProblem(response, methodNotAllowed(requestIdOf(request)), { Allow: 'GET, HEAD' });
      return;
    }
    response.set(HEADERS);
    next();
  };
}

/**
 * Serves Bull Board at `/admin/queues` for admin consumers: every queue of this BFF (one poll
 * queue per provider, maintenance, webhooks), their counts and jobs. Job data is only our
 * authentication id (see `PollJobData`), so nothing here shows a login hint or a token.
 *
 * Read-only, twice: Bull Board's `readOnlyMode` hides and refuses its actions, and the gate
 * refuses every method but GET and HEAD before Bull Board sees the request. An operator must
 * not remove a poll job (its authentication would never finish: no poll, no expiry), retry,
 * promote or re-add one (a second poll could redeem the same auth_req_id twice), or pause a
 * queue from a browser; those are decisions for the keeper and the code, not a click.
 *
 * Call it before `app.listen()` (see `serveConsole`), in the API role only.
 */
export function serveQueueDashboard(app: INestApplication, config: CibaConfig): void {
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: bffQueueNames(config).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'CIBA BFF queues', hideDocsLink: true } },
  });
  const boardApp = board.getRouter() as Express;
  boardApp.disable('x-powered-by');
  // A small app of its own, so that `next('router')` leaves the dashboard for the API's 404.
  const dashboard = express();
  dashboard.disable('x-powered-by');
  dashboard.use(adminGate(app.get(ConsumerDirectory)));
  dashboard.use(boardApp);
  (app.getHttpAdapter().getInstance() as Express).use(QUEUE_DASHBOARD_PATH, dashboard);
}
