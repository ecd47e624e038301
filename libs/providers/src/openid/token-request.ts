import type * as client from 'openid-client';
import type { RawAnswer } from '../http/raw-answer.js';
import { USER_AGENT } from '../http/user-agent.js';
import { clientForm } from './client-form.js';
import type { OpenIdConfigurationSource } from './openid-configuration.js';

/** What token requests read of one configuration (its `serverMetadata()` is a deep copy per call). */
export interface TokenEndpoint {
  as: client.ServerMetadata;
  client: client.ClientMetadata;
  url: URL;
}

const endpoints = new WeakMap<client.Configuration, TokenEndpoint>();

/**
 * The configuration's token endpoint, worked out once per configuration. As openid-client does
 * (oauth4webapi's `resolveEndpoint`): it must be an absolute URL, and https unless the provider
 * has `allowInsecureHttp`; else this throws, and the poll reads it as an invalid answer.
 * `client` is `clientMetadata()`: the client id, with oauth4webapi's default clock skew (0) and
 * tolerance (30 s), which are openid-client's too.
 */
export function tokenEndpoint(config: client.Configuration, allowInsecureHttp: boolean): TokenEndpoint {
  let endpoint = endpoints.get(config);
  if (!endpoint) {
    const as = config.serverMetadata();
    const url = absoluteUrl(as.token_endpoint);
    if (!url) throw new Error('the provider metadata has no valid token_endpoint');
    if (url.protocol !== 'https:' && !(allowInsecureHttp && url.protocol === 'http:')) {
      throw new Error(`refusing ${url.protocol} for the token endpoint (only https, or http with allowInsecureHttp)`);
    }
    endpoint = { as, client: config.clientMetadata(), url };
    endpoints.set(config, endpoint);
  }
  return endpoint;
}

/**
 * One token request (RFC 6749 §3.2) as openid-client's `genericGrantRequest` sends it: the same
 * form, the configured client authentication (openid-client's own), `Accept: application/json`;
 * on the provider's form transport (keep-alive, never redirected, `httpTimeoutSeconds`,
 * `maxResponseBytes`). The answer comes back unread.
 */
export async function postTokenRequest(
  source: OpenIdConfigurationSource,
  endpoint: TokenEndpoint,
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
