import type { ProviderConfig } from '@ciba/config';
import type * as client from 'openid-client';
import type { ProviderHttp } from '../http/provider-http.js';
import { clientAuthentication } from '../openid/client-authentication.js';
import { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { AssertionAudience } from './idura-options.js';

/**
 * The provider's openid-client configuration with Idura's client authentication. openid-client's
 * `PrivateKeyJwt` already makes what Idura's private key JWT guide asks for (`iss` = `sub` =
 * client id, `aud` = issuer, `exp` 60 s ahead, a fresh random `jti`, `kid` in the header); this
 * source only points `aud` elsewhere when `options.assertionAudience` says so.
 */
export class IduraConfigurationSource extends OpenIdConfigurationSource {
  private iduraAuth?: Promise<client.ClientAuth>;

  constructor(
    provider: ProviderConfig,
    http: ProviderHttp,
    private readonly audience: AssertionAudience,
  ) {
    super(provider, http);
  }

  override clientAuth(): Promise<client.ClientAuth> {
    this.iduraAuth ??= iduraClientAuthentication(this.settings, this.audience);
    return this.iduraAuth;
  }
}

/** The configured client authentication, with the assertion audience Idura is told to expect. */
export async function iduraClientAuthentication(provider: ProviderConfig, audience: AssertionAudience): Promise<client.ClientAuth> {
  const base = await clientAuthentication(provider.clientAuth);
  if (provider.clientAuth.method !== 'private_key_jwt' || audience.kind === 'issuer') return base;
  return (as, metadata, body, headers) => {
    const aud = audience.kind === 'url' ? audience.url : as.token_endpoint;
    if (!aud) throw new TypeError('assertionAudience is tokenEndpoint, but the provider has no token endpoint');
    // oauth4webapi names `as.issuer` as the assertion's audience; RFC 7523 §3 also allows the
    // token endpoint, so the metadata handed to it carries the audience we were told to use.
    return base({ ...as, issuer: aud }, metadata, body, headers);
  };
}
