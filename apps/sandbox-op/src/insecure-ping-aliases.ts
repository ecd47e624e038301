/*
 * Lets ping-mode clients use a plain-http notification endpoint (a BFF on http://127.0.0.1).
 *
 * oidc-provider only accepts an https `backchannel_client_notification_endpoint`, and its
 * outgoing fetch refuses loopback/private addresses (SSRF protection). Both are right for a real
 * OP and wrong for a local sandbox, so: an http endpoint is registered under an https alias, and
 * the sandbox's `fetch` hook maps the alias back and drops the SSRF-guarding dispatcher.
 */
export class InsecurePingAliases {
  readonly #originals = new Map<string, string>();

  /** Returns what to register with oidc-provider for `endpoint`. */
  register(endpoint: string): string {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:') return endpoint;
    url.protocol = 'https:';
    this.#originals.set(url.href, endpoint);
    return url.href;
  }

  resolve(url: string): string {
    return this.#originals.get(url) ?? url;
  }

  /** The `fetch` oidc-provider should use for its outgoing requests (pings, client jwks_uri). */
  fetch(): (url: string | URL, options: RequestInit & { dispatcher?: unknown }) => Promise<Response> {
    return (url, options) => {
      const { dispatcher: _ssrfGuard, ...rest } = options;
      return globalThis.fetch(this.resolve(String(url)), rest);
    };
  }
}
