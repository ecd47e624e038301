import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface GatewayOptions {
  /** The gateway's own TLS identity. */
  server: { cert: string; key: string };
  /** The CA that client certificates must chain to (RFC 8705 §2.1: PKI method). */
  ca: string;
  /** The one client: its client_id and the SHA-256 fingerprint of its registered certificate. */
  clientId: string;
  fingerprint256: string;
  /** The real provider's endpoints, and the secret the gateway authenticates to it with. */
  upstream: { backchannel: string; token: string; clientSecret: string };
}

/** What the gateway saw of one request. */
export interface GatewayEntry {
  at: number;
  path: string;
  clientId: string | null;
  /** Fingerprint of the certificate the caller presented, or null without one. */
  fingerprint256: string | null;
  accepted: boolean;
  /** Why it was refused, when it was. */
  reason?: string;
}

export interface MtlsGateway {
  /** https base URL; endpoints are `${url}/backchannel` and `${url}/token`. */
  url: string;
  ledger: GatewayEntry[];
  close(): Promise<void>;
}

/**
 * A test stand-in for a provider that authenticates clients with tls_client_auth (RFC 8705 §2):
 * an HTTPS server that asks for a client certificate, accepts a request only when the certificate
 * chains to the test CA, is exactly the registered one and comes with the matching client_id and
 * no other credentials, and then forwards it to the real sandbox provider (plain http, which knows
 * no mTLS) under client_secret_post. Anything else is answered 401 invalid_client, as RFC 6749
 * §5.2 says (no WWW-Authenticate: the client tried no HTTP authentication scheme).
 */
export async function startMtlsGateway(options: GatewayOptions): Promise<MtlsGateway> {
  const ledger: GatewayEntry[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = request.url ?? '';
    const body = new URLSearchParams(await readBody(request));
    const peer = (request.socket as TLSSocket).getPeerCertificate();
    const fingerprint256 = peer && typeof peer.fingerprint256 === 'string' ? peer.fingerprint256 : null;
    const entry: GatewayEntry = { at: Date.now(), path, clientId: body.get('client_id'), fingerprint256, accepted: false };
    ledger.push(entry);
    const upstream = path === '/backchannel' ? options.upstream.backchannel : path === '/token' ? options.upstream.token : undefined;
    if (request.method !== 'POST' || !upstream) {
      entry.reason = 'unknown endpoint';
      response.writeHead(404).end();
      return;
    }
    const refusal = checkClient(request, body, fingerprint256, options);
    if (refusal) {
      entry.reason = refusal;
      response
        .writeHead(401, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ error: 'invalid_client', error_description: refusal }));
      return;
    }
    entry.accepted = true;
    body.set('client_secret', options.upstream.clientSecret);
    const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    response
      .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' })
      .end(await answer.text());
  };
  const server: Server = createServer(
    { cert: options.server.cert, key: options.server.key, ca: options.ca, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          response
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'server_error', error_description: String(error) }));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ledger,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 8705 §2.1: the certificate authenticates; client_id names the client; nothing else may. */
function checkClient(
  request: IncomingMessage,
  body: URLSearchParams,
  fingerprint256: string | null,
  options: GatewayOptions,
): string | undefined {
  if (!/^application\/x-www-form-urlencoded\b/.test(request.headers['content-type'] ?? '')) return 'form body expected';
  if (!fingerprint256) return 'no client certificate';
  if (!(request.socket as TLSSocket).authorized) return 'client certificate not issued by the trusted CA';
  if (fingerprint256 !== options.fingerprint256) return 'client certificate does not match the registered one';
  if (body.get('client_id') !== options.clientId) return 'client_id missing or unknown';
  if (request.headers.authorization || body.has('client_secret') || body.has('client_assertion'))
    return 'more than one client authentication method';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
