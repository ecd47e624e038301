import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { closeServer, readBody } from './http-server.js';

export interface ProxyRules {
  /** Added to the backchannel acknowledgement when the provider sent none (CIBA Core §7.3). */
  ackInterval?: number;
  /** Answer `slow_down` to this many token requests (before forwarding any). */
  slowDowns?: number;
  /** Answer HTTP 503 to this many token requests. */
  unavailable?: number;
  /**
   * Answer every token request 200 with a JSON token response this many bytes long, streamed
   * without Content-Length (what a broken or hostile provider may send).
   */
  oversizedTokenResponseBytes?: number;
}

export interface RecordingProxy {
  url: string;
  /** Times (epoch ms) at which token requests arrived. */
  tokenRequests: number[];
  rules: ProxyRules;
  /**
   * The next token request is forwarded to the provider, but its answer is held back until
   * `release()`: a worker killed meanwhile never sees what the provider issued.
   */
  holdNextTokenResponse(): { forwarded: Promise<void>; release(): void };
  /** Resolves once `count` token requests have arrived in all. */
  waitForTokenRequests(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A test-only HTTP proxy in front of the real sandbox provider: forwards the backchannel and
 * token endpoints, records when each token request arrived, and can inject what oidc-provider
 * never sends (`interval`, `slow_down`, 503). Everything else is the real provider's answer.
 */
export async function startRecordingProxy(target: { backchannel: string; token: string }, rules: ProxyRules = {}): Promise<RecordingProxy> {
  const tokenRequests: number[] = [];
  const arrivals = new EventEmitter();
  let hold: { forwarded: () => void; released: Promise<void> } | undefined;
  const server: Server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const forward = async (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': String(request.headers['content-type']), authorization: String(request.headers.authorization ?? '') },
        body,
      });
    if (request.url === '/backchannel') {
      const upstream = await forward(target.backchannel);
      const json = (await upstream.json()) as Record<string, unknown>;
      if (upstream.ok && rules.ackInterval !== undefined && json.interval === undefined) json.interval = rules.ackInterval;
      response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      return;
    }
    if (request.url === '/token') {
      tokenRequests.push(Date.now());
      arrivals.emit('token');
      if (rules.slowDowns && rules.slowDowns > 0) {
        rules.slowDowns -= 1;
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'slow_down' }));
        return;
      }
      if (rules.unavailable && rules.unavailable > 0) {
        rules.unavailable -= 1;
        response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
        return;
      }
      if (rules.oversizedTokenResponseBytes !== undefined) return streamTokenResponse(response, rules.oversizedTokenResponseBytes);
      const upstream = await forward(target.token);
      const held = hold;
      hold = undefined;
      if (held) {
        held.forwarded();
        await held.released;
      }
      response
        .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
        .end(await upstream.text());
      return;
    }
    response.writeHead(404).end();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests,
    rules,
    holdNextTokenResponse: () => {
      let forwarded!: () => void;
      let release!: () => void;
      const forwardedPromise = new Promise<void>((resolve) => (forwarded = resolve));
      hold = { forwarded, released: new Promise<void>((resolve) => (release = resolve)) };
      return { forwarded: forwardedPromise, release };
    },
    waitForTokenRequests: async (count, timeoutMs) => {
      const signal = AbortSignal.timeout(timeoutMs);
      while (tokenRequests.length < count) await once(arrivals, 'token', { signal });
    },
    close: () => closeServer(server),
  };
}

/** A well-formed token response padded to `size` bytes, written as fast as the client takes it. */
function streamTokenResponse(response: ServerResponse, size: number): void {
  let closed = false;
  response.on('close', () => (closed = true));
  response.writeHead(200, { 'content-type': 'application/json' });
  const head = '{"access_token":"at","token_type":"Bearer","expires_in":60,"padding":"';
  response.write(head);
  const chunk = 'x'.repeat(64 * 1024);
  let sent = head.length;
  const pump = (): void => {
    while (!closed && sent + chunk.length < size) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    if (!closed) response.end('"}');
  };
  pump();
}

/** The sandbox's endpoints, from its discovery document. */
export async function discover(issuer: string): Promise<{ backchannel: string; token: string; jwks: string }> {
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  return { backchannel: metadata.backchannel_authentication_endpoint, token: metadata.token_endpoint, jwks: metadata.jwks_uri };
}
