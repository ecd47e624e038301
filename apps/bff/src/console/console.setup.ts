import type { INestApplication } from '@nestjs/common';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { CibaError, storeUnavailable } from '@ciba/ciba';
import { isStoreFailure } from '@ciba/store';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { AgentRequestAuthenticator } from '../agents/agent-request.authenticator.js';
import { bearerKey, unauthorized } from '../consumers/api-key.guard.js';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { problemFor } from '../http/problem-document.js';
import { sendProblem } from '../http/problem.filter.js';
import { requestIdOf } from '../http/request-id.js';
import { consoleAssets, consoleProviders, CONSOLE_PROVIDERS_PATH } from './console-assets.js';

/** The page loads only its own files and talks only to this origin; nothing may frame it. */
export const CONSOLE_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

const HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  // The page holds a live authentication: never from a cache, never a stale script.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // No Referer ever leaves for another origin (an eventsUrl carries a read token). Same-origin
  // requests keep theirs, and with it a real Origin on the sign-out form's POST: under
  // `no-referrer` a browser sends `Origin: null` there, which the CSRF check must refuse.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Who a Bearer value belongs to: the same lookup the `/v1` guard makes for an API key. */
export type ConsumerLookup = Pick<ConsumerDirectory, 'find'>;

/** Who a session cookie belongs to (with an `agents` section): the `/v1` guard's lookup for a read. */
export type AgentLookup = Pick<AgentRequestAuthenticator, 'presentsSession' | 'authenticate'>;

/**
 * The consumer a providers.json request speaks for: by its Bearer key, or (no Authorization
 * header, as on `/v1`) by a branch agent's session cookie, for `agents.consumer`. Throws the
 * API's 401 (`unauthorized`, or `session_expired` for a cookie whose session is gone).
 */
async function consumerOf(request: Request, consumers: ConsumerLookup, agents?: AgentLookup): Promise<ConsumerConfig> {
  if (agents && request.headers.authorization === undefined && agents.presentsSession(request)) {
    return (await agents.authenticate(request, true)).consumer;
  }
  const key = bearerKey(request);
  const consumer = key ? consumers.find(key) : null;
  if (!consumer) throw unauthorized();
  return consumer;
}

/**
 * `GET /console/providers.json`: the signed-in consumer's providers (id and profile), so the page
 * can offer them as a list. The API has no such route, and probing `/v1` would start
 * authentications; so the console answers it itself, behind the same Bearer key (or session
 * cookie) as its `/v1` calls, with only that consumer's providers. A missing or wrong key is the
 * API's 401; Redis down is its 503.
 */
async function answerProviders(
  config: CibaConfig,
  consumers: ConsumerLookup,
  agents: AgentLookup | undefined,
  request: Request,
  response: Response,
): Promise<void> {
  response.set(HEADERS);
  let consumer: ConsumerConfig;
  try {
    consumer = await consumerOf(request, consumers, agents);
  } catch (error) {
    const refusal = error instanceof CibaError ? error : isStoreFailure(error) ? storeUnavailable(error) : null;
    if (!refusal) throw error;
    sendProblem(response, problemFor(refusal, requestIdOf(request)), refusal);
    return;
  }
  response
    .status(200)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(consoleProviders(config, consumer)));
}

/**
 * `GET /console` and `/console/*`: answers the console's own files and passes anything else
 * on (`next()`), so an unknown path gets the API's usual 404 problem document, and the sign-in
 * routes (`/console/login`, `/callback`, `/session`, Nest's, registered after this handler)
 * are reached.
 */
export function consoleHandler(config: CibaConfig, consumers: ConsumerLookup, agents?: AgentLookup): RequestHandler {
  const assets = consoleAssets(config.agents ? 'agent' : 'key');
  return (request: Request, response: Response, next: NextFunction) => {
    const path = request.path.slice('/console'.length);
    if (path === CONSOLE_PROVIDERS_PATH) {
      answerProviders(config, consumers, agents, request, response).catch(next);
      return;
    }
    const asset = assets.get(path);
    if (!asset) {
      next();
      return;
    }
    response.status(200).set(HEADERS).type(asset.contentType).send(asset.body);
  };
}

/**
 * Serves the branch agent's console on the API's port (same origin as `/v1`, so the page needs
 * no CORS and its CSP can say `'self'`). Call it before `app.listen()`: Nest puts its 404 handler
 * at the end of the Express stack when the app initialises, and a route added later is never reached.
 */
export function serveConsole(app: INestApplication, config: CibaConfig): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  const agents = config.agents ? app.get(AgentRequestAuthenticator) : undefined;
  const handler = consoleHandler(config, app.get(ConsumerDirectory), agents);
  // Express 5 path syntax (path-to-regexp 8): `{*file}` is the rest of the path, if any.
  express.get(['/console', '/console/{*file}'], handler);
}
