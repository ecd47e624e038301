import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { findFreePort } from '@ciba/embedded-redis';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { LOGGER } from '../../apps/bff/src/tokens.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { readSse } from '../support/sse-reader.js';

/**
 * Product issue "security a bank will audit": at `trace`, no log line may carry a personal
 * number, phone number, login hint, token, API key or client secret in clear. Every line the BFF
 * writes during real flows is captured and searched for distinctive canaries.
 */

const PERSONAL_NUMBER = '01001011111'; // demo customer alice
const PHONE = '+995599123456'; // alice again
const UNKNOWN_HINT = 'mallory-1234567890';
const ECHO_HINT = 'Zelda-Canary-7Q'; // no digit run: only field names and form parsing can catch it
const ECHO_SECRET = 'echo-client-secret-c4n4ry';
const WRONG_KEY = 'wrong-key-c4n4ry-5f1e2d';
const WRONG_EVENTS_TOKEN = 'forged-events-token-c4n4ry';

/** An OpenID Provider that fails every backchannel request and echoes what it got into its answer. */
interface EchoProvider {
  url: string;
  /** bodies received, by path */
  received: { path: string; body: string }[];
  close(): Promise<void>;
}

const ECHO_ANSWERS: Record<string, (body: string) => { status: number; type: string; text: string }> = {
  // An OAuth error body with a 5xx, quoting the form (as some providers' error pages do).
  '/bc-json': (body) => ({
    status: 500,
    type: 'application/json',
    text: JSON.stringify({ error: 'server_error', error_description: `cannot process ${body}` }),
  }),
  // Not an OAuth error at all: an HTML page with the form in it.
  '/bc-html': (body) => ({ status: 500, type: 'text/html', text: `<html><pre>${body}</pre></html>` }),
  // 200 but not an acknowledgement: openid-client throws with the body as the cause.
  '/bc-garbage': (body) => ({ status: 200, type: 'application/json', text: JSON.stringify({ echo: body, login_hint: ECHO_HINT }) }),
  // A 4xx refusal quoting the form: openid-client keeps the body on the error it throws.
  '/bc-reject': (body) => ({
    status: 400,
    type: 'application/json',
    text: JSON.stringify({ error: 'invalid_request', error_description: `bad request: ${body}` }),
  }),
};

