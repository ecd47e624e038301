import type { ProviderConfig } from '@ciba/config';
import type { CustomFetch } from 'openid-client';
import { mutualTlsConnection, readMutualTlsMaterial } from '../openid/mutual-tls.js';
import { cappedFetch, type ProviderFetch } from './capped-fetch.js';
import { dispatcherFetch } from './dispatcher-fetch.js';
import { fetchFormTransport, type FormTransport } from './form-transport.js';
import { PooledFormTransport, providerAgent } from './pooled-transport.js';

/**
 * Everything one provider's calls travel on, built once per provider (the PEM files of mutual TLS
 * are read here, at start-up) and shared by the configuration sources derived from it.
 *
 * - `forms`: token requests and the dialects' POSTs, on the provider's own keep-alive agent.
 * - `fetch`: openid-client's other calls (discovery, backchannel) and jose's JWKS: the global
 *   fetch, or for `tls_client_auth` the same agent as `forms` (RFC 8705 §2: the client
 *   certificate on every call).
 *
 * A test's fetch (`customFetch`) takes the place of both: then nothing of ours opens a socket.
 */
export class ProviderHttp {
  /** Every call but the form POSTs; answers read up to `maxResponseBytes`. */
  readonly fetch: ProviderFetch;
  /** What `fetch` is built on: mutual TLS, a test's, or undefined for the global fetch. */
  readonly underlying?: CustomFetch;
  readonly forms: FormTransport;

  constructor(provider: ProviderConfig, customFetch?: CustomFetch) {
    const maxBytes = provider.maxResponseBytes;
    const timeoutSeconds = provider.httpTimeoutSeconds;
    if (customFetch) {
      this.underlying = customFetch;
      this.fetch = cappedFetch(customFetch, maxBytes);
      this.forms = fetchFormTransport(this.fetch, timeoutSeconds);
      return;
    }
    const tls = provider.clientAuth.method === 'tls_client_auth' ? mutualTlsConnection(readMutualTlsMaterial(provider)) : undefined;
    const agent = providerAgent({ timeoutSeconds, tls });
    this.underlying = tls ? dispatcherFetch(agent, maxBytes) : undefined;
    this.fetch = cappedFetch(this.underlying, maxBytes);
    this.forms = new PooledFormTransport(agent, { timeoutSeconds, maxBytes });
  }

  /**
   * Closes the provider's connections once the requests in flight are answered (shutdown); with
   * mutual TLS `fetch` shares them and fails from then on too.
   */
  close(): Promise<void> {
    return this.forms.close();
  }
}
