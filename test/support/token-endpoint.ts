import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseConfig, type ProviderConfig } from '@ciba/config';
import { decodeJwt } from 'jose';
import { closeServer, readBody } from './http-server.js';

/** One request as the endpoint saw it; `socket` numbers the connection it came on (from 1). */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
  socket: number;
}

/** How the endpoint answers a request (it may also never answer). */
export type TokenAnswer = (response: ServerResponse, request: SeenRequest) => void;

/**
 * A real local HTTP token endpoint for provider specs: records every request (its form body
 * parsed, the connection it came on) and answers with `answer`, which a test swaps at will.
 */
export interface TokenEndpointServer {
  /** The server's origin, `http://127.0.0.1:<port>`. */
  origin: string;
  seen: SeenRequest[];
  answer: TokenAnswer;
  /** Connections opened so far. */
  readonly connections: number;
  /** Connections closed so far (by either side). */
  readonly closedConnections: number;
  close(): Promise<void>;
}

export async function startTokenEndpoint(): Promise<TokenEndpointServer> {
  const sockets = new WeakMap<Socket, number>();
  let opened = 0;
  let closed = 0;
  const endpoint: TokenEndpointServer = {
    origin: '',
    seen: [],
    answer: (response) => response.writeHead(404).end(),
    get connections() {
      return opened;
    },
    get closedConnections() {
      return closed;
    },
    close: () => closeServer(server),
  };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const seen: SeenRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        form: Object.fromEntries(new URLSearchParams(body)),
        socket: sockets.get(request.socket) ?? 0,
      };
      endpoint.seen.push(seen);
      endpoint.answer(response, seen);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, ++opened);
    socket.on('close', () => (closed += 1));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return endpoint;
}

/** An answer of `status` with a JSON body and these headers. */
export const jsonAnswer =
  (status: number, body: unknown, headers: Record<string, string> = {}): TokenAnswer =>
  (response) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** A provider on a local endpoint (explicit endpoints, plain http allowed), as the configuration makes it. */
export function localProvider(origin: string, settings: Record<string, unknown> = {}): ProviderConfig {
  const tree = {
    providers: {
      local: {
        issuer: origin,
        backchannelAuthenticationEndpoint: `${origin}/backchannel`,
        tokenEndpoint: `${origin}/token`,
        jwksUri: `${origin}/jwks`,
        clientId: 'bff',
        clientAuth: { method: 'client_secret_basic', secret: 's3cret' },
        allowInsecureHttp: true,
        ...settings,
      },
    },
  };
  return parseConfig(tree).providers.get('local')!;
}

/**
 * What must match between two ways of sending one request: method, path, form (a client
 * assertion by its claims, without `jti` and the time claims), the protocol headers (not the
 * User-Agent).
 */
export function comparableRequest(request: SeenRequest) {
  const { client_assertion: assertion, ...form } = request.form;
  // The time claims differ by a second when the two requests straddle one.
  const { jti: _jti, iat: _iat, nbf: _nbf, exp: _exp, ...claims } = assertion ? decodeJwt(assertion) : {};
  const { authorization, accept, 'content-type': contentType } = request.headers;
  return { method: request.method, path: request.path, form, claims, authorization, accept, contentType };
}