async function startEchoProvider(): Promise<EchoProvider> {
  const received: EchoProvider['received'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '/').split('?')[0];
      received.push({ path, body });
      const answer = ECHO_ANSWERS[path]?.(body) ?? { status: 404, type: 'text/plain', text: `no ${path}; got ${body}` };
      response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const echoEntry = (url: string, path: string) => ({
  profile: 'generic',
  issuer: url,
  backchannelAuthenticationEndpoint: `${url}${path}`,
  tokenEndpoint: `${url}/token`,
  jwksUri: `${url}/jwks`,
  clientId: 'bff-echo',
  clientAuth: { method: 'client_secret_post', secret: ECHO_SECRET },
  scope: 'openid',
  allowInsecureHttp: true,
  httpTimeoutSeconds: 5,
});

/** A canary and the forms it could take in a log line. */
function variants(canary: string): string[] {
  const forms = [
    canary,
    encodeURIComponent(canary),
    canary.replace(/[^A-Za-z0-9]/g, ''),
    JSON.stringify(canary).slice(1, -1),
    canary.toLowerCase(),
  ];
  return [...new Set(forms)].filter((form) => form.length >= 8);
}

describe('log redaction at trace level, across real flows', () => {
  let stack: Stack;
  let echo: EchoProvider;
  const chunks: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const canaries = new Map<string, string>([
    ['personal number', PERSONAL_NUMBER],
    ['phone number', PHONE],
    ['unknown login hint', UNKNOWN_HINT],
    ['echo login hint', ECHO_HINT],
    ['echo client secret', ECHO_SECRET],
    ['wrong API key', WRONG_KEY],
    ['forged events token', WRONG_EVENTS_TOKEN],
  ]);

  beforeAll(async () => {
    const closedPort = await findFreePort();
    stack = await startStack({
      logSink,
      providers: async () => {
        echo = await startEchoProvider();
        return {
          echojson: echoEntry(echo.url, '/bc-json'),
          echohtml: echoEntry(echo.url, '/bc-html'),
          echogarbage: echoEntry(echo.url, '/bc-garbage'),
          echoreject: echoEntry(echo.url, '/bc-reject'),
          closed: { ...echoEntry(`http://127.0.0.1:${closedPort}`, '/bc'), httpTimeoutSeconds: 2 },
        };
      },
    });
    canaries.set('consumer API key', stack.keys.portal);
  });
  afterAll(async () => {
    await stack?.close();
    await echo?.close();
  });

  it('approve flows by personal number and by phone: the tokens and eventsUrl token are canaries too', async () => {
    for (const hint of [PERSONAL_NUMBER, PHONE]) {
      const start = await stack.portal.start({ provider: 'sandbox', loginHint: hint });
      expect(start.status).toBe(201);
      const request = await stack.sandbox.waitForRequest(hint);
      expect(request.customer).toBe('alice');
      await stack.sandbox.approve(request.id);
      const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 30);
      expect(done.body!.status).toBe('approved');
      const tokens = done.body!.result.tokens as Record<string, unknown>;
      expect(typeof tokens.idToken).toBe('string');
      expect(typeof tokens.accessToken).toBe('string');
      for (const [name, value] of Object.entries(tokens)) {
        if (typeof value !== 'string' || value.length < 16) continue;
        canaries.set(`${hint} ${name}`, value);
        value.split('.').forEach((part, i) => part.length >= 16 && canaries.set(`${hint} ${name} part ${i}`, part));
      }
      // The browser's way in: the eventsUrl token travels in the query string.
      const eventsUrl = done.body!.eventsUrl as string;
      const eventsToken = new URL(eventsUrl, stack.bff!.url).searchParams.get('token')!;
      expect(eventsToken.length).toBeGreaterThan(16);
      canaries.set(`${hint} eventsUrl token`, eventsToken);
      const stream = await readSse(`${stack.bff!.url}${eventsUrl}`, {}, () => undefined);
      expect(stream.status).toBe(200);
      await stream.ended;

      // A careless call site of tomorrow, through the running BFF's own logger: masking is the
      // logger's job, not the call site's.
      const careless = stack.bff!.app.get<Logger>(LOGGER);
      careless.debug(
        { document: done.body, request: { headers: { authorization: `Bearer ${stack.keys.portal}` }, body: { loginHint: hint } } },
        `status ${JSON.stringify(done.body)} for ${hint}, stream ${eventsUrl}, key Bearer ${stack.keys.portal}`,
      );
    }
  });

  it('failure paths: a bad hint, an unknown customer, a wrong API key, a forged events token', async () => {
    const badHint = await stack.portal.start({ provider: 'sandbox', loginHint: `${PERSONAL_NUMBER}\u0000` });
    expect(badHint.status).toBe(400);
    const notAString = await stack.portal.start({ provider: 'sandbox', loginHint: Number(PERSONAL_NUMBER) });
    expect(notAString.status).toBe(400);

    const unknown = await stack.portal.start({ provider: 'sandbox', loginHint: UNKNOWN_HINT });
    expect(unknown.status).toBe(422);
    expect(unknown.body!.code).toBe('customer_unknown');

    const intruder = new ConsumerClient(stack.bff!.url, WRONG_KEY);
    expect((await intruder.start({ provider: 'sandbox', loginHint: PERSONAL_NUMBER })).status).toBe(401);
    expect((await intruder.get('01JABCDEFGHJKMNPQRSTVWXYZ0')).status).toBe(401);

    const forged = await fetch(`${stack.bff!.url}/v1/authentications/01JABCDEFGHJKMNPQRSTVWXYZ0/events?token=${WRONG_EVENTS_TOKEN}`);
    expect(forged.status).toBe(401);
  });

  it('providers that fail and echo the form back: the hint and the client secret stay out of the log', async () => {
    const expected: Record<string, number> = { echojson: 503, echohtml: 503, echogarbage: 502, echoreject: 422, closed: 503 };
    for (const [provider, status] of Object.entries(expected)) {
      const start = await stack.portal.start({ provider, loginHint: ECHO_HINT });
      expect({ provider, status: start.status }).toEqual({ provider, status });
    }
    // The canaries really were sent, and really came back in the providers' answers.
    const sent = echo.received.filter((request) => request.path.startsWith('/bc-'));
    expect(sent.map((request) => request.path).sort()).toEqual(['/bc-garbage', '/bc-html', '/bc-json', '/bc-reject']);
    for (const request of sent) {
      expect(new URLSearchParams(request.body).get('login_hint')).toBe(ECHO_HINT);
      expect(new URLSearchParams(request.body).get('client_secret')).toBe(ECHO_SECRET);
    }
  });

  describe('the capture', () => {
    const lines = () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '');

    it('is one JSON object per line, and not empty', () => {
      const all = lines();
      expect(all.length).toBeGreaterThan(20);
      for (const line of all) expect(() => JSON.parse(line) as unknown).not.toThrow();
      const events = all.map((line) => (JSON.parse(line) as { event?: string }).event);
      expect(events.filter((event) => event === 'ciba.approved')).toHaveLength(2);
      expect(events.filter((event) => event === 'ciba.op_rejected').length).toBeGreaterThanOrEqual(6);
    });

    it('holds no canary in any form', () => {
      expect(canaries.size).toBeGreaterThan(10);
      const all = lines();
      const leaks: string[] = [];
      for (const [name, canary] of canaries) {
        for (const form of variants(canary)) {
          const line = all.find((candidate) => candidate.includes(form));
          if (line) leaks.push(`${name} as "${form}" in ${line}`);
        }
      }
      expect(leaks).toEqual([]);
    });

    it('shows whose request it was, masked', () => {
      const text = lines().join('\n');
      expect(text).toContain('"customer":"*******1111"');
      expect(text).toContain('"customer":"*********3456"');
      expect(text).toContain('"customer":"**************7890"');
      expect(text).toContain('"customer":"***********y-7Q"');
    });
  });
});

