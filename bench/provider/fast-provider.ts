import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { now } from '../support/clock.js';
import { IdTokenSigner } from './id-token-signer.js';
import { ProviderLedger } from './provider-ledger.js';
import type { ProviderSettings } from './provider-settings.js';

export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';
const MAX_BODY_BYTES = 16 * 1024;
/** CIBA Core §7.1: the parameters a poll-mode authentication request may carry. */
const BACKCHANNEL_PARAMETERS = new Set([
  'client_id',
  'scope',
  'login_hint',
  'login_hint_token',
  'id_token_hint',
  'binding_message',
  'acr_values',
  'user_code',
  'requested_expiry',
  'claims',
  'ui_locales',
  'authorization_details',
]);

/**
 * A fast CIBA provider in poll mode (CIBA Core 1.0) on node:http: `client_secret_basic`, any
 * login hint, approval `approvalDelayMs` (+ a per-hint offset) after the acknowledgement, one
 * ES256 ID Token per approved request. It never punishes an early poll (a real provider may
 * answer `slow_down`): it records it, so both clients are measured on the same ground.
 */
export class FastProvider {
  readonly ledger: ProviderLedger;
  private readonly server: Server;

  private issuer = '';
  private signer?: IdTokenSigner;

  constructor(private readonly settings: ProviderSettings) {
    this.ledger = new ProviderLedger(settings.approvalDelayMs, settings.approvalJitterMs);
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        process.stderr.write(`provider: ${(error as Error).stack ?? String(error)}\n`);
        if (!response.headersSent) json(response, 500, { error: 'server_error' });
      });
    });
    // Clients keep connections alive between polls one interval apart; do not close them first.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 70_000;
  }

  /** Listens on a free loopback port, makes the signing key; resolves with the issuer URL. */
  async start(): Promise<string> {
    const port = await new Promise<number>((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    this.issuer = `http://127.0.0.1:${port}`;
    this.signer = await IdTokenSigner.create(this.issuer, this.settings.clientId);
    return this.issuer;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = now();
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') return json(response, 200, this.discovery());
    if (request.method === 'GET' && path === '/jwks') return json(response, 200, { keys: [this.signer!.publicJwk] });
    if (request.method === 'GET' && path === '/admin/ledger') return json(response, 200, this.ledger.snapshot(this.settings.interval));
    if (request.method !== 'POST' || (path !== '/backchannel' && path !== '/token')) return json(response, 404, { error: 'not_found' });

    const form = await readForm(request);
    if (!form) {
      this.ledger.refused += 1;
      return json(response, 400, { error: 'invalid_request', error_description: 'expected a form body' });
    }
    // A client_id in the body (openid-client always sends one) must name the authenticated client.
    const bodyClientId = form.get('client_id');
    if (!this.authenticated(request) || (bodyClientId !== null && bodyClientId !== this.settings.clientId)) {
      this.ledger.refused += 1;
      response.setHeader('www-authenticate', 'Basic realm="bench"');
      return json(response, 401, { error: 'invalid_client' });
    }
    if (path === '/backchannel') return this.backchannel(form, response);
    return this.token(form, arrivedAt, response);
  }

  private backchannel(form: URLSearchParams, response: ServerResponse): void {
    const unknown = [...form.keys()].find((name) => !BACKCHANNEL_PARAMETERS.has(name));
    const hint = form.get('login_hint');
    const scope = form.get('scope') ?? '';
    if (unknown || !hint || !scope.split(' ').includes('openid')) {
      this.ledger.refused += 1;
      return json(response, 400, {
        error: 'invalid_request',
        error_description: unknown ? `unknown parameter ${unknown}` : 'login_hint and openid scope required',
      });
    }
    const authReqId = randomBytes(24).toString('base64url');
    this.ledger.acknowledge(authReqId, hint, now());
    json(response, 200, { auth_req_id: authReqId, expires_in: this.settings.expiresIn, interval: this.settings.interval });
  }

  private async token(form: URLSearchParams, arrivedAt: number, response: ServerResponse): Promise<void> {
    const entry = form.get('grant_type') === CIBA_GRANT_TYPE ? this.ledger.find(form.get('auth_req_id') ?? '') : undefined;
    if (!entry) {
      this.ledger.strayPolls += 1;
      return json(response, 400, { error: form.get('grant_type') === CIBA_GRANT_TYPE ? 'invalid_grant' : 'unsupported_grant_type' });
    }
    entry.polls.push(arrivedAt);
    // Single use: once redeemed, the auth_req_id is spent (oidc-provider revokes on a repeat).
    if (entry.redeemedAt !== null) return json(response, 400, { error: 'invalid_grant' });
    if (arrivedAt < entry.approveAt) return json(response, 400, { error: 'authorization_pending' });
    entry.redeemedAt = arrivedAt;
    json(response, 200, await this.signer!.issue(`sub-${entry.loginHint}`, entry.authReqId, entry.approveAt));
  }

  /**
   * RFC 6749 §2.3.1: client_secret_basic is HTTP Basic over the form-urlencoded id and secret
   * (oauth4webapi encodes even "-" and "."), so both halves are decoded before comparing.
   */
  private authenticated(request: IncomingMessage): boolean {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    try {
      const id = formDecode(decoded.slice(0, colon));
      const secret = Buffer.from(formDecode(decoded.slice(colon + 1)));
      const expected = Buffer.from(this.settings.clientSecret);
      return id === this.settings.clientId && secret.length === expected.length && timingSafeEqual(secret, expected);
    } catch {
      return false; // malformed percent-encoding
    }
  }

  private discovery(): Record<string, unknown> {
    const issuer = this.issuer;
    return {
      issuer,
      backchannel_authentication_endpoint: `${issuer}/backchannel`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      grant_types_supported: [CIBA_GRANT_TYPE],
      backchannel_token_delivery_modes_supported: ['poll'],
      backchannel_user_code_parameter_supported: false,
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      id_token_signing_alg_values_supported: ['ES256'],
      scopes_supported: ['openid'],
      subject_types_supported: ['public'],
    };
  }
}

const formDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | null> {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    request.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
