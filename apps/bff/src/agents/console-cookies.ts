import type { CookieOptions, Response } from 'express';

/**
 * The console's two cookies. Over https they carry the `__Host-` prefix (RFC 6265bis §4.1.3.2:
 * Secure, Path=/, no Domain, so no sibling host can set or shadow them); on plain-http loopback
 * development the prefix and `Secure` are dropped, or the browser would refuse them.
 */
export interface ConsoleCookie {
  name(https: boolean): string;
  set(response: Response, https: boolean, value: string): void;
  clear(response: Response, https: boolean): void;
}

function consoleCookie(base: string, sameSite: 'strict' | 'lax', maxAgeMs?: number): ConsoleCookie {
  const options = (https: boolean): CookieOptions => ({ httpOnly: true, secure: https, sameSite, path: '/' });
  const name = (https: boolean) => (https ? `__Host-${base}` : base);
  return {
    name,
    set: (response, https, value) => response.cookie(name(https), value, { ...options(https), ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) }),
    clear: (response, https) => response.clearCookie(name(https), options(https)),
  };
}

/**
 * The session cookie: SameSite=Strict, so no other site's page, link or form makes the browser
 * send it. No Max-Age: it ends with the browser (counter PCs are shared); the server-side idle
 * and absolute expiry are what end a session, whatever the browser keeps.
 */
export const SESSION_COOKIE = consoleCookie('ciba-console', 'strict');

/** How long a sign-in may take at the provider (the login record lives as long). */
export const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Binds a sign-in to the browser that began it (login CSRF): holds the `state` the callback
 * must echo. SameSite=Lax, because the callback is a top-level navigation from the provider's
 * site, which a Strict cookie would not accompany.
 */
export const LOGIN_COOKIE = consoleCookie('ciba-console-login', 'lax', LOGIN_TTL_MS);
