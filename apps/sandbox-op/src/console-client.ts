import type { SandboxClient } from './sandbox-types.js';

/**
 * The BFF's agent console as a web client of the sandbox acting as the bank's workforce provider
 * (API.md §7): authorization code with PKCE, and RP-initiated sign-out back to the console.
 * `origins` are where a browser reaches the BFF; the console's redirect URI follows the address
 * the agent opened, so each is registered.
 */
export function consoleClient(secret: string, origins: string[]): SandboxClient {
  return {
    client_id: 'ciba-console',
    client_secret: secret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: origins.map((origin) => `${origin}/console/callback`),
    post_logout_redirect_uris: origins.map((origin) => `${origin}/console`),
  };
}
