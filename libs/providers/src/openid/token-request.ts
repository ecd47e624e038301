import type * as client from 'openid-client';
import type { RawAnswer } from '../http/raw-answer.js';
import { USER_AGENT } from '../http/user-agent.js';
import { clientForm } from './client-form.js';
import type { OpenIdConfigurationSource } from './openid-configuration.js';

/** What requests to one endpoint read of one configuration (its `serverMetadata()` is a deep copy per call). */
export interface ProviderEndpoint {
  as: client.ServerMetadata;
  client: client.ClientMetadata;
  url: URL;
}
/** The token endpoint's. */
export type TokenEndpoint = ProviderEndpoint;

type EndpointName = 'token_endpoint' | 'backchannel_authentication_endpoint';
const metadata = new WeakMap<client.Configuration, client.ServerMetadata>();

/**
 * The configuration's server metadata, copied once: openid-client's `serverMetadata()` deep-copies
 * it on every call (a `structuredClone`), and a start reads it several times. Read-only by use.
 */
export function serverMetadataOf(config: client.Configuration): client.ServerMetadata {
  let copy = metadata.get(config);
  if (!copy) {
    copy = config.serverMetadata();
    metadata.set(config, copy);
  }
  return copy;
}
const endpoints: Record<EndpointName, WeakMap<client.Configuration, ProviderEndpoint>> = {
  token_endpoint: new WeakMap(),
  backchannel_authentication_endpoint: new WeakMap(),
};

/**
 * One endpoint of the configuration, worked out once per configuration. As openid-client does
 * (oauth4webapi's `resolveEndpoint`): it must be an absolute URL, and https unless the provider
 * has `allowInsecureHttp`; else this throws, and the caller reads it as an invalid answer.
 * `client` is `clientMetadata()`: the client id, with oauth4webapi's default clock skew (0) and
 * tolerance (30 s), which are openid-client's too. (We never set `use_mtls_endpoint_aliases`:
 * a provider's mutual-TLS endpoints are configured as its endpoints.)
 */
export function providerEndpoint(config: client.Configuration, name: EndpointName, allowInsecureHttp: boolean): ProviderEndpoint {
  let endpoint = endpoints[name].get(config);
  if (!endpoint) {
    const as = serverMetadataOf(config);
    const url = absoluteUrl(as[name]);
    if (!url) throw new Error(`the provider metadata has no valid ${name}`);
    if (url.protocol !== 'https:' && !(allowInsecureHttp && url.protocol === 'http:')) {
      throw new Error(`refusing ${url.protocol} for the ${name.replaceAll('_', ' ')} (only https, or http with allowInsecureHttp)`);
    }
    endpoint = { as, client: config.clientMetadata(), url };
    endpoints[name].set(config, endpoint);
  }
  return endpoint;
}

/** The configuration's token endpoint (see `providerEndpoint`). */
export const tokenEndpoint = (config: client.Configuration, allowInsecureHttp: boolean): TokenEndpoint =>
  providerEndpoint(config, 'token_endpoint', allowInsecureHttp);

/**
 * One token request (RFC 6749 §3.2) as openid-client's `genericGrantRequest` sends it: the same
 * form, the configured client authentication (openid-client's own), `Accept: application/json`;
 * on the provider's form transport (keep-alive, never redirected, `httpTimeoutSeconds`,
 * `maxResponseBytes`). The answer comes back unread.
 */
export function postTokenRequest(
  source: OpenIdConfigurationSource,
  endpoint: TokenEndpoint,
  parameters: Record<string, string>,
): Promise<RawAnswer> {
  return postAuthenticatedForm(source, endpoint, parameters);
}

/**
 * An authenticated form POST to one endpoint, as oauth4webapi's `authenticatedRequest` sends it:
 * the configured client authentication (openid-client's own), `Accept: application/json`, the
 * form content type; on the provider's form transport. The answer comes back unread.
 */
export async function postAuthenticatedForm(
  source: OpenIdConfigurationSource,
  endpoint: ProviderEndpoint,
  parameters: Record<string, string>,
): Promise<RawAnswer> {
  const { headers, body } = await clientForm(await source.clientAuth(), endpoint.as, endpoint.client, parameters, {
    accept: 'application/json',
    'user-agent': USER_AGENT,
  });
  headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  return source.http.forms.post(endpoint.url, Object.fromEntries(headers), body.toString());
}

function absoluteUrl(value: string | undefined): URL | undefined {
  try {
    return value === undefined ? undefined : new URL(value);
  } catch {
    return undefined;
  }
}
