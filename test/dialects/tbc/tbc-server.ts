import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TbcCustomer } from './tbc-checks.js';
import { TbcRequestBook, type TbcRequest, type TbcStep } from './tbc-requests.js';
import { TbcSigner } from './tbc-signer.js';
import {
  authenticateClient,
  readForm,
  RefusalError,
  refuse,
  sendJson,
  sendRefusal,
  type ClientAuthMethod,
  type ErrorFormat,
  type Refusal,
} from './tbc-wire.js';

export type { TbcCustomer } from './tbc-checks.js';
export type { TbcRequest, TbcStep } from './tbc-requests.js';
export const BACKCHANNEL_PATH = '/psd2/openbanking/oauth/bc-authorization';
export const TOKEN_PATH = '/psd2/openbanking/oauth/token';

export interface TbcServerOptions {
  clientId: string;
  clientSecret?: string;
  clientAuth?: ClientAuthMethod;
  /**
   * Serve the bank's endpoints over HTTPS and ask for a client certificate (tls_client_auth). The
   * JWKS then comes from a plain-http listener of its own: the BFF's key fetch trusts only the
   * public roots, as it would for the real bank, and the test CA is not one.
   */
  tls?: { cert: string; key: string; ca: string; clientFingerprint256: string };
  customers: TbcCustomer[];
  /** Seconds, as CIBA Core §7.3 (the ack); the final token answer uses TBC's milliseconds. */
  interval?: number;
  expiresIn?: number;
}

/** One request received, for tests to assert on ("never reached the provider"). */
export interface LedgerEntry {
  at: number;
  endpoint: 'backchannel' | 'token' | 'jwks' | 'other';
  step?: TbcStep;
  form: Record<string, string>;
  status: number;
  code?: string;
}

/**
 * A TBC Bank CIBA server as seed 000 describes it, checking what we send as strictly as the real
 * one would: form encoding, client authentication, the initialize fields (scope with openid,
 * `claims` JSON, `login_hint` JSON with exactly one allowed key) and the finalize fields
 * (`user_code` and `id_token_hint` equal to a middle token it issued, nothing else). Errors are
 * problem+json; the final token answer says `BearerToken` and gives `expires_in` in ms.
 */
export class TbcDialectServer {
  readonly ledger: LedgerEntry[] = [];
  /** How token-endpoint errors are written: TBC's problem+json, or OAuth JSON. */
  errorFormat: ErrorFormat = 'problem';
  private readonly faults = new Map<TbcStep | 'token', Refusal>();
  private readonly answered = new EventEmitter();
  private readonly book: TbcRequestBook;
  private readonly clientAuth: ClientAuthMethod;

  private constructor(
    private readonly servers: Server[],
    readonly url: string,
    readonly jwksUri: string,
    private readonly signer: TbcSigner,
    private readonly options: TbcServerOptions,
  ) {
    this.clientAuth = options.clientAuth ?? (options.tls ? 'tls_client_auth' : 'client_secret_post');
    const { clientId, customers, interval = 1, expiresIn = 120 } = options;
    this.book = new TbcRequestBook(signer, { issuer: url, clientId, customers, interval, expiresIn });
  }

