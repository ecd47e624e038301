import type { ApiHeaderOptions, SecuritySchemeObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../agents/console-cookies.js';

/** The security scheme's name in the document, for `security` requirements. */
export const CONSOLE_SESSION = 'consoleSession';

/** The header a console call that changes state carries its CSRF token in (`agents/csrf-check.ts` reads it lower-cased). */
export const CSRF_HEADER_NAME = 'X-CSRF-Token';

/**
 * A branch agent's session cookie (API.md §7). OpenAPI names one cookie per scheme: the https name,
 * the one every deployment but loopback development uses; the description gives the other.
 */
export const CONSOLE_SESSION_SCHEME: SecuritySchemeObject = {
  type: 'apiKey',
  in: 'cookie',
  name: SESSION_COOKIE.name(true),
  description:
    "A branch agent's console session, with an `agents` section in the configuration (API.md §7). Set by `GET /console/callback` " +
    `after the agent signed in at the workforce provider: \`${SESSION_COOKIE.name(true)}\`, HttpOnly, Secure, SameSite=Strict, ` +
    `Path=/, no lifetime of its own; on plain-http loopback development it is \`${SESSION_COOKIE.name(false)}\` (no \`__Host-\` ` +
    'prefix, no Secure). The agent acts for `agents.consumer`. A call that changes state (anything but GET and HEAD) must also ' +
    `carry the session's CSRF token (from \`GET /console/session\`) in \`${CSRF_HEADER_NAME}\` and a same-origin \`Origin\`, ` +
    'else 403 `csrf_failed`. A session that has ended (idle or absolute expiry, sign-out) answers 401 `session_expired`. ' +
    'With an `Authorization` header the cookie is ignored.',
};

/** `X-CSRF-Token` on a route that changes state and takes the session cookie. */
export const CSRF_HEADER_PARAMETER: ApiHeaderOptions = {
  name: CSRF_HEADER_NAME,
  required: false,
  description:
    "The console session's CSRF token (the `csrfToken` of `GET /console/session`): required with the console session cookie " +
    '(missing or wrong: 403 `csrf_failed`); ignored with a Bearer value.',
  schema: { type: 'string' },
};
