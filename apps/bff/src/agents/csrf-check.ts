import { csrfFailed } from '@ciba/ciba';
import type { AgentsConfig } from '@ciba/config';
import type { Request } from 'express';
import { consoleOrigins } from './public-origin.js';
import { secretEqual } from './secret-equal.js';

/** The header the console's script sends its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * API.md §7: a state-changing call that comes with the session cookie must also carry the
 * session's CSRF token (which only our page can read, from `GET /console/session`) and an
 * `Origin` of ours (OWASP CSRF cheat sheet: the token pattern plus origin verification). Either
 * missing or wrong is `403 csrf_failed`. `presented` defaults to the header.
 */
export function checkCsrf(request: Request, agents: AgentsConfig, expectedToken: string, presented = headerToken(request)): void {
  if (!secretEqual(presented, expectedToken)) {
    throw csrfFailed('Send the console session\'s CSRF token (from GET /console/session) in the "X-CSRF-Token" header.');
  }
  const origin = request.headers.origin;
  if (!origin || !consoleOrigins(request, agents).includes(origin)) {
    throw csrfFailed('A call with the console session cookie must come from the console\'s own origin ("Origin" header).');
  }
}

function headerToken(request: Request): string | undefined {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' ? value : undefined;
}
