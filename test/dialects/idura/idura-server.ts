import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBackchannelParams, type BackchannelParams } from './idura-bc-rules.js';
import { discoveryDocument, oauthError, readBody, send } from './idura-http.js';
import { IduraClientCheck, type IduraClient } from './idura-client-check.js';
import { IduraTokenSigner, type IduraPerson } from './idura-id-token.js';

export type { IduraClient } from './idura-client-check.js';

/** One request the server received, as the tests see it. */
export interface LedgerEntry {
  at: number;
  endpoint: 'bc-authorize' | 'token';
  params: Record<string, string>;
  clientAuth?: 'private_key_jwt' | 'client_secret_basic';
  status: number;
  answer: Record<string, unknown>;
}

export interface IduraAuthRequest extends BackchannelParams {
  authReqId: string;
  clientId: string;
  ackAt: number;
  expiresAt: number;
  interval: number;
  /** The word pair Norwegian BankID made (returned as `bindingMessage` in the ack). */
  wordPair?: string;
  state: 'pending' | 'approved' | 'denied' | 'redeemed';
  progress: string;
  lastPollAt?: number;
  extraClaims?: Record<string, unknown>;
}

interface Fault {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
const TOKEN_PARAMETERS = new Set(['grant_type', 'auth_req_id', 'client_id', 'client_assertion_type', 'client_assertion']);
/** Idura's Caller Authentication guide: first progress text per eID. */
const FIRST_PROGRESS = {
  'se-bankid': 'awaiting first user interaction',
  'no-bankid': 'User has not yet granted authorization',
  frejaid: 'awaiting first user interaction',
};
const WORD_PAIRS = ['Frekk Julekos', 'Glad Elg', 'Rask Rev', 'Stille Fjord', 'Varm Vaffel'];

/**
 * Idura Verify's CIBA dialect (seed 002) on node:http: /ciba/bc-authorize, /oauth2/token, JWKS and
 * discovery. It checks what we send as strictly as a real tenant, signs its ID Tokens with its
 * own key, and keeps a ledger. Tests drive the customer: approve, deny, progress, faults.
 */
export class IduraServer {
  readonly ledger: LedgerEntry[] = [];
  readonly requests: IduraAuthRequest[] = [];
  /** Sent as `interval` in acknowledgements when set (Idura usually sends none). */
  ackInterval?: number;
  expiresIn = 120;
  persons = new Map<string, IduraPerson>();
  private readonly faults: Record<LedgerEntry['endpoint'], Fault[]> = { 'bc-authorize': [], token: [] };
  private readonly events = new EventEmitter();
  private readonly clientCheck: IduraClientCheck;

  private constructor(
    readonly issuer: string,
    private readonly server: ReturnType<typeof createServer>,
    clients: IduraClient[],
    private readonly signer: IduraTokenSigner,
  ) {
    this.clientCheck = new IduraClientCheck(clients, issuer);
  }

