import { gzipSync } from 'node:zlib';
import { startStack, type Stack } from '../support/bff-stack.js';
import { discover } from '../support/recording-proxy.js';
import { answerOf, expectProblem, storedRequestKeys, type Answer } from './attack-assertions.js';
import { ledgeredProvider, startProviderLedger, type ProviderLedger } from './provider-ledger.js';
import { rawRequest, type RawResponse } from './raw-http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What an attacker hides in a string: each placed inside an otherwise valid value. */
const HOSTILE: Record<string, string> = {
  NUL: '\u0000',
  'CRLF header injection': '\r\nX-Injected: 1\r\n',
  'bare LF': '\n',
  'right-to-left override': '\u202E',
  'bidi isolate': '\u2066',
  'ANSI escape': '\u001b[31m',
  DEL: '\u007f',
  'C1 next line': '\u0085',
  'zero-width space': '\u200B',
  'byte order mark': '\uFEFF',
};

/**
 * Every string field of the start body (API.md §4): a valid body around it for the customer
 * `hint`, spoiled by `x`. Each hostile value gets its own customer, so that if one slips through
 * the provider's own answer shows (not the per-customer limit hit by the ones before it).
 */
const FIELDS: { field: string; body: (x: string, hint?: string) => Record<string, unknown>; codes: string[] }[] = [
  { field: 'provider', body: (x, hint = 'alice') => ({ provider: `wat${x}ched`, loginHint: hint }), codes: ['invalid_request'] },
  {
    field: 'loginHint',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: `${hint.slice(0, 2)}${x}${hint.slice(2)}` }),
    codes: ['invalid_request'],
  },
  { field: 'loginHintToken', body: (x) => ({ provider: 'watched', loginHintToken: `token${x}value` }), codes: ['invalid_request'] },
  {
    field: 'idTokenHint',
    body: (x) => ({ provider: 'watched', idTokenHint: `eyJhbGciOiJub25lIn0.e30${x}.sig` }),
    codes: ['invalid_request'],
  },
  {
    field: 'bindingMessage',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, bindingMessage: `W4SP${x}1234` }),
    codes: ['invalid_request'],
  },
  {
    field: 'reference',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, reference: `till-7${x}receipt-99` }),
    codes: ['invalid_request'],
  },
  {
    field: 'acrValues',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, acrValues: `urn:sandbox:${x}acr:high` }),
    codes: ['invalid_request'],
  },
  {
    field: 'scope',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, scope: `openid pro${x}file` }),
    codes: ['invalid_request'],
  },
  {
    field: 'uiLocales',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, uiLocales: `ka${x}en` }),
    codes: ['invalid_request'],
  },
  {
    field: 'userCode',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, userCode: `12${x}34` }),
    codes: ['invalid_request'],
  },
  {
    field: 'callbackUrl',
    body: (x, hint = 'alice') => ({ provider: 'watched', loginHint: hint, callbackUrl: `https://pos.example.com/${x}ciba/result` }),
    codes: ['invalid_request', 'callback_not_allowed'],
  },
];

/** Demo customers as the sandbox knows them (personal numbers, phones, any letter case), one per hostile value. */
const HINTS = [
  '01001011111',
  '01001022222',
  '01001033333',
  '01001044444',
  '+995599123456',
  '+995599234567',
  '+995599345678',
  '+995599456789',
  'Alice',
  'ALICE',
];

const nested = (open: string, leaf: string, close: string, depth: number) => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

/**
 * Hostile and malformed input to the consumer API. Every answer must be a problem document with a
 * 4xx status and a code from API.md's table, never a 500 and never a crash; and nothing may reach
 * the provider or the store: a ledger at the provider's door records every backchannel request
 * (refused ones too, which the sandbox's pending list would not show), and the store's request
 * keys are compared before and after.
 */