  static async start(options: TbcServerOptions): Promise<TbcDialectServer> {
    const signer = await TbcSigner.create();
    // The listener needs the instance, and the instance needs the listening servers' URLs.
    const holder: { instance?: TbcDialectServer } = {};
    const listener: RequestListener = (request, response) => void holder.instance!.handle(request, response);
    const tls = options.tls;
    const main = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false }, listener)
      : createServer(listener);
    const servers = tls ? [main, createServer(listener)] : [main];
    const ports = await Promise.all(servers.map(listen));
    const url = `${tls ? 'https' : 'http'}://127.0.0.1:${ports[0]}`;
    const jwksUri = `http://127.0.0.1:${ports.at(-1)}/jwks`;
    holder.instance = new TbcDialectServer(servers, url, jwksUri, signer, options);
    return holder.instance;
  }

  /** The provider block of our configuration (API.md §3) for this server. */
  providerConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      profile: 'tbc',
      issuer: this.url,
      backchannelAuthenticationEndpoint: `${this.url}${BACKCHANNEL_PATH}`,
      tokenEndpoint: `${this.url}${TOKEN_PATH}`,
      jwksUri: this.jwksUri,
      clientId: this.options.clientId,
      clientAuth: { method: this.clientAuth, secret: this.options.clientSecret },
      scope: 'openid',
      allowInsecureHttp: true,
      ...extra,
    };
  }

  backchannelRequests(step?: TbcStep): LedgerEntry[] {
    return this.ledger.filter((entry) => entry.endpoint === 'backchannel' && (step === undefined || entry.step === step));
  }

  /** The latest request of `step` for a customer (by personal number), once it arrives. */
  waitForRequest(personalNumber: string, step: TbcStep = 'initialize', timeoutMs = 10_000): Promise<TbcRequest> {
    return waitFor(
      () => this.book.latest(personalNumber, step),
      this.book.events,
      'request',
      timeoutMs,
      `no ${step} request for ${personalNumber}`,
    );
  }

  /** Resolves once an answered request in the ledger satisfies `predicate`. */
  waitForLedger(predicate: (entry: LedgerEntry) => boolean, timeoutMs = 10_000): Promise<LedgerEntry> {
    return waitFor(() => this.ledger.find(predicate), this.answered, 'answered', timeoutMs, 'no such request in the ledger');
  }

  approve(authReqId: string, fault: { tokenPersonalNumber?: string } = {}): void {
    Object.assign(this.book.get(authReqId), { decision: 'approved' }, fault);
  }

  deny(authReqId: string): void {
    this.book.get(authReqId).decision = 'denied';
  }

  expire(authReqId: string): void {
    this.book.get(authReqId).decision = 'expired';
  }

  /** The next request of `step` is refused with this problem, after client authentication. */
  failNext(step: TbcStep | 'token', refusal: Refusal): void {
    this.faults.set(step, refusal);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const entry: LedgerEntry = { at: Date.now(), endpoint: 'other', form: {}, status: 200 };
    this.ledger.push(entry);
    try {
      if (path === '/jwks' && request.method === 'GET') {
        entry.endpoint = 'jwks';
        sendJson(response, 200, this.signer.jwks);
        return;
      }
      if (path !== BACKCHANNEL_PATH && path !== TOKEN_PATH) refuse(404, 'not_found', `no route ${path}`);
      entry.endpoint = path === BACKCHANNEL_PATH ? 'backchannel' : 'token';
      const raw = await readForm(request);
      entry.form = Object.fromEntries(Object.entries(raw).filter(([name]) => name !== 'client_secret'));
      const form = authenticateClient(request, raw, {
        id: this.options.clientId,
        method: this.clientAuth,
        secret: this.options.clientSecret,
        certificateFingerprint256: this.options.tls?.clientFingerprint256,
      });
      if (entry.endpoint === 'backchannel') {
        entry.step = 'login_hint' in form || 'scope' in form ? 'initialize' : 'finalize';
        this.injectFault(entry.step);
        sendJson(response, 200, entry.step === 'initialize' ? this.book.initialize(form) : this.book.finalize(form));
      } else {
        this.injectFault('token');
        sendJson(response, 200, await this.book.token(form));
      }
    } catch (error) {
      if (!(error instanceof RefusalError)) throw error;
      entry.status = error.refusal.status;
      entry.code = error.refusal.code;
      sendRefusal(response, error.refusal, entry.endpoint === 'token' ? this.errorFormat : 'problem');
    } finally {
      this.answered.emit('answered', entry);
    }
  }

  private injectFault(step: TbcStep | 'token'): void {
    const fault = this.faults.get(step);
    if (!fault) return;
    this.faults.delete(step);
    throw new RefusalError(fault);
  }
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Polls `find` on every `event` (and every 200 ms) until it returns something, or times out. */
async function waitFor<T>(find: () => T | undefined, events: EventEmitter, event: string, timeoutMs: number, failure: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let found = find(); ; found = find()) {
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(failure);
    await Promise.race([once(events, event), new Promise((resolve) => setTimeout(resolve, 200))]);
  }
}
