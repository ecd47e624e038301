import { runInNewContext } from 'node:vm';
import { maskedErrorSerializer, sanitizeLogValue } from './log-sanitizer.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIyNDgyODk3NjEwMDEifQ.c2lnbmF0dXJl';

describe('sanitizeLogValue', () => {
  it('censors sensitive fields at any depth and masks every string', () => {
    const input = {
      authenticationId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      customer: '*******1111',
      deep: { a: { b: { login_hint: '01001011111', note: 'phone +995599123456', list: [{ accessToken: 'at-1' }, `id ${JWT}`] } } },
    };
    expect(sanitizeLogValue(input)).toEqual({
      authenticationId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      customer: '*******1111',
      deep: { a: { b: { login_hint: '*******1111', note: 'phone *********3456', list: [{ accessToken: '[redacted]' }, 'id [jwt]'] } } },
    });
  });

  it('never changes the object it was given', () => {
    const input = { nested: { token: 'secret-token', text: 'hint 01001011111' } };
    sanitizeLogValue(input);
    expect(input).toEqual({ nested: { token: 'secret-token', text: 'hint 01001011111' } });
  });

  it('returns the same object when nothing needs masking (no copy per line)', () => {
    const input = { event: 'ciba.approved', authenticationId: '01J', nested: { interval: 5, at: 1736000000000 } };
    expect(sanitizeLogValue(input)).toBe(input);
  });

  it('serializes errors the way pino does, then masks message, stack, causes and attached fields', () => {
    const cause = new Error('connect ECONNREFUSED for login_hint=01001011111');
    const error = Object.assign(new Error(`POST http://op.example/bc?token=abc failed: ${JWT}`, { cause }), {
      code: 'OAUTH_RESPONSE_BODY_ERROR',
      body: { error: 'server_error', error_description: 'cannot process +995599123456', login_hint: 'alice' },
      url: 'http://op.example/token?auth_req_id=r-1',
    });
    const out = sanitizeLogValue({ err: error }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({
      type: 'Error',
      code: 'OAUTH_RESPONSE_BODY_ERROR',
      body: { error: 'server_error', error_description: 'cannot process *********3456', login_hint: 'a****' },
      url: 'http://op.example/token?auth_req_id=[redacted]',
    });
    expect(out.err.message).toContain('token=[redacted]');
    expect(out.err.message).toContain('[jwt]');
    expect(out.err.message).toContain('login_hint=[redacted]');
    expect(String(out.err.stack)).toContain('caused by: Error: connect ECONNREFUSED for login_hint=[redacted]');
    expect(JSON.stringify(out)).not.toMatch(/01001011111|995599123456|eyJ|abc|r-1/);
  });

  it('handles cycles, depth and width without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(sanitizeLogValue(cyclic)).toEqual({ name: 'loop', self: '[Circular]' });
    const withSecret: Record<string, unknown> = { token: 't' };
    withSecret.self = withSecret;
    expect(sanitizeLogValue(withSecret)).toEqual({ token: '[redacted]', self: '[Circular]' });
    const deep = { a: { b: { c: { d: { e: { f: { g: 'hint 01001011111' } } } } } } };
    expect(JSON.stringify(sanitizeLogValue(deep))).not.toContain('01001011111');
    const wide = Array.from({ length: 150 }, () => 'hint 01001011111');
    const masked = sanitizeLogValue(wide) as string[];
    expect(masked).toHaveLength(101);
    expect(masked.at(-1)).toBe('[...] 50 more');
    expect(masked.filter((item) => item.includes('01001011111'))).toEqual([]);
  });

  it('writes URLs, dates and buffers safely', () => {
    const out = sanitizeLogValue({
      url: new URL('http://op.example/cb?token=abc'),
      at: new Date(0),
      raw: Buffer.from('login_hint=01001011111'),
    });
    expect(out).toEqual({ url: 'http://op.example/cb?token=[redacted]', at: '1970-01-01T00:00:00.000Z', raw: '[binary 22 bytes]' });
  });
});

describe('errors from another realm', () => {
  it("are recognised as errors (undici throws from Node's realm, seen from Jest's vm context)", () => {
    const foreign = runInNewContext(
      'Object.assign(new TypeError("fetch failed for 01001011111"), { url: "http://op/x?token=abc" })',
    ) as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(sanitizeLogValue({ err: foreign })).toEqual({
      err: expect.objectContaining({ type: 'TypeError', message: 'fetch failed for *******1111', url: 'http://op/x?token=[redacted]' }),
    });
  });
});

describe('maskedErrorSerializer', () => {
  it('serializes and masks an Error, and leaves an already serialized one alone', () => {
    const once = maskedErrorSerializer(new Error('hint 01001011111')) as { message: string };
    expect(once.message).toBe('hint *******1111');
    expect(maskedErrorSerializer(once)).toBe(once);
  });
});
