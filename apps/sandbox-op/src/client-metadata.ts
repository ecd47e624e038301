import type { InsecurePingAliases } from './insecure-ping-aliases.js';
import type { SandboxClient } from './sandbox-types.js';

export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

export const DEFAULT_CLIENT: SandboxClient = {
  client_id: 'bff',
  client_secret: 'sandbox-secret',
  token_endpoint_auth_method: 'client_secret_basic',
  backchannel_token_delivery_mode: 'poll',
};

/**
 * Turns the sandbox's client description into oidc-provider client metadata. CIBA clients have no
 * redirect-based flows, so they default to the CIBA grant (plus refresh_token, for offline_access)
 * with no response types; anything the caller sets wins.
 */
export function toProviderClientMetadata(client: SandboxClient, aliases: InsecurePingAliases): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    grant_types: [CIBA_GRANT_TYPE, 'refresh_token'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    backchannel_token_delivery_mode: 'poll',
    ...client,
  };
  if (typeof client.backchannel_client_notification_endpoint === 'string') {
    metadata.backchannel_client_notification_endpoint = aliases.register(client.backchannel_client_notification_endpoint);
  }
  return metadata;
}
