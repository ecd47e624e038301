import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { RawAnswer } from './raw-answer.js';
import { ResponseTooLargeError } from './response-too-large.error.js';

/** One HTTP request, in undici's terms (`origin` only where the dispatcher serves several). */
export interface OneRequest {
  origin?: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** What bounds one exchange. */
export interface ExchangeLimits {
  /** `maxResponseBytes`: past it reading stops, the connection is dropped, `ResponseTooLargeError`. */
  maxBytes: number;
  /** Deadline of the whole exchange (queue, connect, headers, body), from the call. */
  timeoutMs?: number;
  /** A caller's abort (openid-client's and jose's own timeouts come this way). */
  signal?: AbortSignal;
}

/**
 * One request on an undici dispatcher, its answer read whole into memory up to `maxBytes`.
 * undici's lowest API (`dispatch` with a handler) on purpose: no stream, no `Response`, no
 * exception on the way of an ordinary answer. Redirects are never followed (no redirect
 * interceptor is composed in). Fails as `fetch` does, so `classifyFailure` reads both alike: a
 * transport error is a `TypeError('fetch failed')` with the socket error as cause, the deadline
 * a `TimeoutError` DOMException (`AbortSignal.timeout`'s), an abort the signal's reason.
 */
export function dispatchOnce(dispatcher: Dispatcher, request: OneRequest, limits: ExchangeLimits): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const exchange = new Exchange(limits, resolve, reject);
    if (exchange.settled) return;
    dispatcher.dispatch({ ...request, body: request.body ?? null }, exchange);
  });
}

/** The handler of one exchange: collects the answer, or settles early with the first failure. */
class Exchange implements Dispatcher.DispatchHandler {
  settled = false;
  private controller?: Dispatcher.DispatchController;
  private failure?: Error;
  private timer?: NodeJS.Timeout;
  private status = 0;
  private statusText = '';
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limits: ExchangeLimits,
    private readonly resolve: (answer: RawAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const { signal, timeoutMs } = limits;
    if (signal?.aborted) {
      this.fail(abortReason(signal));
      return;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => this.fail(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
      this.timer.unref();
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Settled while it waited for a connection: it must not leave now.
    if (this.failure) controller.abort(this.failure);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders, statusText?: string): void {
    if (this.settled) return;
    // Called again after a 1xx interim answer: only the final one counts.
    this.status = status;
    this.statusText = statusText ?? '';
    this.headers = headers;
    this.chunks = [];
    this.size = 0;
    if (Number(headers['content-length']) > this.limits.maxBytes) this.fail(new ResponseTooLargeError(this.limits.maxBytes));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.byteLength;
    if (this.size > this.limits.maxBytes) return this.fail(new ResponseTooLargeError(this.limits.maxBytes));
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.settle()) return;
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.resolve({ status: this.status, statusText: this.statusText, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.settle()) this.reject(new TypeError('fetch failed', { cause: error }));
  }

  private readonly onAbort = (): void => this.fail(abortReason(this.limits.signal!));

  /** Settles with `error` and stops the exchange; aborting mid-answer drops the connection. */
  private fail(error: Error): void {
    if (!this.settle()) return;
    this.failure = error;
    this.reject(error);
    this.controller?.abort(error);
  }

  /** True the first time only. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.limits.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }
}

/** The signal's reason as fetch rejects with it (`AbortSignal.timeout`'s is a `TimeoutError`). */
function abortReason(signal: AbortSignal): Error {
  return (signal.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');
}