describe('attacks: bad input', () => {
  let stack: Stack;
  let ledger: ProviderLedger;
  let base: string;
  let before: { doorCount: number; pending: number; keys: string[] };

  beforeAll(async () => {
    stack = await startStack({
      providers: async (sandbox) => {
        const endpoints = await discover(sandbox.issuer);
        ledger = await startProviderLedger(endpoints);
        return { watched: ledgeredProvider(sandbox.issuer, ledger, endpoints.jwks) };
      },
    });
    base = stack.bff!.url;
  });
  afterAll(async () => {
    await stack?.close();
    await ledger?.close();
  });

  beforeEach(async () => {
    before = { doorCount: ledger.backchannel.length, pending: stack.sandbox.pending().length, keys: await storedRequestKeys(stack) };
  });
  afterEach(async () => {
    // Still alive and serving, and no prototype was polluted in this process (the BFF runs in it).
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect(Object.getOwnPropertyNames(Object.prototype).filter((name) => name.startsWith('polluted'))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** Nothing reached the provider and the store holds no new request since the test began. */
  const expectUntouched = async () => {
    expect(ledger.backchannel.slice(before.doorCount).map((entry) => entry.form)).toEqual([]);
    expect(stack.sandbox.pending()).toHaveLength(before.pending);
    expect(await storedRequestKeys(stack)).toEqual(before.keys);
  };

  const post = (body: string | Buffer, contentType = 'application/json', headers: Record<string, string> = {}) =>
    answerOf(`${base}/v1/authentications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.portal}`, 'content-type': contentType, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  /** A raw answer in the shape the assertions take. */
  const asAnswer = (response: RawResponse): Answer => {
    let body: Record<string, any> | null;
    try {
      body = response.text ? (JSON.parse(response.text) as Record<string, any>) : null;
    } catch {
      body = { unparsed: response.text.slice(0, 200) };
    }
    return { status: response.status, headers: new Headers(response.headers.filter(([, value]) => !/[\r\n]/.test(value))), body };
  };

  const rawPost = (headers: [string, string][], body?: Buffer | string) =>
    rawRequest(base, {
      method: 'POST',
      path: '/v1/authentications',
      headers: [['Authorization', `Bearer ${stack.keys.portal}`], ...headers],
      body,
    });

  /** A 201 that should not have been is cancelled first, so one failure does not spill into the next test. */
  const refused = async (answer: Answer, codes: string | string[], label = '') => {
    if (answer.status === 201) await stack.portal.cancel(answer.body!.id);
    try {
      expectProblem(answer, codes);
    } catch (error) {
      throw new Error(`${label}\n${(error as Error).message}`, { cause: error });
    }
  };

  it('malformed JSON and JSON that is not an object: 400 invalid_request', async () => {
    const bodies = [
      '{"provider":',
      '{provider:"watched",loginHint:"alice"}',
      "{'provider':'watched','loginHint':'alice'}",
      '{"provider":"watched","loginHint":"alice",}',
      '{"provider":"watched","loginHint":"alice"} {"provider":"watched"}',
      '{"provider":"watched","loginHint":"alice"}}',
      '{"provider":"watched","loginHint":"al\u0000ice"}', // a raw control character inside a JSON string
      '{"provider":"watched","loginHint":"alice","requestedExpiry":NaN}',
      '{"provider":"watched","loginHint":"alice","requestedExpiry":1e999999}',
      '',
      'NaN',
      'null',
      'true',
      '42',
      '"watched"',
      '[]',
      '[{"provider":"watched","loginHint":"alice"}]',
    ];
    for (const body of bodies) await refused(await post(body), 'invalid_request', JSON.stringify(body));
    // Bytes that are not UTF-8 at all.
    await refused(await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x3a, 0x31, 0x7d])), 'invalid_request', 'not UTF-8');
    await expectUntouched();
  });

  it('a byte order mark: ignored as RFC 8259 §8.1 allows, so the body is judged as without it; two are malformed', async () => {
    const body = '{"provider":"watched","loginHint":"alice","tenantId":"x"}';
    const plain = await post(body);
    const withBom = await post(`\uFEFF${body}`);
    await refused(plain, 'invalid_request');
    await refused(withBom, 'invalid_request');
    expect(withBom.body!.detail).toBe(plain.body!.detail);
    await refused(await post(`\uFEFF\uFEFF${body}`), 'invalid_request');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    await refused(await post(utf16, 'application/json; charset=utf-16le'), ['invalid_request', 'unsupported_media_type']);
    await refused(await post(utf16), 'invalid_request');
    await expectUntouched();
  });

  it('bodies that are not JSON: 415 unsupported_media_type, whatever they hold', async () => {
    const json = '{"provider":"watched","loginHint":"alice"}';
    const cases: [string, string][] = [
      ['text/plain', json],
      ['text/plain; charset=utf-8', json],
      ['text/json', json],
      ['application/x-www-form-urlencoded', 'provider=watched&loginHint=alice'],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="body"\r\nContent-Type: application/json\r\n\r\n${json}\r\n--x--\r\n`,
      ],
      ['application/xml', '<start><provider>watched</provider><loginHint>alice</loginHint></start>'],
      ['application/javascript', json],
      ['application/json-seq', `\u001e${json}\n`],
      ['application/json; charset=latin1', json],
    ];
    for (const [type, body] of cases) await refused(await post(body, type), 'unsupported_media_type', type);
    await refused(asAnswer(await rawPost([], json)), 'unsupported_media_type', 'no Content-Type');
    await expectUntouched();
  });

  it('too large: 1 MiB declared, 1 MiB chunked, or a gzip bomb: 413 payload_too_large; unknown or corrupt encodings: 415 / 400', async () => {
    const huge = JSON.stringify({ provider: 'watched', loginHint: 'alice', reference: 'x'.repeat(1024 * 1024) });
    await refused(await post(huge), 'payload_too_large', '1 MiB');
    const bytes = Buffer.from(huge);
    const chunked = Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
    await refused(
      asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['Transfer-Encoding', 'chunked'],
          ],
          chunked,
        ),
      ),
      'payload_too_large',
      'chunked',
    );
    const bomb = gzipSync(Buffer.from(`{"provider":"watched","loginHint":"alice","reference":"${' '.repeat(1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(4096);
    await refused(
      asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['Content-Encoding', 'gzip'],
          ],
          bomb,
        ),
      ),
      'payload_too_large',
      'gzip bomb',
    );
    await refused(
      asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['Content-Encoding', 'x-bogus'],
          ],
          '{}',
        ),
      ),
      ['unsupported_media_type'],
    );
    await refused(
      asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['Content-Encoding', 'gzip'],
          ],
          'not gzip at all',
        ),
      ),
      'invalid_request',
      'corrupt gzip',
    );
    await expectUntouched();
  });

  describe('10,000 levels of nesting: 400 or 413, not a 500 (the body stays under 64 KiB)', () => {
    it.each([
      ['under an unknown key', `{"a":${nested('{"a":', '1', '}', 10_000)}}`],
      ['as the whole body', nested('{"a":', '1', '}', 10_000)],
      ['in claims', `{"provider":"watched","loginHint":"alice","claims":${nested('{"a":', '1', '}', 10_000)}}`],
      ['in loginHint (an object hint)', `{"provider":"watched","loginHint":${nested('{"a":', '1', '}', 10_000)}}`],
      ['in authorizationDetails', `{"provider":"watched","loginHint":"alice","authorizationDetails":[${nested('[', '', ']', 10_000)}]}`],
      ['unterminated', '{"a":'.repeat(10_000)],
    ])('%s', async (_label, body) => {
      expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
      await refused(await post(body), ['invalid_request', 'payload_too_large']);
      await expectUntouched();
    });
  });

  it('10,000 characters in every string field: 400', async () => {
    const long = 'a'.repeat(10_000);
    for (const { field, body, codes } of FIELDS) {
      const value = (body('') as Record<string, string>)[field];
      await refused(await post(JSON.stringify({ ...body(''), [field]: `${value}${long}` })), codes, field);
    }
    await expectUntouched();
  });

  describe('control characters, bidi overrides, NUL, ANSI escapes and CRLF inside a value: 400, never forwarded', () => {
    it.each(FIELDS.map((entry) => [entry.field, entry] as const))('%s', async (_field, { body, codes }) => {
      const answers: Record<string, string> = {};
      for (const [index, [name, hostile]] of Object.entries(HOSTILE).entries()) {
        const answer = await post(JSON.stringify(body(hostile, HINTS[index])));
        if (answer.status === 201) await stack.portal.cancel(answer.body!.id);
        answers[name] = `${answer.status} ${answer.body?.code}`;
      }
      const refusal = expect.stringMatching(new RegExp(`^400 (${codes.join('|')})$`));
      const expected = Object.fromEntries(Object.keys(HOSTILE).map((name) => [name, refusal]));
      expect(answers).toEqual(expected);
      await expectUntouched();
    });
  });

  it('whitespace (CR, LF, tab, BOM) at the edges of a hint is trimmed: the provider never receives it', async () => {
    const answer = await post(JSON.stringify({ provider: 'watched', loginHint: '\r\n\t\uFEFFbob\r\n' }));
    expect(answer.status).toBe(201);
    await stack.portal.cancel(answer.body!.id);
    const sent = ledger.backchannel.slice(before.doorCount).map((entry) => entry.form.login_hint);
    expect(sent).toEqual(['bob']);
  });

  describe('prototype keys and Object.prototype member names are unknown fields: 400, and nothing is polluted', () => {
    it.each([
      ['__proto__', 'carol'],
      ['constructor', 'Carol'],
      ['prototype', 'CAROL'],
      ['toString', 'cAROL'],
      ['hasOwnProperty', 'CArol'],
    ])('"%s" at the top level', async (key, hint) => {
      const answer = await post(`{"provider":"watched","loginHint":"${hint}","${key}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`);
      await refused(answer, 'invalid_request');
      expect(answer.body!.detail).toContain(key);
      await expectUntouched();
    });

    it('nested in claims, authorizationDetails and an object hint', async () => {
      const body =
        '{"provider":"watched","loginHint":{"__proto__":{"polluted":"hint"}},' +
        '"claims":{"__proto__":{"polluted":"claims"},"constructor":{"prototype":{"polluted":"ctor"}}},' +
        '"authorizationDetails":[{"__proto__":{"polluted":"rar"}}]}';
      await refused(await post(body), 'invalid_request');
      await expectUntouched();
    });
  });

  describe('headers', () => {
    const invalidBody = '{"provider":"watched","loginHint":"alice","tenantId":"x"}'; // refused by validation: only header effects are left

    it('Idempotency-Key of 10 kB, or with spaces, tabs or non-ASCII bytes: 400 before anything is started', async () => {
      const body = JSON.stringify({ provider: 'watched', loginHint: 'alice' });
      for (const key of ['k'.repeat(10 * 1024), 'order 4711', 'order\t4711', 'order-\xe9', '\xff\xfe']) {
        const answer = asAnswer(
          await rawPost(
            [
              ['Content-Type', 'application/json'],
              ['Idempotency-Key', key],
            ],
            body,
          ),
        );
        await refused(answer, 'invalid_request', JSON.stringify(key.slice(0, 20)));
      }
      await expectUntouched();
    });

    it('CRLF in Idempotency-Key or X-Request-Id injects no header into the answer', async () => {
      const attempts: [string, string][][] = [
        [['Idempotency-Key', 'k\r\nX-Injected: 1']],
        [['X-Request-Id', 'r\r\nX-Injected: 1']],
        [['X-Request-Id', 'r%0d%0aX-Injected:%201']],
        [['Idempotency-Key', 'k%0D%0AX-Injected:%201']],
      ];
      for (const headers of attempts) {
        const answer = await rawPost([['Content-Type', 'application/json'], ...headers], invalidBody);
        expect(answer.raw).not.toMatch(/\r\nx-injected/i);
        expect(answer.raw.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
        await refused(asAnswer(answer), 'invalid_request', JSON.stringify(headers));
      }
      await expectUntouched();
    });

    it('an unsafe X-Request-Id is replaced, a safe one kept; the problem document quotes the one answered', async () => {
      const unsafe = [
        'r'.repeat(10 * 1024),
        'a b',
        'a\tb',
        '<script>alert(1)</script>',
        '../../etc/passwd',
        'r%0d%0aX-Injected:%201',
        'caf\xe9',
        'r'.repeat(65),
        'a;b=c',
      ];
      for (const value of unsafe) {
        const answer = asAnswer(
          await rawPost(
            [
              ['Content-Type', 'application/json'],
              ['X-Request-Id', value],
            ],
            invalidBody,
          ),
        );
        const answered = answer.headers.get('x-request-id');
        expect({ given: value.slice(0, 30), answered }).toEqual({ given: value.slice(0, 30), answered: expect.stringMatching(UUID) });
        expect(answer.body!.requestId).toBe(answered);
      }
      const twice = asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['X-Request-Id', 'a'],
            ['X-Request-Id', 'b'],
          ],
          invalidBody,
        ),
      );
      expect(twice.headers.get('x-request-id')).toMatch(UUID);
      const safe = asAnswer(
        await rawPost(
          [
            ['Content-Type', 'application/json'],
            ['X-Request-Id', 'till-7.req_42'],
          ],
          invalidBody,
        ),
      );
      expect(safe.headers.get('x-request-id')).toBe('till-7.req_42');
      expect(safe.body!.requestId).toBe('till-7.req_42');
      await expectUntouched();
    });

    it('an attacker’s Host, X-Forwarded-Host or Forwarded never shapes a URL: Location and eventsUrl stay paths', async () => {
      const spoofed: [string, string][] = [
        ['Host', 'evil.example'],
        ['X-Forwarded-Host', 'evil.example'],
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Prefix', '/evil'],
        ['Forwarded', 'host=evil.example;proto=https'],
      ];
      const body = JSON.stringify({ provider: 'watched', loginHint: 'dave' });
      for (const path of ['/v1/authentications', 'http://evil.example/v1/authentications']) {
        const started = await rawRequest(base, {
          method: 'POST',
          path,
          headers: [...spoofed, ['Authorization', `Bearer ${stack.keys.portal}`], ['Content-Type', 'application/json']],
          body,
        });
        expect(started.status).toBe(201);
        const doc = JSON.parse(started.text) as { id: string; eventsUrl: string };
        await stack.portal.cancel(doc.id);
        expect(started.header('location')).toBe(`/v1/authentications/${doc.id}`);
        expect(doc.eventsUrl).toMatch(new RegExp(`^/v1/authentications/${doc.id}/events\\?token=[\\w.-]+$`));
        expect(started.raw).not.toMatch(/evil/i);
        const read = await rawRequest(base, {
          method: 'GET',
          path: `/v1/authentications/${doc.id}`,
          headers: [...spoofed, ['Authorization', `Bearer ${stack.keys.portal}`]],
        });
        expect(read.status).toBe(200);
        expect(read.raw).not.toMatch(/evil/i);
      }
      const problem = await rawRequest(base, { method: 'GET', path: '/v1/authentications/nope', headers: spoofed });
      expect(problem.status).toBe(401);
      expect(problem.raw).not.toMatch(/evil/i);
    });

    /** Header bytes Node's HTTP parser refuses before the app sees the request. */
    const parserRefusals: [[string, string], number][] = [
      [['X-Request-Id', 'r\nX-Injected: 1'], 400],
      [['Idempotency-Key', 'order-\x7f'], 400],
      [['X-Request-Id', 'r\r\n\r\nHTTP/1.1 200 OK\r\nX-Injected: 1'], 400],
      [['X-Padding', 'p'.repeat(20 * 1024)], 431],
    ];

    it('a bare LF, a DEL, a response-splitting attempt or 20 kB of headers: refused, one answer, nothing injected', async () => {
      for (const [header, status] of parserRefusals) {
        const answer = await rawPost([['Content-Type', 'application/json'], header], invalidBody);
        expect(answer.raw).not.toMatch(/\r\nx-injected/i);
        expect(answer.raw.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
        expect({ header: header[0], status: answer.status }).toEqual({ header: header[0], status });
      }
      await expectUntouched();
    });

    it('those refusals are problem documents too (API.md §4: "Every error ... is application/problem+json")', async () => {
      const answers = [];
      for (const [header] of parserRefusals) {
        const answer = await rawPost([['Content-Type', 'application/json'], header], invalidBody);
        answers.push({ header: header[0], type: answer.header('content-type'), code: (asAnswer(answer).body ?? {}).code });
      }
      expect(answers).toEqual(
        parserRefusals.map(([[header], status]) => ({
          header,
          type: expect.stringMatching(/^application\/problem\+json/),
          code: status === 431 ? expect.any(String) : 'invalid_request',
        })),
      );
    });
  });
});
