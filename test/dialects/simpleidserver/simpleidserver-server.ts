import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authenticateClient,
  bcAuthorize,
  cibaToken,
  CIBA_GRANT,
  OAuthError,
  readForm,
  type Answer,
  type SidSettings,
} from './simpleidserver-endpoints.js';
import type { SidRequest, SidUser } from './simpleidserver-model.js';
import { SidTokenIssuer } from './simpleidserver-tokens.js';

export type { SidRequest, SidUser } from './simpleidserver-model.js';

export interface SidServerOptions {
  clientId: string;
  clientSecret: string;
  users: SidUser[];
  realm?: string;
  /** Seconds between polls (the client's `BCIntervalSeconds`). */
  interval?: number;
  /** Seconds a request lives without `requested_expiry` (`AuthReqIdExpirationTimeInSeconds`). */
  expiresIn?: number;
  scopes?: string[];
  /** The server's clock (epoch ms); tests of the dialect itself move it by hand. */
  now?: () => number;
}

export type SidEndpoint = 'discovery' | 'jwks' | 'bc-authorize' | 'token' | 'unknown';

/** One request the server received, with what it answered. */
export interface LedgerEntry {
  at: number;
  method: string;
  path: string;
  endpoint: SidEndpoint;
  contentType: string | null;
  authorization: string | null;
  params: Record<string, string>;
  status: number;
  /** The OAuth error sent, `ack`, `tokens`, or `document`. */
  answer: string;
  authReqId?: string;
}

/**
 * A SimpleIdServer realm (seed 001) as a small HTTP server: discovery under the realm, bc-authorize
 * with `login_hint` + `user_code` (the password) and `client_secret_post` only, the CIBA grant at
 * the token endpoint only, strict early-poll `slow_down`, `authorization_pending` forever after
 * expiry, single-use `auth_req_id`. Keeps a ledger of everything it received.
 */
