import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticateClient, checkBackchannel, readForm } from './push-op-backchannel.js';
import { discoveryDocument } from './push-op-discovery.js';
import {
  OAuthError,
  type ApproveOptions,
  type PushDelivery,
  type PushErrorCode,
  type PushOpEndpoint,
  type PushOpLedgerEntry,
  type PushRequest,
} from './push-op-model.js';
import { notify, type NotifyInit } from './push-op-notifier.js';
import { PushTokenIssuer, type PushSuccess } from './push-op-tokens.js';

export type * from './push-op-model.js';
export { AUTH_REQ_ID_CLAIM, RT_HASH_CLAIM, tokenHash, type PushSuccess } from './push-op-tokens.js';

export interface PushOpOptions {
  clientId: string;
  clientSecret: string;
  /** The client's notification endpoint (CIBA Core §10.3), or a function when it is known later. */
  notificationEndpoint: string | (() => string);
  /** Seconds a request lives without `requested_expiry` (default 120). */
  expiresIn?: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A push-mode OpenID Provider (CIBA Core 1.0 §10.3, §12): discovery, JWKS, a backchannel endpoint
 * that insists on `client_notification_token`, and a token endpoint that refuses push clients
 * (§11 `unauthorized_client`) and notes every call, so tests prove it is never used. The test
 * approves, denies or fails a request, and the provider POSTs the outcome to the client.
 */
export class PushOpServer {
  readonly ledger: PushOpLedgerEntry[] = [];
  readonly requests = new Map<string, PushRequest>();
  /** Every POST made to the notification endpoint, in order. */
  readonly pushes: PushDelivery[] = [];
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: PushOpOptions,
    private readonly tokens: PushTokenIssuer,
  ) {
    this.events.setMaxListeners(100);
  }

