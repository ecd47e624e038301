import type { INestApplication } from '@nestjs/common';
import type { CibaConfig } from '@ciba/config';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { consoleAssets } from './console-assets.js';

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

/**
 * `GET /console` and `/console/*`: answers the console's own files and passes anything else
 * on (`next()`), so an unknown path gets the API's usual 404 problem document.
 */
export function consoleHandler(config: CibaConfig): RequestHandler {
  const assets = consoleAssets(config);
  return (request: Request, response: Response, next: NextFunction) => {
    const asset = assets.get(request.path.slice('/console'.length));
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
  const handler = consoleHandler(config);
  // Express 5 path syntax (path-to-regexp 8): `{*file}` is the rest of the path, if any.
  express.get(['/console', '/console/{*file}'], handler);
}
