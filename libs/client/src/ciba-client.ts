import createClient, { type Client } from 'openapi-fetch';
import { CibaProblemError, problemOf } from './ciba-problem.js';
import type { components, paths } from './generated/openapi.js';
import { readServerSentEvents } from './sse-stream.js';

export type StatusDocument = components['schemas']['StatusDocument'];
export type StartAuthenticationRequest = components['schemas']['StartAuthenticationRequest'];
export type AuthenticationStatus = StatusDocument['status'];

const TERMINAL: ReadonlySet<string> = new Set(['approved', 'denied', 'expired', 'failed', 'cancelled']);
/** API.md §4: a long-poll waits at most 60 s. */
const LONG_POLL_SECONDS = 60;
/** After a dropped stream without a `retry:` hint. */
const DEFAULT_RECONNECT_MS = 1000;
/** Reconnects in a row that deliver nothing before the stream is given up for long-polls. */
const MAX_EMPTY_RECONNECTS = 3;

export interface CibaClientOptions {
  /** The BFF's base URL, e.g. `https://ciba-bff.bank.internal`. */
  baseUrl: string;
  /** An API key, or an access token from the bank's identity provider (API.md §7). */
  credentials: string;
  /** Another fetch (a proxy agent, tests). */
  fetch?: typeof fetch;
}

export interface FollowOptions {
  /** Every status document seen on the way, the final one included. */
  onUpdate?: (document: StatusDocument) => void;
  signal?: AbortSignal;
  /** `sse` (default: Server-Sent Events, falling back to long-polls when a stream cannot be had) or `long-poll`. */
  via?: 'sse' | 'long-poll';
}

/**
 * A point-of-sale backend's view of the CIBA BFF: start an authentication, follow it to its end
 * (Server-Sent Events resumed with `Last-Event-ID`, long-polls when streams are not possible),
 * give the customer's code, cancel. Every refusal is a `CibaProblemError` carrying the problem
 * document. `api` is the generated client for everything else, typed from `docs/openapi.json`.
 */
export class CibaClient {
  readonly api: Client<paths>;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CibaClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.api = createClient<paths>({
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.credentials}` },
      fetch: (request) => this.fetch(request),
    });
  }

  /** `POST /v1/authentications`; the same `idempotencyKey` and body never start twice. */
  async start(body: StartAuthenticationRequest, idempotencyKey?: string): Promise<StatusDocument> {
    const answer = await this.api.POST('/v1/authentications', {
      body,
      params: { header: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} },
    });
    return settled(answer);
  }

  /** `GET /v1/authentications/{id}`. */
  async get(id: string): Promise<StatusDocument> {
    return settled(await this.api.GET('/v1/authentications/{id}', { params: { path: { id } } }));
  }

  /** `POST /v1/authentications/{id}/user-code`: the code the customer's phone shows (two-step providers). */
  async submitUserCode(id: string, userCode: string): Promise<StatusDocument> {
    return settled(await this.api.POST('/v1/authentications/{id}/user-code', { params: { path: { id } }, body: { userCode } }));
  }

  /** `DELETE /v1/authentications/{id}`: polling stops, a late approval is ignored. */
  async cancel(id: string): Promise<StatusDocument> {
    return settled(await this.api.DELETE('/v1/authentications/{id}', { params: { path: { id } } }));
  }

  /** Resolves with the final status document (approved, denied, expired, failed or cancelled). */
  async follow(id: string, options: FollowOptions = {}): Promise<StatusDocument> {
    if (options.via !== 'long-poll') {
      const streamed = await this.stream(id, options);
      if (streamed) return streamed;
    }
    return this.longPoll(id, options);
  }

  /** Long-polls until the status is final (`?wait=60&status=<the last seen>`). */
  private async longPoll(id: string, options: FollowOptions): Promise<StatusDocument> {
    let document = await this.get(id);
    options.onUpdate?.(document);
    while (!TERMINAL.has(document.status)) {
      options.signal?.throwIfAborted();
      const answer = await this.api.GET('/v1/authentications/{id}', {
        params: { path: { id }, query: { wait: LONG_POLL_SECONDS, status: document.status } },
        signal: options.signal,
      });
      const next = settled(answer);
      if (next.status !== document.status) options.onUpdate?.(next);
      document = next;
    }
    return document;
  }

  /**
   * Follows the event stream, reconnecting with `Last-Event-ID` when it drops (a replica stopping
   * says `retry:` first). Null when streams cannot be had here (a proxy that refuses them, a
   * runtime without streaming bodies, repeated empty reconnects): the caller long-polls instead.
   * A refusal of the BFF itself (404, 401) is thrown, not fallen back from.
   */
  private async stream(id: string, options: FollowOptions): Promise<StatusDocument | null> {
    let lastEventId: string | undefined;
    let last: StatusDocument | undefined;
    let emptyReconnects = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      let response: Response;
      try {
        response = await this.fetch(`${this.options.baseUrl}/v1/authentications/${encodeURIComponent(id)}/events`, {
          headers: {
            authorization: `Bearer ${this.options.credentials}`,
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return null;
      }
      // 204: the final event was already delivered under Last-Event-ID.
      if (response.status === 204) return last ?? this.get(id);
      if (response.status >= 400 && response.status < 500) throw problemOf(response.status, await response.json().catch(() => null), null);
      if (response.status !== 200 || !response.body) return null;
      let retryMs = DEFAULT_RECONNECT_MS;
      let delivered = false;
      try {
        for await (const event of readServerSentEvents(response.body)) {
          if (event.retry !== undefined) retryMs = event.retry;
          if (event.event !== 'status') continue;
          delivered = true;
          lastEventId = event.id ?? lastEventId;
          last = JSON.parse(event.data) as StatusDocument;
          options.onUpdate?.(last);
          if (TERMINAL.has(last.status)) return last;
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
      }
      emptyReconnects = delivered ? 0 : emptyReconnects + 1;
      if (emptyReconnects >= MAX_EMPTY_RECONNECTS) return null;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}

/** The document of a successful answer, or the problem it carried. */
function settled(answer: { data?: unknown; error?: unknown; response: Response }): StatusDocument {
  if (answer.response.ok && answer.data) return answer.data as StatusDocument;
  throw problemOf(answer.response.status, answer.error, answer.response.headers.get('retry-after'));
}

export { CibaProblemError };
