import type { InsecurePingAliases } from './insecure-ping-aliases.js';
import type { SandboxClient } from './sandbox-types.js';

export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

export const DEFAULT_CLIENT: SandboxClient = {
  client_id: 'bff',
  client_secret: 'sandbox-secret',
  token_endpoint_auth_method: 'client_secret_basic',
  backchannel_token_delivery_mode: 'poll',
};

/** CIBA clients have no redirect-based flows: the CIBA grant (plus refresh_token, for offline_access). */
const CIBA_DEFAULTS = { grant_types: [CIBA_GRANT_TYPE, 'refresh_token'], response_types: [], redirect_uris: [] };

/**
 * A client registered with redirect_uris is a web sign-in client (the agent console): the
 * authorization code flow, with PKCE (see provider-configuration.ts). It keeps oidc-provider's
 * default application_type `web`. oidc-provider 9 refuses plain-http redirect URIs of a web client
 * only when it uses the implicit grant, so a code-flow client may register
 * http://127.0.0.1:PORT/console/callback as it is: no `native` type (which would allow any
 * loopback port and change the client's nature) and no https alias are needed.
 */
const REDIRECT_DEFAULTS = { grant_types: ['authorization_code'], response_types: ['code'] };

/** Turns the sandbox's client description into oidc-provider client metadata; anything the caller sets wins. */
export function toProviderClientMetadata(client: SandboxClient, aliases: InsecurePingAliases): Record<string, unknown> {
  const redirectBased = Array.isArray(client.redirect_uris) && client.redirect_uris.length > 0;
  const metadata: Record<string, unknown> = {
    ...(redirectBased ? REDIRECT_DEFAULTS : CIBA_DEFAULTS),
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  };
  if ((metadata.grant_types as string[]).includes(CIBA_GRANT_TYPE)) {
    metadata.backchannel_token_delivery_mode ??= 'poll';
  }
  if (typeof client.backchannel_client_notification_endpoint === 'string') {
    metadata.backchannel_client_notification_endpoint = aliases.register(client.backchannel_client_notification_endpoint);
  }
  return metadata;
}
