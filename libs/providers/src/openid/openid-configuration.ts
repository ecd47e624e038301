import type { ProviderConfig } from '@ciba/config';
import * as client from 'openid-client';
import type { ProviderFetch } from '../http/capped-fetch.js';
import { ProviderHttp } from '../http/provider-http.js';
import { clientAuthentication } from './client-authentication.js';
import { discoveryFailureToError, operatorDetail } from './failure-mapping.js';
import type { LoadState } from '../profile-adapter.js';

/**
 * The openid-client `Configuration` of one provider: by discovery, by explicit endpoints, or by
 * discovery with some endpoints overridden. Built once; a failed attempt is forgotten so the next
 * call tries again (a provider down at start-up must not need a restart).
 */
export class OpenIdConfigurationSource {
  private pending?: Promise<client.Configuration>;
  private lastState: LoadState = 'not_loaded';
  private lastError: string | undefined;
  private auth?: Promise<client.ClientAuth>;
  /** Every call to this provider travels on it. */
  readonly http: ProviderHttp;

  /**
   * `http` is a test's fetch (it then carries every call), or the `ProviderHttp` of the source
   * this one derives from (a dialect's), so that one provider has one set of connections.
   */
  constructor(
    private readonly provider: ProviderConfig,
    http?: client.CustomFetch | ProviderHttp,
  ) {
    // RFC 8705 §2: tls_client_auth presents the client certificate on every call (the PEM files
    // are read here, at start-up); an injected fetch (tests) takes precedence.
    this.http = http instanceof ProviderHttp ? http : new ProviderHttp(provider, http);
  }

  /** The provider's settings. */
  get settings(): ProviderConfig {
    return this.provider;
  }

  /**
   * The fetch of every call to this provider but the form POSTs (`http.forms`): discovery, the
   * backchannel request and the JWKS. Answers are read up to `maxResponseBytes`.
   */
  get fetch(): ProviderFetch {
    return this.http.fetch;
  }

  /** Closes this provider's kept-alive connections (shutdown). */
  close(): Promise<void> {
    return this.http.close();
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
        this.lastError = undefined;
        return config;
      },
      (error: unknown) => {
        this.lastState = 'failing';
        this.lastError = operatorDetail(error);
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

  /** Why the last attempt to load the metadata failed, for an operator (readiness); undefined once loaded. */
  get error(): string | undefined {
    return this.lastError;
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
      const discovered = await client
        .discovery(new URL(p.issuer!), p.clientId, undefined, auth, {
          execute: p.allowInsecureHttp ? [client.allowInsecureRequests] : [],
          timeout: p.httpTimeoutSeconds,
          [client.customFetch]: this.http.fetch,
        })
        .catch(async (error: unknown) => {
          throw await discoveryFailureToError(p.id, `${p.issuer!.replace(/\/$/, '')}/.well-known/openid-configuration`, error);
        });
      // serverMetadata() also carries helper methods; keep only the JSON document.
      metadata = { ...(JSON.parse(JSON.stringify(discovered.serverMetadata())) as client.ServerMetadata), ...overrides };
    }
    const config = new client.Configuration(metadata, p.clientId, undefined, auth);
    if (p.allowInsecureHttp) client.allowInsecureRequests(config);
    config.timeout = p.httpTimeoutSeconds;
    config[client.customFetch] = this.http.fetch;
    return config;
  }
}

function definedEntries<T extends Record<string, string | undefined>>(record: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}
