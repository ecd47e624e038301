import type { INestApplication } from '@nestjs/common';
import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
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
  // eventsUrl carries a read token: no Referer may take it anywhere.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Who a Bearer value belongs to: the same lookup the `/v1` guard makes for an API key. */
export type ConsumerLookup = Pick<ConsumerDirectory, 'find'>;

/**
 * `GET /console/providers.json`: the signed-in consumer's providers (id and profile), so the page
 * can offer them as a list. The API has no such route, and probing `/v1` would start
 * authentications; so the console answers it itself, behind the same Bearer key as its `/v1`
 * calls, with only that consumer's providers. A missing or wrong key is the API's 401.
 */
function answerProviders(config: CibaConfig, consumers: ConsumerLookup, request: Request, response: Response): void {
  const key = bearerKey(request);
  const consumer: ConsumerConfig | null = key ? consumers.find(key) : null;
  response.set(HEADERS);
  if (!consumer) {
    sendProblem(response, problemFor(unauthorized(), requestIdOf(request)));
    return;
  }
  response
    .status(200)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(consoleProviders(config, consumer)));
}

/**
 * `GET /console` and `/console/*`: answers the console's own files and passes anything else
 * on (`next()`), so an unknown path gets the API's usual 404 problem document.
 */
export function consoleHandler(config: CibaConfig, consumers: ConsumerLookup): RequestHandler {
  const assets = consoleAssets();
  return (request: Request, response: Response, next: NextFunction) => {
    const path = request.path.slice('/console'.length);
    if (path === CONSOLE_PROVIDERS_PATH) {
      answerProviders(config, consumers, request, response);
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
  const handler = consoleHandler(config, app.get(ConsumerDirectory));
  // Express 5 path syntax (path-to-regexp 8): `{*file}` is the rest of the path, if any.
  express.get(['/console', '/console/{*file}'], handler);
}
