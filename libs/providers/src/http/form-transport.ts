import type { ProviderFetch } from './capped-fetch.js';
import type { RawAnswer } from './raw-answer.js';

/**
 * How one provider's form POSTs travel (token requests, the dialects' own calls): kept-alive
 * connections in production (`PooledFormTransport`), the provider's fetch when a test injects one.
 */
export interface FormTransport {
  /**
   * One POST, never redirected, within the provider's `httpTimeoutSeconds`, its answer read whole
   * up to `maxResponseBytes`. Fails as fetch does (see `dispatch-once.ts`).
   */
  post(url: URL, headers: Record<string, string>, body: string): Promise<RawAnswer>;
  /** Closes the kept-alive connections once the requests in flight are answered (shutdown). */
  close(): Promise<void>;
}

/** A transport over a fetch (a test's, wrapped in the capped fetch): no connection of its own. */
export function fetchFormTransport(fetch: ProviderFetch, timeoutSeconds: number): FormTransport {
  return {
    async post(url, headers, body) {
      const response = await fetch(url.href, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      return {
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        body: new Uint8Array(await response.arrayBuffer()),
      };
    },
    close: () => Promise.resolve(),
  };
}
