import type { ProviderConfig } from '@ciba/config';
import * as client from 'openid-client';
import { cappedFetch, type ProviderFetch } from '../http/capped-fetch.js';
import { clientAuthentication } from './client-authentication.js';
import { mutualTlsFetchFor } from './mutual-tls.js';
import type { LoadState } from '../profile-adapter.js';

/**
 * The openid-client `Configuration` of one provider: by discovery, by explicit endpoints, or by
 * discovery with some endpoints overridden. Built once; a failed attempt is forgotten so the next
 * call tries again (a provider down at start-up must not need a restart).
 */
export class OpenIdConfigurationSource {
  private pending?: Promise<client.Configuration>;
  private lastState: LoadState = 'not_loaded';
  private auth?: Promise<client.ClientAuth>;
  private readonly underlying?: client.CustomFetch;
  private readonly capped: ProviderFetch;

  constructor(
    private readonly provider: ProviderConfig,
    customFetch?: client.CustomFetch,
  ) {
    // RFC 8705 §2: tls_client_auth presents the client certificate on every call (the PEM files
    // are read here, at start-up); an injected fetch (tests) takes precedence.
    this.underlying = customFetch ?? mutualTlsFetchFor(provider);
    this.capped = cappedFetch(this.underlying, provider.maxResponseBytes);
  }

  /** The provider's settings. */
  get settings(): ProviderConfig {
    return this.provider;
  }

  /**
   * The fetch every call to this provider goes through: discovery, token and backchannel
   * requests, the dialects' own POSTs and the JWKS. Answers are read up to `maxResponseBytes`.
   */
  get fetch(): ProviderFetch {
    return this.capped;
  }

  /** What `fetch` is built on (mutual TLS, or a test's), for a source derived from this one. */
  get transport(): client.CustomFetch | undefined {
    return this.underlying;
  }

  /** The client authentication, for dialects that make their own HTTP calls. */
  clientAuth(): Promise<client.ClientAuth> {
    this.auth ??= clientAuthentication(this.provider.clientAuth);
    return this.auth;
  }

  get(): Promise<client.Configuration> {
    this.pending ??= this.build().then(
      (config) => {
        this.lastState = 'loaded';
        return config;
      },
      (error: unknown) => {
        this.lastState = 'failing';
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  /** Whether the metadata is loaded (readiness), without loading it. */
  get state(): LoadState {
    return this.lastState;
  }

  private async build(): Promise<client.Configuration> {
    const p = this.provider;
    const auth = await this.clientAuth();
    const overrides = definedEntries({
      backchannel_authentication_endpoint: p.backchannelAuthenticationEndpoint,
      token_endpoint: p.tokenEndpoint,
      jwks_uri: p.jwksUri,
    });
    const explicit = Boolean(p.backchannelAuthenticationEndpoint && p.tokenEndpoint && p.jwksUri);
    let metadata: client.ServerMetadata;
    if (explicit) {
      metadata = { issuer: p.issuer!, ...overrides };
    } else {
      const discovered = await client.discovery(new URL(p.issuer!), p.clientId, undefined, auth, {
        execute: p.allowInsecureHttp ? [client.allowInsecureRequests] : [],
        timeout: p.httpTimeoutSeconds,
        [client.customFetch]: this.capped,
      });
      // serverMetadata() also carries helper methods; keep only the JSON document.
      metadata = { ...(JSON.parse(JSON.stringify(discovered.serverMetadata())) as client.ServerMetadata), ...overrides };
    }
    const config = new client.Configuration(metadata, p.clientId, undefined, auth);
    if (p.allowInsecureHttp) client.allowInsecureRequests(config);
    config.timeout = p.httpTimeoutSeconds;
    config[client.customFetch] = this.capped;
    return config;
  }
}

function definedEntries<T extends Record<string, string | undefined>>(record: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}
