import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, readBody } from '../support/http-server.js';

export interface LedgerEntry {
  at: number;
  /** The form the BFF sent to the backchannel authentication endpoint. */
  form: Record<string, string>;
}

export interface ProviderLedger {
  url: string;
  /** Every backchannel authentication request that reached the provider's door, refused or not. */
  backchannel: LedgerEntry[];
  /** Times of token requests (polls). */
  tokenRequests: number[];
  close(): Promise<void>;
}

/**
 * A door in front of the real sandbox provider that writes down every backchannel request.
 * The sandbox's own pending list only shows requests it accepted; a request the provider refused
 * (say `invalid_scope`) still reached it, and only a ledger at the door shows that.
 * `ackInterval` replaces the acknowledgement's `interval`, so a test can keep the BFF from polling.
 */
export async function startProviderLedger(
  target: { backchannel: string; token: string },
  options: { ackInterval?: number } = {},
): Promise<ProviderLedger> {
  const backchannel: LedgerEntry[] = [];
  const tokenRequests: number[] = [];
  const server = createServer((request, response) => void handle(request, response));

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const upstreamUrl = request.url === '/backchannel' ? target.backchannel : request.url === '/token' ? target.token : undefined;
    if (!upstreamUrl) {
      response.writeHead(404).end();
      return;
    }
    if (request.url === '/backchannel') backchannel.push({ at: Date.now(), form: Object.fromEntries(new URLSearchParams(body)) });
    else tokenRequests.push(Date.now());
    const upstream = await fetch(upstreamUrl, {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']), authorization: String(request.headers.authorization ?? '') },
      body,
    });
    let text = await upstream.text();
    if (request.url === '/backchannel' && upstream.ok && options.ackInterval !== undefined) {
      text = JSON.stringify({ ...(JSON.parse(text) as object), interval: options.ackInterval });
    }
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    backchannel,
    tokenRequests,
    close: () => closeServer(server),
  };
}

/** A provider entry (API.md §3) that reaches the sandbox through the ledger. */
export function ledgeredProvider(issuer: string, ledger: ProviderLedger, jwksUri: string): Record<string, unknown> {
  return {
    issuer,
    backchannelAuthenticationEndpoint: `${ledger.url}/backchannel`,
    tokenEndpoint: `${ledger.url}/token`,
    jwksUri,
    clientId: 'bff',
    clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
    scope: 'openid profile',
    allowInsecureHttp: true,
  };
}
