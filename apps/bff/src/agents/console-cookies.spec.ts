import type { Response } from 'express';
import { LOGIN_COOKIE, SESSION_COOKIE } from './console-cookies.js';

/** What `response.cookie` / `clearCookie` were asked to do, as Set-Cookie lines (Express's own serialiser). */
async function setCookieLines(act: (response: Response) => void): Promise<string[]> {
  const { default: express } = await import('express');
  const app = express();
  app.get('/', (_request, response) => {
    act(response);
    response.end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    return (await fetch(`http://127.0.0.1:${port}/`)).headers.getSetCookie();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('console cookies (API.md §7)', () => {
  it('the session cookie: __Host- prefixed, Secure, HttpOnly, SameSite=Strict, Path=/ over https; no lifetime of its own', async () => {
    const [line] = await setCookieLines((response) => SESSION_COOKIE.set(response, true, 'abc'));
    expect(line).toBe('__Host-ciba-console=abc; Path=/; HttpOnly; Secure; SameSite=Strict');
  });

  it('on plain http the name drops the prefix and the cookie drops Secure', async () => {
    const [line] = await setCookieLines((response) => SESSION_COOKIE.set(response, false, 'abc'));
    expect(line).toBe('ciba-console=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(SESSION_COOKIE.name(false)).toBe('ciba-console');
    expect(SESSION_COOKIE.name(true)).toBe('__Host-ciba-console');
  });

  it('the login cookie is Lax (it must come back on the provider’s top-level redirect) and lives ten minutes', async () => {
    const [line] = await setCookieLines((response) => LOGIN_COOKIE.set(response, true, 'state'));
    expect(line).toMatch(/^__Host-ciba-console-login=state; Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('clearing names the same cookie with the same attributes, expired', async () => {
    const [line] = await setCookieLines((response) => SESSION_COOKIE.clear(response, true));
    expect(line).toMatch(/^__Host-ciba-console=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);
  });
});
