import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BACKCHANNEL_PARAMETERS, checkBackchannel } from './plumery-backchannel.js';
import { PlumeryIdTokens } from './plumery-id-tokens.js';
import { PLUMERY_USERS, type PlumeryUser } from './plumery-users.js';
import { authenticateClient, PlumeryAnswer, readForm, unknownParameter, type PlumeryErrorCode } from './plumery-wire.js';

export const PLUMERY_PATHS = {
  backchannel: '/internal/v1/auth/ciba/backchannel-auth',
  token: '/internal/v1/auth/ciba/token',
  jwks: '/internal/v1/auth/jwks',
} as const;
const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';
const TOKEN_PARAMETERS: ReadonlySet<string> = new Set(['client_id', 'grant_type', 'auth_req_id']);
/** Timer slack allowed when checking that polls keep the interval. */
const INTERVAL_SLACK_MS = 20;

export interface LedgerEntry {
  at: number;
  endpoint: 'backchannel' | 'token' | 'jwks' | 'other';
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
  error?: string;
}

export interface PlumeryRequest {
  authReqId: string;
  user: PlumeryUser;
  acrValues?: string;
  scope: string;
  createdAt: number;
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'issued';
  method?: string;
  claims?: Record<string, unknown>;
}

export interface Fault {
  status: number;
  error: PlumeryErrorCode;
  description?: string;
}

export interface PlumeryServerOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds between polls announced in the acknowledgement (and enforced). */
  interval?: number;
  /** The `expires_in` of an acknowledgement unless `requested_expiry` is shorter. */
  expiresIn?: number;
}

/**
 * A stand-in for Plumery's auth orchestrator (seed 003): the two CIBA endpoints at their
 * non-standard paths, a JWKS, no discovery. It checks what it receives as strictly as the real
 * one (client authentication, parameters, the user the hint names and the fields each method
 * needs, single-use `auth_req_id`, the poll interval), keeps a ledger, and lets a test decide.
 */
