import type { HeaderObject, ParameterObject, PathsObject, ReferenceObject, ResponseObject, ResponsesObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { LOGIN_COOKIE, LOGIN_TTL_MS, SESSION_COOKIE } from '../../agents/console-cookies.js';
import { problemResponses } from '../api-responses.decorators.js';
import { CONSOLE_SESSION, CSRF_HEADER_NAME } from '../console-session.js';
import { answerHeaders } from '../response-headers.js';
import { ConsoleSessionSchema } from '../schemas/console-session.schema.js';

/*
 * The branch agents' sign-in routes (API.md §7, `agents/agent-sign-in.controller.ts`). Their
 * controller is registered only with an `agents` section and is excluded from Nest's scan, so the
 * document, which describes the API and not one deployment, states them here, the same for every
 * configuration; without the section each of them answers 404 `not_found`.
 */

const HTML = 'text/html';

/** Both cookie names: over https with the `__Host-` prefix, on plain-http loopback development without it. */
const cookieNames = (cookie: typeof SESSION_COOKIE) =>
  `\`${cookie.name(true)}\` (plain-http loopback development: \`${cookie.name(false)}\`)`;

const NO_AGENTS = 'the BFF has no agents section in its configuration';

/** One of the short HTML pages a sign-in can end on (`agents/sign-in-pages.ts`). */
const signInPage = (status: number, description: string): ResponseObject => ({
  description,
  content: { [HTML]: { schema: { type: 'string' } } },
  headers: answerHeaders(status, { rateLimited: false }),
});

/**
 * The problem responses of the listed codes, each status with a note appended (plain words: the
 * description's back-quoted words must all be codes of that status, which the test checks).
 */
function problems(codes: readonly ErrorCode[], notes: Record<number, string> = {}): Record<number, ResponseObject> {
  const responses = problemResponses(codes, { rateLimited: false });
  for (const [status, note] of Object.entries(notes)) {
    const response = responses[Number(status)];
    if (response) response.description = `${response.description.replace(/\.$/, '')}: ${note}.`;
  }
  return responses;
}

/** A response that is a sign-in page in some cases and a problem document in others (503: the provider, or the store). */
function pageOrProblem(page: ResponseObject, problem: ResponseObject): ResponseObject {
  return {
    description: `${page.description.replace(/\.$/, '')}; or ${problem.description}`,
    content: { ...page.content, ...problem.content },
    headers: problem.headers,
  };
}

/** A redirect: `Location`, the cookies it sets, and the short note Express writes in the body for a client that shows it. */
function redirect(status: 302 | 303, description: string, location: string, setCookie: string): ResponseObject {
  const headers: Record<string, HeaderObject | ReferenceObject> = {
    ...answerHeaders(status, { rateLimited: false }),
    // Inline, not the component: that one is the new authentication's path.
    Location: { description: location, schema: { type: 'string' } },
    'Set-Cookie': { description: setCookie, schema: { type: 'string' } },
  };
  const note = { schema: { type: 'string' as const } };
  return { description, headers, content: { 'text/plain': note, [HTML]: note } };
}

const query = (name: string, description: string): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});

const loginResponses = (): ResponsesObject => {
  const failures = problems([ErrorCode.NotFound, ErrorCode.StoreUnavailable, ErrorCode.InternalError], { 404: NO_AGENTS });
  return {
    302: redirect(
      302,
      "To the workforce provider's authorization endpoint.",
      'The authorization request: `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`, `nonce`, `code_challenge` and `code_challenge_method=S256`.',
      `The login cookie ${cookieNames(LOGIN_COOKIE)}: the \`state\`, for the callback to match; HttpOnly, SameSite=Lax (the callback is a ` +
        `navigation from the provider's site), Path=/, Max-Age=${LOGIN_TTL_MS / 1000}.`,
    ),
    ...failures,
    503: pageOrProblem(signInPage(503, 'The workforce provider cannot be reached (an HTML page with a link to try again).'), failures[503]),
  };
};

const callbackResponses = (): ResponsesObject => {
  const failures = problems([ErrorCode.NotFound, ErrorCode.StoreUnavailable, ErrorCode.InternalError], { 404: NO_AGENTS });
  return {
    302: redirect(
      302,
      'Signed in: to the console.',
      '`/console`.',
      `The session cookie ${cookieNames(SESSION_COOKIE)}: a new opaque id at every sign-in; HttpOnly, Secure over https, SameSite=Strict, ` +
        'Path=/, no lifetime (it ends with the browser; the server ends the session at its idle or absolute expiry). The login cookie is cleared.',
    ),
    400: signInPage(
      400,
      'The `state` does not match the login cookie of this browser, or the sign-in took longer than ten minutes, or its callback was already ' +
        'used (an HTML page with a link to sign in again; no session).',
    ),
    403: signInPage(
      403,
      'The agent signed in but holds neither `agentRole` nor `supervisorRole` (an HTML page saying so; no session, and one the browser held is ' +
        'ended), or the provider answered `error` (an HTML page naming it, with a link to sign in again).',
    ),
    ...failures,
    502: signInPage(502, "The provider's answer (code exchange, ID Token) could not be verified (an HTML page; no session)."),
    503: pageOrProblem(signInPage(503, 'The workforce provider cannot be reached (an HTML page; no session).'), failures[503]),
  };
};