  static async start(options: PushOpOptions): Promise<PushOpServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const op = new PushOpServer(server, url, options, await PushTokenIssuer.create(url, options.clientId));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      op.handle(request).then(
        ({ status, body, headers }) =>
          response
            .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
            .end(JSON.stringify(body)),
        () => response.writeHead(500).end(),
      );
    });
    return op;
  }

  get issuer(): string {
    return this.url;
  }
  get backchannelEndpoint(): string {
    return `${this.url}/backchannel`;
  }
  get tokenEndpoint(): string {
    return `${this.url}/token`;
  }
  get jwksUri(): string {
    return `${this.url}/jwks`;
  }
  get notificationEndpoint(): string {
    const endpoint = this.options.notificationEndpoint;
    return typeof endpoint === 'string' ? endpoint : endpoint();
  }

  /** Every call that reached the token endpoint (a push client must make none). */
  tokenCalls(): PushOpLedgerEntry[] {
    return this.ledger.filter((entry) => entry.endpoint === 'token');
  }

  /** The accepted request with this auth_req_id. */
  request(authReqId: string): PushRequest {
    const found = this.requests.get(authReqId);
    if (!found) throw new Error(`no backchannel request with auth_req_id ${authReqId}`);
    return found;
  }

  /** The first accepted request whose hint has this value, as soon as it arrives. */
  waitForRequest(hintValue: string, timeoutMs = 10_000): Promise<PushRequest> {
    return this.waitFor(() => [...this.requests.values()].find((request) => request.hint.value === hintValue), timeoutMs);
  }

  /** The push success body for a request (not sent), e.g. to send it twice with `sendRaw`. */
  buildApproval(authReqId: string, options: ApproveOptions = {}): Promise<PushSuccess> {
    return this.tokens.success(this.request(authReqId), options);
  }

  /** The customer approved: push the tokens (CIBA Core §10.3), tampered with if asked. */
  async approve(authReqId: string, options: ApproveOptions = {}): Promise<PushDelivery> {
    const body = await this.buildApproval(authReqId, options);
    return this.sendRaw(body, this.request(authReqId).clientNotificationToken);
  }

  /** The customer refused: push `access_denied` (CIBA Core §12). */
  deny(authReqId: string): Promise<PushDelivery> {
    return this.sendError(authReqId, 'access_denied', 'The end-user denied the authorization request.');
  }

  /** Push an error (CIBA Core §12) with the request's own notification token. */
  sendError(authReqId: string, error: PushErrorCode, description?: string): Promise<PushDelivery> {
    const body: Record<string, string> = { error, auth_req_id: authReqId };
    if (description !== undefined) body.error_description = description;
    return this.sendRaw(body, this.request(authReqId).clientNotificationToken);
  }

  /**
   * POST anything to the notification endpoint (see `notify`); `url` replaces the endpoint (e.g.
   * another provider's path).
   */
  async sendRaw(body: unknown, token: string | null, init: NotifyInit & { url?: string } = {}): Promise<PushDelivery> {
    const delivery = await notify(init.url ?? this.notificationEndpoint, body, token, init);
    this.pushes.push(delivery);
    return delivery;
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
        reject(new Error(`the push-mode provider did not see it within ${timeoutMs} ms`));
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
    const path = new URL(request.url ?? '/', this.url).pathname;
    const entry: PushOpLedgerEntry = {
      at: Date.now(),
      method: request.method ?? '',
      path,
      endpoint: endpointOf(request.method ?? '', path),
      contentType: request.headers['content-type'] ?? null,
      authorization: request.headers.authorization ?? null,
      params: {},
      status: 0,
      answer: '',
    };
    this.ledger.push(entry);
    let answer: Answer;
    try {
      answer = await this.route(entry, request);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      answer = { status: error.status, body: { error: error.error, error_description: error.description }, headers: error.headers };
    }
    entry.status = answer.status;
    const body = answer.body as Record<string, unknown>;
    entry.answer = typeof body.error === 'string' ? body.error : entry.endpoint === 'backchannel' ? 'ack' : 'document';
    entry.authReqId = typeof body.auth_req_id === 'string' ? body.auth_req_id : entry.params.auth_req_id;
    this.events.emit('change');
    return answer;
  }

  private async route(entry: PushOpLedgerEntry, request: IncomingMessage): Promise<Answer> {
    switch (entry.endpoint) {
      case 'discovery':
        return { status: 200, body: discoveryDocument(this) };
      case 'jwks':
        return { status: 200, body: this.tokens.jwks };
      case 'backchannel':
        return this.backchannel(entry, request);
      case 'token': {
        entry.params = await readForm(request);
        authenticateClient(request.headers.authorization, entry.params, { id: this.options.clientId, secret: this.options.clientSecret });
        // CIBA Core §11: a client registered for push may not use the token endpoint.
        throw new OAuthError(400, 'unauthorized_client', 'this client is registered for push mode and may not use the token endpoint');
      }
      case 'unknown':
        throw new OAuthError(404, 'not_found', 'no such endpoint');
    }
  }

  private async backchannel(entry: PushOpLedgerEntry, request: IncomingMessage): Promise<Answer> {
    const form = await readForm(request);
    entry.params = { ...form };
    authenticateClient(request.headers.authorization, form, { id: this.options.clientId, secret: this.options.clientSecret });
    const checked = checkBackchannel(form);
    const authReqId = randomBytes(24).toString('base64url');
    const expiresIn = checked.requestedExpiry ?? this.options.expiresIn ?? 120;
    const receivedAt = Date.now();
    this.requests.set(authReqId, {
      authReqId,
      receivedAt,
      expiresAt: receivedAt + expiresIn * 1000,
      expiresIn,
      hint: checked.hint,
      subject: createHash('sha256').update(checked.hint.value).digest('hex').slice(0, 20),
      scope: checked.scope,
      bindingMessage: checked.bindingMessage,
      acrValues: checked.acrValues,
      requestedExpiry: checked.requestedExpiry,
      clientNotificationToken: checked.clientNotificationToken,
      params: checked.params,
    });
    // CIBA Core §7.3: no `interval` in push mode, the client never polls.
    return { status: 200, body: { auth_req_id: authReqId, expires_in: expiresIn } };
  }
}

function endpointOf(method: string, path: string): PushOpEndpoint {
  if (method === 'GET' && path === '/.well-known/openid-configuration') return 'discovery';
  if (method === 'GET' && path === '/jwks') return 'jwks';
  if (path === '/backchannel') return 'backchannel';
  if (path === '/token') return 'token';
  return 'unknown';
}
