import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../support/http-server.js';

/** What happened to a request at the proxy: still waiting, answered in full, or its client went away first. */
export type Outcome = 'open' | 'answered' | 'aborted';

export interface TokenRequestEntry {
  /** Which BFF process asked (its configuration points at `/<tag>/token`). */
  tag: string;
  authReqId: string;
  arrivedAt: number;
  answeredAt?: number;
  status?: number;
  /** The OAuth error code of a 400 answer (`authorization_pending`, `access_denied`, ...). */
  error?: string;
  outcome: Outcome;
}

export interface BackchannelEntry {
  tag: string;
  loginHint: string;
  bindingMessage: string;
  status: number;
  authReqId?: string;
}

export interface JwksEntry {
  tag: string;
  arrivedAt: number;
  /** `held` while `holdJwks()` keeps its answer back. */
  outcome: Outcome | 'held';
}

export interface LedgerProxy {
  url: string;
  /** Endpoints for one BFF process: the tag in the path tells the ledger which process asked. */
  endpointsFor(tag: string): { backchannelAuthenticationEndpoint: string; tokenEndpoint: string; jwksUri: string };
  backchannel: BackchannelEntry[];
  tokenRequests: TokenRequestEntry[];
  jwks: JwksEntry[];
  /** The token requests for one auth_req_id, in arrival order. */
  tokenRequestsFor(authReqId: string): TokenRequestEntry[];
  /** The auth_req_id the provider gave the request with this binding message. */
  authReqIdOf(bindingMessage: string): string;
  /**
   * The next token request (for `authReqId` when given) is forwarded at once and its answer held
   * back `ms`, as a slow provider would; resolves when that request arrives.
   */
  delayNextTokenAnswer(ms: number, authReqId?: string): Promise<TokenRequestEntry>;
  /**
   * `tokenAnswerDelayMs`: every token answer is held back this long (a slow provider: polls stay
   * in flight). `afterBackchannelAnswer`: awaited once the provider has acknowledged a
   * backchannel request, before the acknowledgement is passed on (a fault can strike then).
   */
  settings: { tokenAnswerDelayMs: number; afterBackchannelAnswer?: () => Promise<void> };
  /** Holds JWKS answers until `releaseJwks()`: a worker verifying an ID Token stays mid-job. */
  holdJwks(): void;
  releaseJwks(): void;
  /** Resolves with the first truthy value of `check`, re-checked whenever the ledger changes. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * A test-only proxy between BFF processes and the provider (here: the recording proxy in front
 * of the sandbox) that keeps a ledger by auth_req_id: which process sent each token request,
 * when it arrived, when and how it was answered, and whether the answer reached the client.
 * "Never polled early" and "never redeemed twice" are asserted on it, at the provider's door.
 */
export async function startLedgerProxy(upstream: { backchannel: string; token: string; jwks: string }): Promise<LedgerProxy> {
  const backchannel: BackchannelEntry[] = [];
  const tokenRequests: TokenRequestEntry[] = [];
  const jwks: JwksEntry[] = [];
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = () => changes.emit('change');
  let delayNext: { ms: number; authReqId?: string; arrived: (entry: TokenRequestEntry) => void } | undefined;
  let jwksGate: { promise: Promise<void>; open: () => void } | undefined;
  const settings: LedgerProxy['settings'] = { tokenAnswerDelayMs: 0 };

  const server: Server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [, tag, endpoint] = /^\/([\w-]+)\/(backchannel|token|jwks)$/.exec(request.url ?? '') ?? [];
    if (!tag) return void response.writeHead(404).end();
    const body = await readBody(request);
    const form = new URLSearchParams(body);
    if (endpoint === 'jwks') return serveJwks(tag, response);
    const target = endpoint === 'token' ? upstream.token : upstream.backchannel;
    const entry: TokenRequestEntry | undefined =
      endpoint === 'token' ? { tag, authReqId: form.get('auth_req_id') ?? '', arrivedAt: Date.now(), outcome: 'open' } : undefined;
    let delayMs = entry ? settings.tokenAnswerDelayMs : 0;
    if (entry) {
      tokenRequests.push(entry);
      response.once('close', () => {
        entry.outcome = response.writableFinished ? 'answered' : 'aborted';
        entry.answeredAt ??= Date.now();
        changed();
      });
      if (delayNext && (delayNext.authReqId === undefined || delayNext.authReqId === entry.authReqId)) {
        delayMs = delayNext.ms;
        delayNext.arrived(entry);
        delayNext = undefined;
      }
      changed();
    }
    const answer = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type']), authorization: String(request.headers.authorization ?? '') },
      body,
    });
    const text = await answer.text();
    const json = parseJson(text);
    if (entry) {
      // What the provider did, whether or not the answer reaches the BFF (a 200 is a redemption).
      entry.status = answer.status;
      entry.error = typeof json.error === 'string' ? json.error : undefined;
    } else {
      backchannel.push({
        tag,
        loginHint: form.get('login_hint') ?? '',
        bindingMessage: form.get('binding_message') ?? '',
        status: answer.status,
        authReqId: typeof json.auth_req_id === 'string' ? json.auth_req_id : undefined,
      });
      changed();
      await settings.afterBackchannelAnswer?.();
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Taken as the answer is written: the BFF cannot hold it sooner. ('close' comes later, on a
    // busy test process late enough to make a poll at exactly the interval look early.)
    if (entry) entry.answeredAt = Date.now();
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
  }

  async function serveJwks(tag: string, response: ServerResponse): Promise<void> {
    const entry: JwksEntry = { tag, arrivedAt: Date.now(), outcome: jwksGate ? 'held' : 'open' };
    jwks.push(entry);
    response.once('close', () => {
      entry.outcome = response.writableFinished ? 'answered' : 'aborted';
      changed();
    });
    changed();
    if (jwksGate) await jwksGate.promise;
    const answer = await fetch(upstream.jwks);
    const text = await answer.text();
    if (!response.destroyed) response.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpointsFor: (tag) => ({
      backchannelAuthenticationEndpoint: `${url}/${tag}/backchannel`,
      tokenEndpoint: `${url}/${tag}/token`,
      jwksUri: `${url}/${tag}/jwks`,
    }),
    backchannel,
    tokenRequests,
    jwks,
    tokenRequestsFor: (authReqId) => tokenRequests.filter((entry) => entry.authReqId === authReqId),
    authReqIdOf: (bindingMessage) => {
      const found = backchannel.find((entry) => entry.bindingMessage === bindingMessage)?.authReqId;
      if (!found) throw new Error(`no backchannel request with binding message ${bindingMessage}`);
      return found;
    },
    settings,
    delayNextTokenAnswer: (ms, authReqId) => new Promise((arrived) => (delayNext = { ms, authReqId, arrived })),
    holdJwks: () => {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      jwksGate = { promise, open };
    },
    releaseJwks: () => {
      jwksGate?.open();
      jwksGate = undefined;
    },
    waitFor: async <T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> => {
      const signal = AbortSignal.timeout(timeoutMs);
      for (;;) {
        const value = check();
        if (value) return value;
        try {
          await once(changes, 'change', { signal });
        } catch {
          throw new Error(`ledger: ${what} did not happen within ${timeoutMs} ms`);
        }
      }
    },
    close: () =>
      new Promise((resolve) => {
        jwksGate?.open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
