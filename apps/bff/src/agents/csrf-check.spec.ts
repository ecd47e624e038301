import { CibaError, ErrorCode } from '@ciba/ciba';
import { parseConfig } from '@ciba/config';
import type { Request } from 'express';
import { checkCsrf } from './csrf-check.js';
import { redirectUriFor, consoleUrlFor, overHttps } from './public-origin.js';

const configWith = (idp: Record<string, unknown> = {}) =>
  parseConfig({
    providers: { sandbox: { issuer: 'https://op.example', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 's' } } },
    consumers: { desk: { providers: ['sandbox'] } },
    agents: {
      idp: { issuer: 'https://sso.example', clientId: 'console', clientAuth: { method: 'client_secret_basic', secret: 's' }, ...idp },
      consumer: 'desk',
    },
  }).agents!;

const request = (headers: Record<string, string>, protocol = 'http') =>
  ({ protocol, headers: { host: 'bff.example:3000', ...headers } }) as unknown as Request;
const TOKEN = 'the-session-token';

const codeOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error instanceof CibaError ? error.code : error;
  }
  return 'passed';
};

describe('CSRF and origin checks of a state-changing call with the session cookie', () => {
  const agents = configWith();

  it('passes with the session’s token and the request’s own origin', () => {
    expect(codeOf(() => checkCsrf(request({ 'x-csrf-token': TOKEN, origin: 'http://bff.example:3000' }), agents, TOKEN))).toBe('passed');
    expect(codeOf(() => checkCsrf(request({ 'x-csrf-token': TOKEN, origin: 'https://bff.example:3000' }, 'https'), agents, TOKEN))).toBe(
      'passed',
    );
  });

  it.each([
    ['no token', { origin: 'http://bff.example:3000' }],
    ['another token', { 'x-csrf-token': 'the-session-tokeN', origin: 'http://bff.example:3000' }],
    ['a longer token', { 'x-csrf-token': `${TOKEN}x`, origin: 'http://bff.example:3000' }],
    ['no Origin', { 'x-csrf-token': TOKEN }],
    ['another site', { 'x-csrf-token': TOKEN, origin: 'https://evil.example' }],
    ['another port', { 'x-csrf-token': TOKEN, origin: 'http://bff.example:3001' }],
    ['another scheme', { 'x-csrf-token': TOKEN, origin: 'https://bff.example:3000' }],
    ['an opaque origin', { 'x-csrf-token': TOKEN, origin: 'null' }],
  ])('refuses %s: 403 csrf_failed', (_case, headers) => {
    expect(codeOf(() => checkCsrf(request(headers), agents, TOKEN))).toBe(ErrorCode.CsrfFailed);
  });

  it('a token given by the caller (a form field) replaces the header', () => {
    expect(codeOf(() => checkCsrf(request({ origin: 'http://bff.example:3000' }), agents, TOKEN, TOKEN))).toBe('passed');
  });

  it('a configured redirect URI declares the public origin too (a proxy in front terminates TLS)', () => {
    const proxied = configWith({ redirectUri: 'https://console.bank.example/console/callback' });
    const behindProxy = request({ 'x-csrf-token': TOKEN, origin: 'https://console.bank.example' });
    expect(codeOf(() => checkCsrf(behindProxy, proxied, TOKEN))).toBe('passed');
    expect(overHttps(behindProxy, proxied)).toBe(true);
    expect(redirectUriFor(behindProxy, proxied)).toBe('https://console.bank.example/console/callback');
    expect(consoleUrlFor(behindProxy, proxied)).toBe('https://console.bank.example/console');
  });

  it('without one, the redirect URI and the console are on the request’s own origin', () => {
    expect(redirectUriFor(request({}), agents)).toBe('http://bff.example:3000/console/callback');
    expect(consoleUrlFor(request({}), agents)).toBe('http://bff.example:3000/console');
    expect(overHttps(request({}), agents)).toBe(false);
  });
});
