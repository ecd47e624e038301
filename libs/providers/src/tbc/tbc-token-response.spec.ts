import { readTokenResponse } from './tbc-token-response.js';
import { intervalSeconds, requestLifetimeSeconds, tokenLifetimeSeconds } from './tbc-units.js';

describe('TBC token response (tolerant parser)', () => {
  it('reads TBC house style: BearerToken, expires_in and issued_at in ms; keeps unknown members', () => {
    const issuedAt = 1_795_000_000_000;
    expect(
      readTokenResponse({
        access_token: 'at',
        id_token: 'a.b.c',
        token_type: 'BearerToken',
        expires_in: 3_600_000,
        issued_at: issuedAt,
        consent_id: 'c-1',
      }),
    ).toEqual({
      access_token: 'at',
      id_token: 'a.b.c',
      token_type: 'Bearer',
      expires_in: 3600,
      issued_at: issuedAt,
      consent_id: 'c-1',
    });
  });

  it('accepts the middle answer: an ID Token without an access token', () => {
    expect(readTokenResponse({ id_token: 'a.b.c' })).toEqual({ id_token: 'a.b.c' });
  });

  it('leaves a standard response as it is', () => {
    const standard = { access_token: 'at', id_token: 'a.b.c', token_type: 'Bearer', expires_in: 300, scope: 'openid', refresh_token: 'rt' };
    expect(readTokenResponse(standard)).toEqual(standard);
  });

  it('reads numeric strings, joins a scope array, drops members it cannot read', () => {
    expect(readTokenResponse({ access_token: 'at', expires_in: '120', scope: ['openid', 'profile'] })).toEqual({
      access_token: 'at',
      expires_in: 120,
      scope: 'openid profile',
    });
    expect(readTokenResponse({ access_token: 'at', expires_in: 'soon', scope: 7 })).toEqual({ access_token: 'at' });
    expect(readTokenResponse({ access_token: 'at', expires_in: -5 })).toEqual({ access_token: 'at' });
  });

  it('does not take for a token response what is not one', () => {
    expect(readTokenResponse(undefined)).toBeUndefined();
    expect(readTokenResponse('a.b.c')).toBeUndefined();
    expect(readTokenResponse([{ id_token: 'a.b.c' }])).toBeUndefined();
    expect(readTokenResponse({ token_type: 'Bearer' })).toBeUndefined();
    expect(readTokenResponse({ id_token: { nested: true } })).toBeUndefined();
    expect(readTokenResponse({ access_token: 'at', token_type: 1 })).toBeUndefined();
  });

  it('keeps other token types as they are', () => {
    expect(readTokenResponse({ access_token: 'at', token_type: 'DPoP' })!.token_type).toBe('DPoP');
    expect(readTokenResponse({ access_token: 'at', token_type: 'bearertoken' })!.token_type).toBe('Bearer');
  });
});

describe('TBC units: milliseconds only where seconds are implausible', () => {
  it('token lifetimes: ms above a day, or whenever issued_at is in ms', () => {
    expect(tokenLifetimeSeconds(86_400, undefined)).toBe(86_400);
    expect(tokenLifetimeSeconds(86_401, undefined)).toBe(86);
    expect(tokenLifetimeSeconds(300_000, undefined)).toBe(300);
    expect(tokenLifetimeSeconds(60_000, 1_795_000_000_000)).toBe(60);
    expect(tokenLifetimeSeconds(300, 1_795_000_000)).toBe(300);
    expect(tokenLifetimeSeconds(300, '1795000000000')).toBe(0);
  });

  it('request lifetimes: ms above an hour; intervals: ms above a minute, never below 1 s', () => {
    expect(requestLifetimeSeconds(120)).toBe(120);
    expect(requestLifetimeSeconds(3600)).toBe(3600);
    expect(requestLifetimeSeconds(120_000)).toBe(120);
    expect(intervalSeconds(5)).toBe(5);
    expect(intervalSeconds(5000)).toBe(5);
    expect(intervalSeconds(500)).toBe(1);
  });
});
