import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger } from './logger.js';

/** A logger at trace whose lines are kept; `flush` waits for pino's asynchronous writes. */
function capture() {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('trace', sink);
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line !== '');
  const records = () => lines().map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, text, lines, records };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIyNDgyODk3NjEwMDEifQ.c2lnbmF0dXJl';

describe('createLogger', () => {
  it('writes one JSON object per line even when a value tries to start a line of its own', () => {
    const out = capture();
    const injected = 'x\n{"level":"error","msg":"forged"}\r\n\u001b[31mred\u001b[0m';
    out.logger.info({ reference: injected, nested: { note: injected } }, injected);
    expect(out.lines()).toHaveLength(1);
    const [record] = out.records();
    expect(record.msg).toBe(injected);
    expect(record.reference).toBe(injected);
    expect(record.nested.note).toBe(injected);
    expect(out.text()).not.toContain('\u001b');
  });

  it('censors sensitive fields at the top, nested, and in payload containers', () => {
    const out = capture();
    out.logger.info(
      {
        authorization: 'Bearer portal-key',
        headers: { authorization: 'Bearer portal-key', 'x-api-key': 'k-1' },
        apiKey: 'k-1',
        token: 't-1',
        idToken: JWT,
        result: { tokens: { idToken: JWT, accessToken: 'at-1' }, claims: { personal_number: '01001011111', name: 'Alice' } },
        body: { client_secret: 's-1', client_assertion: 'a.b.c', login_hint: '+995599123456', auth_req_id: 'r-1', user_code: '1234' },
        params: { loginHint: 'alice', authReqId: 'r-2', userCode: '5678' },
        customer: '*******1111',
      },
      'payloads',
    );
    const [record] = out.records();
    expect(record).toMatchObject({
      authorization: '[redacted]',
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      apiKey: '[redacted]',
      token: '[redacted]',
      idToken: '[redacted]',
      result: { tokens: '[redacted]', claims: { personal_number: '*******1111', name: 'Alice' } },
      body: {
        client_secret: '[redacted]',
        client_assertion: '[redacted]',
        login_hint: '*********3456',
        auth_req_id: '[redacted]',
        user_code: '[redacted]',
      },
      params: { loginHint: 'a****', authReqId: '[redacted]', userCode: '[redacted]' },
      customer: '*******1111',
    });
    expect(out.text()).not.toMatch(/portal-key|k-1|t-1|at-1|s-1|r-1|r-2|1234|5678|eyJ|01001011111|995599123456/);
  });

  it('masks the message, also after interpolation', () => {
    const out = capture();
    out.logger.info('hint %s refused', '01001011111');
    out.logger.warn({ event: 'x' }, '%s=%s', 'token', 'abc-secret');
    out.logger.debug(`called http://op/bc?login_hint=alice with Bearer ${JWT}`);
    expect(out.records().map((record) => record.msg as unknown)).toEqual([
      'hint *******1111 refused',
      'token=[redacted]',
      'called http://op/bc?login_hint=[redacted] with Bearer [redacted]',
    ]);
  });

  it('serializes errors through pino and masks them, however they are passed', () => {
    const out = capture();
    const error = Object.assign(new Error('POST http://op/bc failed: login_hint=01001011111&client_secret=s3cr3t'), {
      body: { error_description: 'unknown customer +995599123456' },
    });
    out.logger.error({ err: error }, 'start failed');
    out.logger.error(error);
    out.logger.error({ err: error });
    out.logger.warn({ cause: error, authenticationId: '01J' }, 'nested error');
    const records = out.records();
    expect(records).toHaveLength(4);
    expect(records[0].err).toMatchObject({ type: 'Error', body: { error_description: 'unknown customer *********3456' } });
    expect(records[0].err.message).toBe('POST http://op/bc failed: login_hint=[redacted]&client_secret=[redacted]');
    expect(records[0].err.stack).toContain('login_hint=[redacted]');
    expect(records[1].msg).toBe('POST http://op/bc failed: login_hint=[redacted]&client_secret=[redacted]');
    expect(records[2].msg).toBe(records[1].msg);
    expect(records[3].cause.message).toBe(records[1].msg);
    expect(out.text()).not.toMatch(/01001011111|995599123456|s3cr3t/);
  });

  it('masks what Nest logs through the bridge, including stack traces', () => {
    const out = capture();
    const nest = new NestPinoLogger(out.logger);
    nest.error('request failed for 01001011111', 'Error: at /v1/authentications?token=abc\n    at handler', 'ExceptionsHandler');
    nest.log(`Authorization: Bearer ${JWT}`, 'Router');
    const records = out.records();
    expect(records[0]).toMatchObject({ msg: 'request failed for *******1111', context: 'ExceptionsHandler' });
    expect(records[0].trace).toBe('Error: at /v1/authentications?token=[redacted]\n    at handler');
    expect(records[1].msg).toBe('Authorization: Bearer [redacted]');
  });

  it('masks child bindings too', () => {
    const out = capture();
    out.logger.child({ loginHint: '01001011111', note: 'for +995599123456' }).info('child line');
    const [record] = out.records();
    expect(record).toMatchObject({ loginHint: '*******1111', note: 'for *********3456', msg: 'child line', service: 'ciba-bff' });
  });
});