describe('errors thrown by openid-client and undici, logged as they are', () => {
  let echo: EchoProvider;
  beforeAll(async () => {
    echo = await startEchoProvider();
  });
  afterAll(async () => {
    await echo?.close();
  });

  async function thrownBy(endpoint: string): Promise<Error> {
    const config = new client.Configuration(
      { issuer: echo.url, backchannel_authentication_endpoint: endpoint, token_endpoint: `${echo.url}/token` },
      'bff-echo',
      undefined,
      client.ClientSecretPost(ECHO_SECRET),
    );
    client.allowInsecureRequests(config);
    const error = await client.initiateBackchannelAuthentication(config, { scope: 'openid', login_hint: PERSONAL_NUMBER }).then(
      () => new Error('expected a failure'),
      (thrown: unknown) => thrown as Error,
    );
    return error;
  }

  it('a 400 OAuth error quoting the form: the body on the error is written, masked', async () => {
    const error = await thrownBy(`${echo.url}/bc-reject`);
    // The raw error carries the hint and the secret: without masking they would be written.
    expect(inspect(error, { depth: 6 })).toContain(PERSONAL_NUMBER);
    expect(inspect(error, { depth: 6 })).toContain(ECHO_SECRET);
    const line = await logged((logger) => logger.error({ err: error, provider: 'echo' }, 'backchannel request failed'));
    const { err } = JSON.parse(line) as { err: Record<string, any> };
    expect(err).toMatchObject({ type: 'ResponseBodyError', code: 'OAUTH_RESPONSE_BODY_ERROR', error: 'invalid_request', status: 400 });
    expect(err.error_description).toContain('login_hint=[redacted]');
    expect(err.error_description).toContain('client_secret=[redacted]');
    expect(err.cause.error_description).toBe(err.error_description);
    expect(line).not.toContain(PERSONAL_NUMBER);
    expect(line).not.toContain(ECHO_SECRET);
  });

  it.each([
    ['a 200 that is not an acknowledgement (the body is on a cause, which pino reduces to its message)', '/bc-garbage'],
    ['a 500 with an OAuth body', '/bc-json'],
    ['an HTML error page', '/bc-html'],
  ])('%s: serialized through pino, then masked', async (_kind, path) => {
    const error = await thrownBy(`${echo.url}${path}`);
    const line = await logged((logger) => logger.error({ err: error, provider: 'echo' }, 'backchannel request failed'));
    expect(line).toMatch(/"err":\{"type":"\w+","message":".+","stack":"/);
    expect(line).not.toContain(PERSONAL_NUMBER);
    expect(line).not.toContain(ECHO_SECRET);
  });

  it('a connection refused (undici): the URL with a token in its query is masked', async () => {
    const port = await findFreePort();
    const error = await fetch(`http://127.0.0.1:${port}/events?token=${WRONG_EVENTS_TOKEN}`).then(
      () => new Error('expected a failure'),
      (thrown: unknown) => Object.assign(thrown as Error, { url: `http://127.0.0.1:${port}/events?token=${WRONG_EVENTS_TOKEN}` }),
    );
    const line = await logged((logger) =>
      logger.warn({ err: error }, `GET http://127.0.0.1:${port}/events?token=${WRONG_EVENTS_TOKEN} failed`),
    );
    expect(line).toContain('ECONNREFUSED');
    expect(line).toContain('token=[redacted]');
    expect(line).not.toContain(WRONG_EVENTS_TOKEN);
  });
});

/** One line written by the BFF's logger. */
async function logged(write: (logger: ReturnType<typeof createLogger>) => void): Promise<string> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  write(createLogger('trace', sink));
  await new Promise((resolve) => setImmediate(resolve));
  const lines = chunks.join('').split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return lines[0];
}
