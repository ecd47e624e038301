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
 * - `fetch`: openid-client's other calls (discovery, the backchannel request) and jose's JWKS,
 *   on the same agent (for `tls_client_auth` that puts the client certificate on every call,
 *   RFC 8705 §2).
 *
 * A test's fetch (`customFetch`) takes the place of both: then nothing of ours opens a socket.
 */
export class ProviderHttp {
  /** Every call but the form POSTs; answers read up to `maxResponseBytes`. */
  readonly fetch: ProviderFetch;
  readonly forms: FormTransport;

  constructor(provider: ProviderConfig, customFetch?: CustomFetch) {
    const maxBytes = provider.maxResponseBytes;
    const timeoutSeconds = provider.httpTimeoutSeconds;
    if (customFetch) {
      this.fetch = cappedFetch(customFetch, maxBytes);
      this.forms = fetchFormTransport(this.fetch, timeoutSeconds);
      return;
    }
    const tls = provider.clientAuth.method === 'tls_client_auth' ? mutualTlsConnection(readMutualTlsMaterial(provider)) : undefined;
    const agent = providerAgent({ timeoutSeconds, tls });
    this.fetch = dispatcherFetch(agent, maxBytes);
    this.forms = new PooledFormTransport(agent, { timeoutSeconds, maxBytes });
  }

  /**
   * Closes the provider's connections once the requests in flight are answered (shutdown);
   * `fetch` shares them and fails from then on too.
   */
  close(): Promise<void> {
    return this.forms.close();
  }
}
