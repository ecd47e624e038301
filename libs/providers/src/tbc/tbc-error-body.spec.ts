import { CibaError, ErrorCode } from '@ciba/ciba';
import { readErrorBody } from './tbc-error-body.js';
import { backchannelError, finalizeError } from './tbc-errors.js';

const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => ({ status, json, headers: new Headers(headers) });
const problem = (members: Record<string, unknown>) => ({
  title: 'Bad Request',
  status: 400,
  detail: 'Customer 01001011111: wrong <b>code</b>',
  ...members,
});

describe('TBC error bodies', () => {
  it('reads an OAuth JSON error, with its description (shown only as pending progress)', () => {
    expect(readErrorBody(answer(400, { error: 'authorization_pending', error_description: 'waiting' }))).toEqual({
      kind: 'oauth',
      error: 'authorization_pending',
      status: 400,
      retryAfterSeconds: undefined,
      description: 'waiting',
    });
  });

  it('reads a problem document by its code, never keeping the detail', () => {
    const failure = readErrorBody(answer(400, problem({ type: 'https://developers.tbcbank.ge/problems/x', code: 'CONSENT_REVOKED' })));
    expect(failure).toEqual({ kind: 'oauth', error: 'CONSENT_REVOKED', status: 400, retryAfterSeconds: undefined });
    expect(JSON.stringify(failure)).not.toContain('Customer');
  });

  it('reads OAuth error names in any spelling, so the CIBA rules apply', () => {
    expect(readErrorBody(answer(400, problem({ code: 'AUTHORIZATION-PENDING' })))).toMatchObject({ error: 'authorization_pending' });
    expect(readErrorBody(answer(400, problem({ type: 'https://api.tbcbank.ge/problems/slow-down' })))).toMatchObject({
      error: 'slow_down',
    });
    expect(readErrorBody(answer(400, problem({ type: 'urn:tbc:problem:Invalid.User.Code' })))).toMatchObject({
      error: 'invalid_user_code',
    });
  });

  it('falls back to a slug of the title, then to the status', () => {
    expect(readErrorBody(answer(403, problem({ type: 'about:blank', title: 'Access denied' })))).toMatchObject({
      error: 'access_denied',
      status: 403,
    });
    expect(readErrorBody(answer(409, problem({ title: 'Customer is blocked!' })))).toMatchObject({ error: 'customer_is_blocked' });
    expect(readErrorBody(answer(400, problem({ type: 'about:blank', title: '–––' })))).toMatchObject({ error: 'http_400' });
  });

  it('refuses unsafe codes: an error that is not a plain token is not shown', () => {
    expect(readErrorBody(answer(400, problem({ code: '<script>', type: 'https://x/problems/bad-thing' })))).toMatchObject({
      error: 'bad-thing',
    });
    expect(readErrorBody(answer(400, { error: 'a b <c>' }))).toEqual({ kind: 'http', status: 400, retryAfterSeconds: undefined });
  });

  it('an answer without an error body is judged by its status, with Retry-After', () => {
    expect(readErrorBody(answer(503, undefined, { 'retry-after': '7' }))).toEqual({ kind: 'http', status: 503, retryAfterSeconds: 7 });
    expect(readErrorBody(answer(502, ['x']))).toMatchObject({ kind: 'http', status: 502 });
  });
});

describe('TBC refusals as consumer errors', () => {
  const oauth = (error: string, status = 400) => ({ kind: 'oauth' as const, error, status });

  it('a wrong code at finalize is invalid_user_code, whatever TBC calls it, and never names the code', () => {
    for (const code of ['invalid_user_code', 'INVALID-OTP', 'wrong_code', 'invalid.pin']) {
      const error = finalizeError(oauth(code));
      expect(error).toBeInstanceOf(CibaError);
      expect(error.code).toBe(ErrorCode.InvalidUserCode);
      expect(error.extensions.providerError).toBe(code);
    }
  });

  it('an expired or missing code, or a 5xx, is not a wrong code', () => {
    expect(finalizeError(oauth('user_code_expired')).code).toBe(ErrorCode.ProviderRejected);
    expect(finalizeError(oauth('missing_user_code')).code).toBe(ErrorCode.ProviderRejected);
    expect(finalizeError(oauth('invalid_user_code', 500)).code).toBe(ErrorCode.ProviderUnavailable);
    expect(finalizeError(oauth('invalid_grant')).code).toBe(ErrorCode.ProviderRejected);
  });

  it('an unknown customer is customer_unknown; other refusals keep the provider code', () => {
    expect(backchannelError(oauth('CUSTOMER_NOT_FOUND'))).toMatchObject({
      code: ErrorCode.CustomerUnknown,
      extensions: { providerError: 'CUSTOMER_NOT_FOUND' },
    });
    expect(backchannelError(oauth('unknown_user_id'))).toMatchObject({ code: ErrorCode.CustomerUnknown });
    expect(backchannelError(oauth('CONSENT_REVOKED'))).toMatchObject({
      code: ErrorCode.ProviderRejected,
      extensions: { providerError: 'CONSENT_REVOKED' },
    });
    expect(backchannelError({ kind: 'http', status: 503 }).code).toBe(ErrorCode.ProviderUnavailable);
  });
});
