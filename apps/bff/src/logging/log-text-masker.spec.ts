import { maskText } from './log-text-masker.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIyNDgyODk3NjEwMDEiLCJhY3IiOiJoaWdoIn0.c2lnbmF0dXJlLXdpdGgtXw_-';
const EVENTS_TOKEN = 'eyJhIjoiMDFKOVozSzQiLCJjIjoicG9ydGFsIiwiZSI6MTc1MDAwMDAwMH0.Qk1hY19zaWduYXR1cmU';

describe('maskText', () => {
  it.each([
    ['a personal number', 'hint 01001011111 refused', 'hint *******1111 refused'],
    ['a phone number in E.164', 'phone +995599123456.', 'phone *********3456.'],
    ['a phone number with separators', 'call +995 (599) 12-34-56 now', 'call *********3456 now'],
    ['a URL-encoded phone number', 'login_x=%2B995599123456&a=1', 'login_x=*********3456&a=1'],
    ['a US-style SSN', 'ssn 123-45-6789 on file', 'ssn *****6789 on file'],
    ['digits after a hyphen', 'unknown mallory-1234567890', 'unknown mallory-******7890'],
    ['a JWT', `id_tok ${JWT} end`, 'id_tok [jwt] end'],
    ['a JWE (five parts)', `x eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn y`, 'x [jwt] y'],
    ['a two-part token (eventsUrl)', `stream ${EVENTS_TOKEN} closed`, 'stream [token] closed'],
    ['a Bearer credential', 'Authorization: Bearer portal-3f9a0c1d2e', 'Authorization: Bearer [redacted]'],
    ['a DPoP credential', 'authorization: DPoP abc.def-ghi', 'authorization: DPoP [redacted]'],
    ['Basic credentials', 'Authorization: Basic YmZmOnNhbmRib3gtc2VjcmV0', 'Authorization: Basic [redacted]'],
    [
      'a token query parameter',
      'GET /v1/authentications/01J/events?token=abc.def&x=1',
      'GET /v1/authentications/01J/events?token=[redacted]&x=1',
    ],
    ['a URL-encoded query inside a URL', 'next=%2Fevents%3Ftoken%3Dabcdef', 'next=%2Fevents%3Ftoken%3D[redacted]'],
    [
      'a form body',
      'scope=openid&login_hint=alice&client_secret=s3cr3t&client_assertion=x.y.z&user_code=1234&auth_req_id=r-1',
      'scope=openid&login_hint=[redacted]&client_secret=[redacted]&client_assertion=[redacted]&user_code=[redacted]&auth_req_id=[redacted]',
    ],
    [
      'a client_notification_token',
      'client_notification_token=nt-1&id_token_hint=h',
      'client_notification_token=[redacted]&id_token_hint=[redacted]',
    ],
    ['refresh and access tokens in a form', 'refresh_token=rt-1 access_token=at-1', 'refresh_token=[redacted] access_token=[redacted]'],
    [
      'a JSON body',
      '{"error":"x","login_hint":"alice","auth_req_id":"r-1"}',
      '{"error":"x","login_hint":"[redacted]","auth_req_id":"[redacted]"}',
    ],
    ['util.inspect output', "{ loginHint: 'alice', apiKey: 'k-1' }", "{ loginHint: '[redacted]', apiKey: '[redacted]' }"],
    ['a colon pair in prose', 'client secret: s3cr3t', 'client secret: [redacted]'],
  ])('masks %s', (_kind, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    ['masked values', 'customer *******1111 and *********3456'],
    ['short masked values', 'customer a****'],
    ['masked values in pairs', 'login_hint=*******1111&personal_number: a**** {"loginHint":"[token]"}'],
    ['already redacted text', 'token=[redacted] Bearer [redacted] [jwt] [token]'],
    ['ISO timestamps', 'expires 2026-01-15T10:20:30.123Z'],
    ['digits inside identifiers', 'id 01HZX3K12345678ABC hash 9f86d081884c7d659a2feaa0c55ad015'],
    ['short numbers and addresses', 'redis://127.0.0.1:6379 retry in 5000 ms, attempt 3'],
    ['our own prose', 'ID Token verification could not run; will retry'],
    ['the unauthorized message', 'Send a valid API key as "Authorization: Bearer <key>".'],
    ['field names without a value', 'unknown field "loginHint"; loginHint must be 1 to 2048 characters'],
    ['the word Basic', 'Basic authentication failed'],
  ])('leaves %s unchanged', (_kind, input) => {
    expect(maskText(input)).toBe(input);
  });

  it('is idempotent', () => {
    const input = `login_hint=01001011111 Bearer ${JWT} phone +995599123456 ${EVENTS_TOKEN}`;
    const once = maskText(input);
    expect(maskText(once)).toBe(once);
    expect(once).not.toMatch(/01001011111|995599123456|eyJ/);
  });

  it('masks every occurrence in a long text (an error stack)', () => {
    const stack = Array.from({ length: 50 }, (_, i) => `    at fetch (http://op/bc?login_hint=0100101${1000 + i}) ${JWT}`).join('\n');
    const masked = maskText(stack);
    expect(masked).not.toMatch(/0100101\d{4}|eyJ/);
    expect(masked.split('\n')).toHaveLength(50);
  });

  it('escapes Unicode line separators that JavaScript log tooling would break lines at', () => {
    expect(maskText('one\u2028two\u2029three')).toBe('one\\u2028two\\u2029three');
  });

  it('masks 10,000 short lines (a sanity run, not timed)', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `authentication ${i} started for 0100101${String(i % 10_000).padStart(4, '0')}`);
    const masked = lines.map(maskText);
    expect(masked.filter((line) => /0100101\d{4}/.test(line))).toEqual([]);
  });
});