export class SimpleIdServerDialect {
  readonly ledger: LedgerEntry[] = [];
  readonly requests = new Map<string, SidRequest>();
  private readonly events = new EventEmitter();
  private readonly now: () => number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: SidSettings,
    private readonly tokens: SidTokenIssuer,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
    this.events.setMaxListeners(100);
  }

  static async start(options: SidServerOptions): Promise<SimpleIdServerDialect> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const settings = { realm: 'master', interval: 1, expiresIn: 120, scopes: ['openid', 'profile', 'email', 'phone'], ...options };
    const dialect = new SimpleIdServerDialect(server, url, settings, await SidTokenIssuer.create(`${url}/${settings.realm}`), options.now);
    server.on('request', (request, response) => {
      dialect.handle(request).then(
        ({ status, body }) =>
          response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body)),
        () => response.writeHead(500).end(),
      );
    });
    return dialect;
  }

  get issuer(): string {
    return `${this.url}/${this.options.realm}`;
  }

  /** The token endpoint discovery advertises (NOT bc-authorize, whatever the seed page shows). */
  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  get bcAuthorizeEndpoint(): string {
    return `${this.issuer}/bc-authorize`;
  }

  /** Token requests received, for one auth_req_id or all. */
  polls(authReqId?: string): LedgerEntry[] {
    return this.ledger.filter((entry) => entry.endpoint === 'token' && (authReqId === undefined || entry.authReqId === authReqId));
  }

  /** The latest request for a subject, or the request with this auth_req_id. */
  find(ref: string): SidRequest {
    const found = this.requests.get(ref) ?? [...this.requests.values()].reverse().find((request) => request.sub === ref);
    if (!found) throw new Error(`no backchannel request for ${ref}`);
    return found;
  }

  /** The user approves on their device; `as` makes the ID Token say something else (a fault). */
  approve(ref: string, as: { sub?: string; claims?: Record<string, unknown> } = {}): SidRequest {
    const request = this.find(ref);
    request.status = 'confirmed';
    request.approval = { at: this.now(), ...as };
    return request;
  }

  deny(ref: string): SidRequest {
    const request = this.find(ref);
    request.status = 'rejected';
    return request;
  }

  /** The request's lifetime ends now at the server (it will still say "pending" if it was). */
  expire(ref: string): SidRequest {
    const request = this.find(ref);
    request.expiresAt = this.now() - 1;
    return request;
  }

  waitForRequest(sub: string, timeoutMs = 10_000): Promise<SidRequest> {
    return this.waitFor(() => [...this.requests.values()].find((request) => request.sub === sub), timeoutMs);
  }

  waitForPolls(authReqId: string, count: number, timeoutMs = 10_000): Promise<LedgerEntry[]> {
    return this.waitFor(() => (this.polls(authReqId).length >= count ? this.polls(authReqId) : undefined), timeoutMs);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('change', listener);
        reject(new Error(`the SimpleIdServer dialect server did not see it within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.events.off('change', listener);
        resolve(value);
      };
      this.events.on('change', listener);
    });
  }

  private async handle(request: IncomingMessage): Promise<Answer> {
    const at = this.now();
    const path = new URL(request.url ?? '/', this.url).pathname;
    const endpoint = this.endpointOf(request.method ?? '', path);
    const text = await readBody(request);
    const contentType = request.headers['content-type'] ?? null;
    const entry: LedgerEntry = {
      at,
      method: request.method ?? '',
      path,
      endpoint,
      contentType,
      authorization: request.headers.authorization ?? null,
      params: {},
      status: 0,
      answer: '',
    };
    this.ledger.push(entry);
    let answer: Answer;
    try {
      answer = await this.route(endpoint, entry, text, at);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      answer = { status: error.status, body: { error: error.error, error_description: error.description }, answer: error.error };
    }
    Object.assign(entry, { status: answer.status, answer: answer.answer, authReqId: answer.authReqId ?? entry.params.auth_req_id });
    this.events.emit('change');
    return answer;
  }

  private endpointOf(method: string, path: string): SidEndpoint {
    const realm = `/${this.options.realm}`;
    if (method === 'GET' && path === `${realm}/.well-known/openid-configuration`) return 'discovery';
    if (method === 'GET' && path === `${realm}/jwks`) return 'jwks';
    if (method === 'POST' && path === `${realm}/bc-authorize`) return 'bc-authorize';
    if (method === 'POST' && path === `${realm}/token`) return 'token';
    return 'unknown';
  }

  private async route(endpoint: SidEndpoint, entry: LedgerEntry, text: string, at: number): Promise<Answer> {
    switch (endpoint) {
      case 'discovery':
        return { status: 200, body: this.discovery(), answer: 'document' };
      case 'jwks':
        return { status: 200, body: { keys: [this.tokens.jwk] }, answer: 'document' };
      case 'unknown':
        return { status: 404, body: {}, answer: 'not_found' };
      case 'bc-authorize':
      case 'token': {
        const params = readForm(entry.contentType, text, (read) => (entry.params = read));
        authenticateClient(this.options, entry.authorization, params);
        return endpoint === 'token'
          ? cibaToken(this.options, this.requests, this.tokens, params, at)
          : bcAuthorize(this.options, this.requests, params, at);
      }
    }
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      token_endpoint: this.tokenEndpoint,
      backchannel_authentication_endpoint: this.bcAuthorizeEndpoint,
      jwks_uri: `${this.issuer}/jwks`,
      scopes_supported: this.options.scopes,
      response_types_supported: ['code', 'id_token', 'code id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      grant_types_supported: ['authorization_code', 'refresh_token', CIBA_GRANT],
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'client_secret_basic',
        'private_key_jwt',
        'client_secret_jwt',
        'tls_client_auth',
      ],
      backchannel_token_delivery_modes_supported: ['poll', 'ping', 'push'],
      backchannel_user_code_parameter_supported: true,
    };
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