const LOGOUT_FORM = 'application/x-www-form-urlencoded';

/** The console's sign-in, session and sign-out routes. */
export function consoleSignInPaths(): PathsObject {
  return {
    '/console/login': {
      get: {
        operationId: 'beginConsoleSignIn',
        tags: ['console'],
        summary: 'Sign a branch agent in at the workforce provider (authorization code with PKCE)',
        description:
          'A browser navigation, with an `agents` section (API.md §7): the sign-in begins (`state`, `nonce`, PKCE S256, kept on the ' +
          'server for ten minutes) and the browser goes to the provider, which sends it back to `/console/callback`.',
        security: [],
        responses: loginResponses(),
      },
    },
    '/console/callback': {
      get: {
        operationId: 'completeConsoleSignIn',
        tags: ['console'],
        summary: "The workforce provider's redirect back: code exchange, ID Token verified, role checked, session started",
        description:
          'The redirect URI registered at the workforce provider. It needs the login cookie `/console/login` set in this browser, whose ' +
          '`state` the query must repeat; a callback URL works once. Answers carry `Cache-Control: no-store` and `Referrer-Policy: no-referrer`.',
        security: [],
        parameters: [
          query('code', 'The authorization code.'),
          query('state', 'The `state` of the sign-in, as in the login cookie.'),
          query('iss', "The provider's issuer (RFC 9207), checked when present."),
          query('error', 'The provider ended the sign-in instead (e.g. `access_denied` when the agent cancelled).'),
          query('error_description', "The provider's words about `error`: never shown."),
        ],
        responses: callbackResponses(),
      },
    },
    '/console/logout': {
      post: {
        operationId: 'endConsoleSession',
        tags: ['console'],
        summary: 'Sign the agent out: the session ends here, and at the workforce provider where it offers that',
        description:
          'A script call with the CSRF token in `X-CSRF-Token`, or a plain form post with it in the field `csrfToken` (the only route that ' +
          'takes a form); with a live session either one and a same-origin `Origin` are required. Without a live session the cookie is ' +
          'cleared all the same.',
        // The cookie is optional: without a live session there is nothing to protect, and the answer is the same redirect.
        security: [{ [CONSOLE_SESSION]: [] }, {}],
        parameters: [
          {
            name: CSRF_HEADER_NAME,
            in: 'header',
            required: false,
            description: "The session's CSRF token (the `csrfToken` of `GET /console/session`), unless the form field carries it.",
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          required: false,
          description: 'A plain HTML form (at most 4 KiB), or no body when the header carries the token.',
          content: {
            [LOGOUT_FORM]: {
              schema: {
                type: 'object',
                properties: { csrfToken: { type: 'string', description: "The session's CSRF token, when the header does not carry it." } },
              },
            },
          },
        },
        responses: {
          303: redirect(
            303,
            'Signed out (or there was no live session).',
            "The provider's `end_session_endpoint` with `client_id` and `post_logout_redirect_uri` (the console), when the provider " +
              'offers one and a session was ended (RP-Initiated Logout 1.0); else `/console`.',
            `Clears the session cookie ${cookieNames(SESSION_COOKIE)}.`,
          ),
          ...problems(
            [
              ErrorCode.InvalidRequest,
              ErrorCode.CsrfFailed,
              ErrorCode.NotFound,
              ErrorCode.PayloadTooLarge,
              ErrorCode.UnsupportedMediaType,
              ErrorCode.StoreUnavailable,
              ErrorCode.InternalError,
            ],
            {
              400: 'a body that cannot be read (a form with more than ten fields, or malformed)',
              403: 'a live session, and the CSRF token missing or wrong, or an Origin other than the console',
              404: NO_AGENTS,
              415: 'a body that is neither a form nor JSON',
            },
          ),
        },
      },
    },
    '/console/session': {
      get: {
        operationId: 'getConsoleSession',
        tags: ['console'],
        summary: "The signed-in agent, the session's CSRF token and its expiry, for the console's script",
        description:
          'Reading it does not extend the session (every `/v1` call and `/console/providers.json` with the cookie does), so the page may ' +
          'ask how long is left. Answers carry `Cache-Control: no-store`.',
        security: [{ [CONSOLE_SESSION]: [] }],
        responses: {
          200: {
            description: 'The session.',
            content: { 'application/json': { schema: { $ref: getSchemaPath(ConsoleSessionSchema) } } },
            headers: answerHeaders(200, { rateLimited: false }),
          },
          ...problems([ErrorCode.SessionExpired, ErrorCode.NotFound, ErrorCode.StoreUnavailable, ErrorCode.InternalError], {
            401: 'no session cookie, or its session has ended',
            404: NO_AGENTS,
          }),
        },
      },
    },
  };
}
