import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger } from './logger.js';
import { terminalSafe } from './log-destination.js';

/** A stream that keeps what is written to it, flagged as a terminal or not. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIyNDgyODk3NjEwMDEifQ.c2lnbmF0dXJl';

describe('log destination', () => {
  it('writes JSON lines to a stream that is not a terminal', () => {
    const out = sink(false);
    createLogger('info', out.stream).info({ event: 'demo.started', provider: 'sandbox' }, 'sandbox ready');
    const record = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, msg: 'sandbox ready', event: 'demo.started', provider: 'sandbox' });
  });

  it('formats lines for reading on a terminal, with secrets still masked', () => {
    const out = sink(true);
    createLogger('info', out.stream).info({ event: 'demo.started', accessToken: JWT }, `token ${JWT} issued`);
    const text = out.text();
    expect(() => void JSON.parse(text.trim())).toThrow();
    expect(text).toMatch(/INFO/);
    expect(text).toContain('issued');
    expect(text).toContain('demo.started');
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('c2lnbmF0dXJl');
  });

  it('keeps a value from starting a line or steering the terminal in the readable format', () => {
    const out = sink(true);
    const injected = 'x\nFAKE INFO: forged\u001b[31m red \u009b2J\u202e';
    createLogger('info', out.stream).info({ reference: injected }, injected);
    // pino-pretty's own colours are the only escape sequences left.
    const colour = new RegExp(String.raw`\u001b\[\d{1,2}m`, 'g');
    const control = new RegExp(String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]`);
    const text = out.text().replace(colour, '');
    expect(text).not.toMatch(control);
    expect(text.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
    expect(text).toContain('x\\nFAKE INFO: forged\\u001b[31m red \\u009b2J\\u202e');
  });

  it('escapes control characters once more, but leaves an escaped backslash alone', () => {
    expect(terminalSafe('{"msg":"a\\nb"}')).toBe('{"msg":"a\\\\nb"}');
    expect(terminalSafe('{"msg":"a\\\\nb"}')).toBe('{"msg":"a\\\\nb"}');
    expect(terminalSafe('{"msg":"\\u001b[2J \\u00e9"}')).toBe('{"msg":"\\\\u001b[2J \\u00e9"}');
  });

  it("puts Nest's start-up narration (route mapping, modules, 'successfully started') at debug", () => {
    const out = sink(false);
    const nest = new NestPinoLogger(createLogger('info', out.stream));
    nest.log('Mapped {/v1/authentications, POST} route', 'RouterExplorer');
    nest.log('AuthenticationsController {/v1/authentications}:', 'RoutesResolver');
    nest.log('BffModule dependencies initialized', 'InstanceLoader');
    nest.log('Nest application successfully started', 'NestApplication');
    nest.log('something the application says', 'PollWorker');
    const records = out
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(records.map((record) => record.msg)).toEqual(['something the application says']);
  });
});
