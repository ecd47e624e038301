import { censorField, maskIdentifier, NOT_SENSITIVE, REDACT_PATHS, REDACTED, redactCensor } from './log-field-redaction.js';

describe('censorField', () => {
  it.each([
    'authorization',
    'Authorization',
    'x-api-key',
    'apiKey',
    'token',
    'idToken',
    'accessToken',
    'refreshToken',
    'id_token',
    'access_token',
    'refresh_token',
    'tokens',
    'tokenResponse',
    'client_secret',
    'clientSecret',
    'client_assertion',
    'secret',
    'password',
    'userCode',
    'user_code',
    'authReqId',
    'auth_req_id',
    'client_notification_token',
    'login_hint_token',
    'id_token_hint',
    'eventsToken',
  ])('replaces the secret field %s whole', (name) => {
    expect(censorField(name, 'some-value-1234')).toBe(REDACTED);
    expect(censorField(name, { nested: 'object' })).toBe(REDACTED);
  });

  it.each([
    ['customer', '01001011111', '*******1111'],
    ['loginHint', '+995599123456', '*********3456'],
    ['login_hint', 'alice', 'a****'],
    ['personal_number', '01001011111', '*******1111'],
    ['personalNumber', 1001011111, '******1111'],
    ['phone_number', '+995599123456', '*********3456'],
    ['msisdn', '995599123456', '********3456'],
    ['ssn', '123456789', '*****6789'],
  ])('masks the identifier field %s, keeping the last four characters', (name, value, expected) => {
    expect(censorField(name, value)).toBe(expected);
  });

  it.each(['*******1111', '*********3456', 'a****', '[token]', '[redacted]'])('keeps the masked value %s readable', (value) => {
    expect(censorField('customer', value)).toBe(value);
  });

  it('redacts an identifier field holding an object (a prepared hint)', () => {
    expect(censorField('hint', { value: '01001011111', customer: '01001011111' })).toBe(REDACTED);
  });

  it('leaves absent values absent', () => {
    expect(censorField('token', undefined)).toBeUndefined();
    expect(censorField('customer', null)).toBeNull();
  });

  it.each(['authenticationId', 'customerMasked', 'tokenMatches', 'code', 'providerError', 'event', 'msg'])(
    'does not judge %s by its name',
    (name) => {
      expect(censorField(name, 'x')).toBe(NOT_SENSITIVE);
    },
  );
});

describe('maskIdentifier', () => {
  it('masks like hint.ts: long values keep four characters, short ones the first', () => {
    expect(maskIdentifier('01001011111')).toBe('*******1111');
    expect(maskIdentifier('bob')).toBe('b***');
    expect(maskIdentifier('')).toBe('');
  });
});

describe('redactCensor (pino redact)', () => {
  it('names the field by the last path segment', () => {
    expect(redactCensor('01001011111', ['result', 'claims', 'personal_number'])).toBe('*******1111');
    expect(redactCensor('at-1', ['result', 'tokens', 'accessToken'])).toBe(REDACTED);
  });
});

describe('REDACT_PATHS', () => {
  it('covers every name at the top and one or two levels into the payload containers', () => {
    const names = [
      'authorization',
      'apiKey',
      'token',
      'idToken',
      'accessToken',
      'refreshToken',
      'id_token',
      'access_token',
      'refresh_token',
    ];
    names.push(
      'client_secret',
      'client_assertion',
      'secret',
      'userCode',
      'user_code',
      'loginHint',
      'login_hint',
      'authReqId',
      'auth_req_id',
    );
    names.push('personal_number', 'phone_number', 'msisdn', 'ssn', 'customer');
    for (const name of names) {
      expect(REDACT_PATHS).toContain(name);
      for (const container of ['err', 'body', 'params', 'claims', 'result', 'tokens']) {
        expect(REDACT_PATHS).toContain(`${container}.${name}`);
        expect(REDACT_PATHS).toContain(`${container}.*.${name}`);
      }
    }
    expect(REDACT_PATHS).toContain('headers.authorization');
    expect(REDACT_PATHS).toContain('headers["x-api-key"]');
  });

  it('has no path starting with a wildcard (those make pino walk every field of every line)', () => {
    expect(REDACT_PATHS.filter((path) => path.startsWith('*'))).toEqual([]);
  });
});
