import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cappedFetch } from './capped-fetch.js';
import { ResponseTooLargeError } from './response-too-large.error.js';

const CAP = 65_536;
const FIVE_MB = 5 * 1024 * 1024;

/** Against a real local HTTP server: what a provider's answer may cost us to read. */
describe(cappedFetch.name, () => {
  let server: Server;
  let base: string;
  /** Bytes the streaming route handed to its socket, and whether the client hung up first. */
  let stream: { sent: number; closedEarly: Promise<boolean> };

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/stream') return void streamJson(response, FIVE_MB);
      if (request.url === '/declared') {
        return void response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(FIVE_MB) }).end();
      }
      if (request.url === '/empty') return void response.writeHead(204).end();
      const body = JSON.stringify({ access_token: 'a', token_type: 'Bearer', padding: 'x'.repeat(CAP - 100) });
      response.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(request.headers['x-probe']) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  /**
   * Streams `size` bytes of JSON without Content-Length (chunked), 64 KiB every few ms: paced, so
   * what reaches the socket before the client hangs up is not hidden in the loopback's buffers.
   */
  function streamJson(response: ServerResponse, size: number): void {
    let closed = false;
    stream = { sent: 0, closedEarly: once(response, 'close').then(() => stream.sent < size) };
    response.on('close', () => (closed = true));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"access_token":"a","token_type":"Bearer","padding":"');
    const chunk = 'x'.repeat(64 * 1024);
    const pump = (): void => {
      if (closed) return;
      if (stream.sent >= size) return void response.end('"}');
      stream.sent += chunk.length;
      response.write(chunk);
      setTimeout(pump, 3);
    };
    pump();
  }

  const get = (path: string) => cappedFetch(undefined, CAP)(`${base}${path}`, { method: 'GET', headers: {}, redirect: 'manual' });

  it('stops a 5 MB answer without Content-Length at the cap and hangs up', async () => {
    const error = await get('/stream').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'OAUTH_RESPONSE_TOO_LARGE', limitBytes: CAP });
    // The connection was closed a few chunks in, long before the server had sent the whole body.
    expect(await stream.closedEarly).toBe(true);
    expect(stream.sent).toBeLessThan(1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    await expect(get('/declared')).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('hands back an answer under the cap whole, with its status and headers', async () => {
    const doFetch = cappedFetch(undefined, CAP);
    // jose passes a Headers object: it reaches the server as headers.
    const response = await doFetch(`${base}/small`, { method: 'GET', headers: new Headers({ 'x-probe': 'yes' }), redirect: 'manual' });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(((await response.json()) as { padding: string }).padding).toHaveLength(CAP - 100);
    expect((await get('/empty')).status).toBe(204);
  });

  it('uses the transport it was given (mutual TLS, a test) for the request', async () => {
    const seen: string[] = [];
    const doFetch = cappedFetch(async (url, options) => {
      seen.push(`${options.method} ${url} ${options.headers['x-probe']}`);
      return fetch(url, { method: options.method, headers: options.headers });
    }, CAP);
    await doFetch(`${base}/small`, { method: 'GET', headers: new Headers({ 'x-probe': 'via' }), redirect: 'manual' });
    expect(seen).toEqual([`GET ${base}/small via`]);
  });
});