export class PlumeryServer {
  readonly ledger: LedgerEntry[] = [];
  private readonly requests = new Map<string, PlumeryRequest>();
  private readonly faults: Record<'backchannel' | 'token', Fault[]> = { backchannel: [], token: [] };
  private readonly events = new EventEmitter();
  private clientSecret: string;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly idTokens: PlumeryIdTokens,
    private readonly options: PlumeryServerOptions,
  ) {
    this.clientSecret = options.clientSecret;
  }

  static async start(options: PlumeryServerOptions): Promise<PlumeryServer> {
    const idTokens = await PlumeryIdTokens.create();
    const ready: { instance?: PlumeryServer } = {};
    const server = createServer((request, response) => {
      ready.instance!.handle(request).then(
        (answer) => answer.send(response),
        () => PlumeryAnswer.error(500, 'server_error').send(response),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.instance = new PlumeryServer(server, `http://127.0.0.1:${port}`, idTokens, options);
    return ready.instance;
  }

  get issuer(): string {
    return this.url;
  }

  endpoint(name: keyof typeof PLUMERY_PATHS): string {
    return `${this.url}${PLUMERY_PATHS[name]}`;
  }

  /** Ledger entries of one endpoint (token requests of one `auth_req_id` when given). */
  entries(endpoint: LedgerEntry['endpoint'], authReqId?: string): LedgerEntry[] {
    return this.ledger.filter((e) => e.endpoint === endpoint && (authReqId === undefined || e.params.auth_req_id === authReqId));
  }

  /** Resolves with the user's latest request once it has arrived. */
  async waitForRequest(username: string, timeoutMs = 10_000): Promise<PlumeryRequest> {
    const found = () => [...this.requests.values()].reverse().find((r) => r.user.username === username && r.state === 'pending');
    const signal = AbortSignal.timeout(timeoutMs);
    while (!found()) await once(this.events, 'request', { signal });
    return found()!;
  }

  approve(ref: string, choice: { method?: string; claims?: Record<string, unknown> } = {}): void {
    const request = this.find(ref);
    Object.assign(request, { state: 'approved', method: choice.method ?? request.acrValues ?? 'app-biometrics', claims: choice.claims });
  }

  deny(ref: string): void {
    this.find(ref).state = 'denied';
  }

  expire(ref: string): void {
    this.find(ref).state = 'expired';
  }

  /** The next `count` requests to `endpoint` fail with `fault` (after client authentication). */
  failNext(endpoint: 'backchannel' | 'token', fault: Fault, count = 1): void {
    for (let i = 0; i < count; i += 1) this.faults[endpoint].push(fault);
  }

  /** A rotated secret: our configured one stops working (a configuration error at the BFF). */
  setClientSecret(secret: string): void {
    this.clientSecret = secret;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private find(ref: string): PlumeryRequest {
    const request = this.requests.get(ref) ?? [...this.requests.values()].reverse().find((r) => r.user.username === ref);
    if (!request) throw new Error(`no Plumery request for ${ref}`);
    return request;
  }

  private async handle(request: IncomingMessage): Promise<PlumeryAnswer> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const entry: LedgerEntry = { at: Date.now(), endpoint: 'other', method: request.method ?? '', path, params: {}, status: 0 };
    this.ledger.push(entry);
    const answer = await this.route(request, path, entry);
    entry.status = answer.status;
    if (typeof answer.body.error === 'string') entry.error = answer.body.error;
    return answer;
  }

  private async route(request: IncomingMessage, path: string, entry: LedgerEntry): Promise<PlumeryAnswer> {
    if (path === PLUMERY_PATHS.jwks && request.method === 'GET') {
      entry.endpoint = 'jwks';
      return new PlumeryAnswer(200, this.idTokens.jwks);
    }
    const endpoint = path === PLUMERY_PATHS.backchannel ? 'backchannel' : path === PLUMERY_PATHS.token ? 'token' : undefined;
    if (!endpoint) return PlumeryAnswer.error(404, 'invalid_request', 'not found');
    entry.endpoint = endpoint;
    if (request.method !== 'POST') return PlumeryAnswer.error(400, 'invalid_request', 'POST only');
    const form = await readForm(request);
    if (form instanceof PlumeryAnswer) return form;
    entry.params = Object.fromEntries(form);
    const refused =
      authenticateClient(request, form, { id: this.options.clientId, secret: this.clientSecret }) ??
      unknownParameter(form, endpoint === 'backchannel' ? BACKCHANNEL_PARAMETERS : TOKEN_PARAMETERS);
    if (refused) return refused;
    const fault = this.faults[endpoint].shift();
    if (fault) {
      if (endpoint === 'token') this.notePoll(form.get('auth_req_id'));
      return PlumeryAnswer.error(fault.status, fault.error, fault.description);
    }
    return endpoint === 'backchannel' ? this.backchannel(form) : this.token(form);
  }

  private backchannel(form: Map<string, string>): PlumeryAnswer {
    const accepted = checkBackchannel(form, PLUMERY_USERS);
    if (accepted instanceof PlumeryAnswer) return accepted;
    const now = Date.now();
    const expiresIn = Math.min(this.options.expiresIn ?? 120, accepted.requestedExpiry ?? Infinity);
    const interval = this.options.interval ?? 5;
    const authReqId = randomBytes(24).toString('base64url');
    this.requests.set(authReqId, {
      authReqId,
      user: accepted.user,
      acrValues: accepted.acrValues,
      scope: form.get('scope')!,
      createdAt: now,
      expiresAt: now + expiresIn * 1000,
      interval,
      state: 'pending',
    });
    this.events.emit('request');
    return new PlumeryAnswer(200, { auth_req_id: authReqId, expires_in: expiresIn, interval });
  }

  private async token(form: Map<string, string>): Promise<PlumeryAnswer> {
    if (form.get('grant_type') !== CIBA_GRANT_TYPE)
      return PlumeryAnswer.error(400, 'invalid_request', 'grant_type must be urn:openid:params:grant-type:ciba');
    const authReqId = form.get('auth_req_id');
    if (!authReqId) return PlumeryAnswer.error(400, 'invalid_request', 'auth_req_id is required');
    const request = this.requests.get(authReqId);
    if (!request) return PlumeryAnswer.error(400, 'invalid_grant', 'unknown auth_req_id');
    if (request.state === 'issued') return PlumeryAnswer.error(400, 'invalid_grant', 'auth_req_id already used');
    const now = Date.now();
    if (request.state === 'expired' || now >= request.expiresAt)
      return PlumeryAnswer.error(400, 'expired_token', 'the authentication request has expired');
    const since = request.lastPollAt ?? request.createdAt;
    this.notePoll(authReqId);
    if (now - since < request.interval * 1000 - INTERVAL_SLACK_MS) {
      request.interval += 5; // CIBA Core §11: the client must now wait 5 s longer
      return PlumeryAnswer.error(400, 'slow_down', 'polling too fast');
    }
    if (request.state === 'denied') return PlumeryAnswer.error(400, 'access_denied', 'not authorized');
    if (request.state === 'pending') {
      return PlumeryAnswer.error(
        400,
        'authorization_pending',
        "The authorization request is still pending as the end-user hasn't yet been authenticated.",
      );
    }
    request.state = 'issued';
    const idToken = await this.idTokens.sign({
      issuer: this.issuer,
      clientId: this.options.clientId,
      user: request.user,
      authTime: Math.floor(now / 1000),
      claims: request.claims,
    });
    return new PlumeryAnswer(200, {
      access_token: randomBytes(32).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: randomBytes(32).toString('base64url'),
      id_token: idToken,
      scope: request.scope,
      authentication_method: request.method,
    });
  }

  private notePoll(authReqId: string | undefined): void {
    const request = authReqId === undefined ? undefined : this.requests.get(authReqId);
    if (request) request.lastPollAt = Date.now();
  }
}
