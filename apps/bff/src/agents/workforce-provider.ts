import type { AgentsConfig } from '@ciba/config';
import { clientAuthentication } from '@ciba/providers';
import * as client from 'openid-client';

/** Seconds one call to the workforce provider may take. */
const HTTP_TIMEOUT_SECONDS = 10;

/** What a finished sign-in proved: the verified ID Token's claims. */
export type IdTokenClaims = client.IDToken;

/** The checks the callback holds the provider's answer to (RFC 9700 §2.1.1, OIDC Core §3.1.3.7). */
export interface CallbackChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The bank's workforce OpenID Provider, through openid-client: discovery (lazy; one that failed is
 * tried again on the next sign-in, so a provider down at start-up needs no restart), the
 * authorization URL, the code exchange with the ID Token's verification, and the end-session URL.
 * Client authentication is the providers' own (`clientAuthentication`), so `clientAuth` means the
 * same here as under `providers`.
 */
export class WorkforceProvider {
  private configuration?: Promise<client.Configuration>;

  constructor(
    private readonly idp: AgentsConfig['idp'],
    /** A test's fetch; default the global one. */
    private readonly fetch?: client.CustomFetch,
  ) {}

  get issuer(): string {
    return this.idp.issuer;
  }

  /** Where the browser signs in: authorization code with PKCE S256, `state` and `nonce`. */
  async authorizationUrl(redirectUri: string, checks: CallbackChecks): Promise<URL> {
    return client.buildAuthorizationUrl(await this.configured(), {
      redirect_uri: redirectUri,
      scope: this.idp.scope,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Exchanges the code of `callbackUrl` (the redirect URI with the provider's query) and returns
   * the ID Token's claims once openid-client has verified its signature, issuer, audience,
   * expiry and nonce, and the answer's state (and `iss`, RFC 9207, where the provider sends it).
   */
  async signIn(callbackUrl: URL, checks: CallbackChecks): Promise<IdTokenClaims> {
    const tokens = await client.authorizationCodeGrant(await this.configured(), callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    // The access and refresh tokens are dropped here: the console acts with its session, never
    // on the agent's behalf at the workforce provider.
    return tokens.claims()!;
  }

  /**
   * RP-Initiated Logout 1.0 §2: the provider's end-session URL, or null when it offers none or
   * cannot be reached. No `id_token_hint`: the BFF keeps no ID Token (`client_id` names us instead).
   */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<URL | null> {
    let configuration: client.Configuration;
    try {
      configuration = await this.configured();
    } catch {
      return null;
    }
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, { post_logout_redirect_uri: postLogoutRedirectUri });
  }

  private configured(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  private async discover(): Promise<client.Configuration> {
    const insecure = this.idp.allowInsecureHttp;
    return client.discovery(new URL(this.idp.issuer), this.idp.clientId, undefined, await clientAuthentication(this.idp.clientAuth), {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: HTTP_TIMEOUT_SECONDS,
      ...(this.fetch ? { [client.customFetch]: this.fetch } : {}),
    });
  }
}