  static async start(clients: IduraClient[]): Promise<IduraServer> {
    const signer = await IduraTokenSigner.create();
    // The instance needs its issuer, known only once the port is; no one can call before that.
    const ready: { instance?: IduraServer } = {};
    const server = createServer((req, res) => void ready.instance!.handle(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ready.instance = new IduraServer(issuer, server, clients, signer);
    return ready.instance;
  }

  get endpoints() {
    return {
      backchannel: `${this.issuer}/ciba/bc-authorize`,
      token: `${this.issuer}/oauth2/token`,
      jwks: `${this.issuer}/.well-known/jwks`,
    };
  }

  /** The latest request for this SSN, waiting for it to arrive if need be. */
  async waitForRequest(ssn: string, timeoutMs = 10_000): Promise<IduraAuthRequest> {
    const found = () => this.requests.findLast((r) => r.ssn === ssn);
    const signal = AbortSignal.timeout(timeoutMs);
    while (!found()) await once(this.events, 'request', { signal });
    return found()!;
  }

  /** Resolves with the ledger entry of the `count`-th token request for this request. */
  async waitForPoll(authReqId: string, count: number, timeoutMs = 15_000): Promise<LedgerEntry> {
    const polls = () => this.polls(authReqId);
    const signal = AbortSignal.timeout(timeoutMs);
    while (polls().length < count) await once(this.events, 'poll', { signal });
    return polls()[count - 1];
  }

  polls(authReqId: string): LedgerEntry[] {
    return this.ledger.filter((e) => e.endpoint === 'token' && e.params.auth_req_id === authReqId);
  }

  approve(request: IduraAuthRequest, extraClaims?: Record<string, unknown>): void {
    Object.assign(request, { state: 'approved', extraClaims });
  }

  deny(request: IduraAuthRequest): void {
    request.state = 'denied';
  }

  setProgress(request: IduraAuthRequest, progress: string): void {
    request.progress = progress;
  }

  /** The next answer of this endpoint is this fault instead (e.g. 429 with Retry-After). */
  failNext(endpoint: LedgerEntry['endpoint'], fault: Partial<Fault> & { status: number }): void {
    this.faults[endpoint].push({ body: '', headers: {}, ...fault });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.issuer).pathname;
    if (req.method === 'GET' && path === '/.well-known/jwks') return send(res, 200, this.signer.jwks);
    if (req.method === 'GET' && path === '/.well-known/openid-configuration')
      return send(res, 200, discoveryDocument(this.issuer, this.endpoints));
    const endpoint = path === '/ciba/bc-authorize' ? 'bc-authorize' : path === '/oauth2/token' ? 'token' : undefined;
    if (req.method !== 'POST' || !endpoint) return send(res, 404, { error: 'not_found' });
    const at = Date.now();
    const body = await readBody(req);
    const params = new URLSearchParams(body);
    const record = (status: number, answer: Record<string, unknown>, clientAuth?: LedgerEntry['clientAuth']) => {
      this.ledger.push({ at, endpoint, params: Object.fromEntries(params), clientAuth, status, answer });
      this.events.emit(endpoint === 'token' ? 'poll' : 'backchannel');
      send(res, status, answer);
    };
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return record(400, oauthError('invalid_request', 'form-urlencoded body required'));
    const client = await this.clientCheck.check(req.headers.authorization, params);
    if (!client.ok) return record(401, oauthError('invalid_client', client.reason));
    const fault = this.faults[endpoint].shift();
    if (fault) {
      this.ledger.push({ at, endpoint, params: Object.fromEntries(params), clientAuth: client.method, status: fault.status, answer: {} });
      this.events.emit(endpoint === 'token' ? 'poll' : 'backchannel');
      res.writeHead(fault.status, fault.headers).end(fault.body);
      return;
    }
    const [status, answer] =
      endpoint === 'token' ? await this.token(params, client.clientId, at) : this.backchannel(params, client.clientId, at);
    record(status, answer, client.method);
    if (endpoint === 'bc-authorize' && status === 200) this.events.emit('request');
  }

  private backchannel(params: URLSearchParams, clientId: string, at: number): [number, Record<string, unknown>] {
    const checked = checkBackchannelParams(params);
    if (!checked.ok) return [400, oauthError(checked.error, checked.description)];
    const interval = this.ackInterval ?? 5;
    const norwegian = checked.value.eid === 'no-bankid';
    const request: IduraAuthRequest = {
      ...checked.value,
      authReqId: randomUUID(),
      clientId,
      ackAt: at,
      expiresAt: at + this.expiresIn * 1000,
      interval,
      wordPair: norwegian ? WORD_PAIRS[this.requests.length % WORD_PAIRS.length] : undefined,
      state: 'pending',
      progress: FIRST_PROGRESS[checked.value.eid],
    };
    this.requests.push(request);
    // Seed 002: no interval; Norwegian BankID adds its word pair, and expires_in comes as a string.
    return [
      200,
      {
        auth_req_id: request.authReqId,
        expires_in: norwegian ? String(this.expiresIn) : this.expiresIn,
        ...(this.ackInterval === undefined ? {} : { interval: this.ackInterval }),
        ...(norwegian ? { bindingMessage: request.wordPair } : {}),
      },
    ];
  }

  private async token(params: URLSearchParams, clientId: string, at: number): Promise<[number, Record<string, unknown>]> {
    for (const name of new Set(params.keys())) {
      if (!TOKEN_PARAMETERS.has(name) || params.getAll(name).length > 1)
        return [400, oauthError('invalid_request', `unexpected parameter ${name}`)];
    }
    if (params.get('grant_type') !== CIBA_GRANT) return [400, oauthError('unsupported_grant_type')];
    const request = this.requests.find((r) => r.authReqId === params.get('auth_req_id') && r.clientId === clientId);
    if (!request || request.state === 'redeemed') return [400, oauthError('invalid_grant')];
    if (at > request.expiresAt) return [400, oauthError('expired_token')];
    const since = request.lastPollAt ?? request.ackAt;
    request.lastPollAt = at;
    // CIBA Core §7.3: without an interval the client must wait 5 s between polls (and before the first).
    if (at - since < request.interval * 1000) return [400, oauthError('slow_down')];
    if (request.state === 'pending') return [400, oauthError('authorization_pending', request.progress)];
    if (request.state === 'denied') return [400, oauthError('access_denied', 'user declined')];
    request.state = 'redeemed';
    const person = this.persons.get(request.ssn) ?? { givenName: 'Terne', familyName: 'Paulsen' };
    const idToken = await this.signer.idToken({
      issuer: this.issuer,
      clientId,
      acr: request.acr,
      eid: request.eid,
      ssn: request.ssn,
      person,
      extra: request.extraClaims,
    });
    // Seed 002's token response: expires_in as a string, an opaque access token.
    return [200, { token_type: 'Bearer', expires_in: '120', id_token: idToken, access_token: randomUUID() }];
  }
}
