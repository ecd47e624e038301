import type { PathsObject, ResponseObject } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { QUEUE_DASHBOARD_PATH } from '../../admin/queue-dashboard.setup.js';
import { CONSOLE_PROVIDERS_PATH } from '../../console/console-assets.js';
import { problemResponses } from '../api-responses.decorators.js';
import { CONSOLE_SESSION } from '../console-session.js';
import { answerHeaders } from '../response-headers.js';

const page = (description: string): ResponseObject => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
  headers: answerHeaders(200, { rateLimited: false }),
});

/**
 * Routes served by Express handlers rather than Nest controllers, which Nest's scanner cannot see:
 * the agent console (`console/console.setup.ts`), the queue dashboard (`admin/queue-dashboard.setup.ts`)
 * and the documentation itself (`http/openapi.ts`).
 */
export function expressRoutePaths(): PathsObject {
  return {
    '/console': {
      get: {
        operationId: 'getConsole',
        tags: ['console'],
        summary: "The branch agent's console",
        description:
          'One HTML page and its own scripts under `/console/`. It calls the `/v1` routes with the API key the agent signs in with or, ' +
          'with an `agents` section (API.md §7), with the session cookie of a sign-in at the workforce provider (`/console/login`).',
        security: [],
        responses: { 200: page('The page.') },
      },
    },
    [`/console${CONSOLE_PROVIDERS_PATH}`]: {
      get: {
        operationId: 'listConsoleProviders',
        tags: ['console'],
        summary: "The signed-in consumer's providers, for the console's provider list",
        description:
          'Only the providers this consumer may use (id and profile); the console signs in with a key by reading it. With the console ' +
          "session cookie instead of a Bearer value it answers the agents' consumer (`agents.consumer`), and counts as a use of the " +
          'session (its idle expiry slides); a read, so no CSRF token. Not rate limited.',
        // Either one: the Bearer value decides alone when both are sent.
        security: [{ bearer: [] }, { [CONSOLE_SESSION]: [] }],
        responses: {
          200: {
            description: "The consumer's providers.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['providers'],
                  properties: {
                    providers: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        required: ['id', 'profile'],
                        properties: { id: { type: 'string', example: 'sandbox' }, profile: { type: 'string', example: 'generic' } },
                      },
                    },
                  },
                },
              },
            },
            headers: answerHeaders(200, { rateLimited: false }),
          },
          ...problemResponses([ErrorCode.Unauthorized, ErrorCode.SessionExpired, ErrorCode.StoreUnavailable, ErrorCode.InternalError], {
            rateLimited: false,
          }),
        },
      },
    },
    [QUEUE_DASHBOARD_PATH]: {
      get: {
        operationId: 'getQueueDashboard',
        tags: ['operations'],
        summary: 'The queue dashboard (Bull Board), read-only, for admin consumers',
        description:
          "An admin consumer's API key as Bearer, or as the password of HTTP Basic (a browser's own prompt). A valid key of " +
          'another consumer answers 404, like a path that does not exist. Only GET and HEAD are served: any other method answers ' +
          '405 `method_not_allowed`.',
        security: [{ bearer: [] }, { adminBasic: [] }],
        responses: {
          200: page('The dashboard.'),
          ...problemResponses([ErrorCode.Unauthorized, ErrorCode.NotFound], { rateLimited: false }),
        },
      },
    },
    '/docs': {
      get: {
        operationId: 'getApiDocumentationPage',
        tags: ['operations'],
        summary: 'This document, as a page (Swagger UI)',
        security: [],
        responses: { 200: page('The page.') },
      },
    },
    '/docs-json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['operations'],
        summary: 'This document (OpenAPI 3.0), as JSON',
        description: 'The same as `docs/openapi.json` in the repository.',
        security: [],
        responses: {
          200: {
            description: 'The OpenAPI document.',
            content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
            headers: answerHeaders(200, { rateLimited: false }),
          },
        },
      },
    },
  };
}
