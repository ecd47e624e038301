import { customerClaims, findCustomerBySub } from './demo-customers.js';
import { escapeHtml } from './html-escape.js';
import type { OidcAccount } from './oidc-provider-types.js';

export const DEFAULT_ACR = 'urn:sandbox:acr:high';
/** Advertised as acr_values_supported; approve() may still assert any acr it is given. */
export const ACR_VALUES_SUPPORTED = ['urn:sandbox:acr:high', 'urn:sandbox:acr:substantial'];
export const DEFAULT_AMR = ['mobile-app'];

/** Pending CIBA requests live 10 minutes (oidc-provider's default) unless requested_expiry asks for less. */
const MAX_REQUEST_TTL_SECONDS = 600;
const DAY = 24 * 60 * 60;

interface ConfigurationParts {
  adapter: unknown;
  jwks: { keys: object[] };
  ciba: Record<string, unknown>;
  fetch: unknown;
}

export function providerConfiguration(parts: ConfigurationParts): Record<string, unknown> {
  return {
    ...parts,
    features: {
      ciba: parts.ciba,
      claimsParameter: { enabled: true },
      // Signed authentication requests (CIBA Core §7.1.1, FAPI-CIBA); checked, never required.
      requestObjects: { enabled: true },
      // No login pages here: people only ever authenticate on the simulated device.
      devInteractions: { enabled: false },
    },
    findAccount,
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      // acr/amr/auth_time ride on `openid` so every ID Token carries them, as a bank's would;
      // otherwise oidc-provider only includes them when the request explicitly asks.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'personal_number', 'phone_number'],
    },
    acrValues: ACR_VALUES_SUPPORTED,
    // With the default (true) oidc-provider keeps scope-derived claims out of the ID Token
    // whenever an access token for userinfo is issued; the BFF wants them in the ID Token.
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
    // Every TTL is set explicitly: oidc-provider prints a console notice when a default one runs.
    ttl: {
      AccessToken: 60 * 60,
      IdToken: 60 * 60,
      RefreshToken: 14 * DAY,
      Grant: 14 * DAY,
      Session: 14 * DAY,
      Interaction: 60 * 60,
      ClientCredentials: 10 * 60,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: backchannelRequestTtl,
    },
    // Only server-side relying parties talk to the sandbox; no browser CORS.
    clientBasedCORS: () => false,
    renderError,
  };
}

function backchannelRequestTtl(ctx: { oidc?: { params?: Record<string, unknown> } } | undefined): number {
  const requested = Number(ctx?.oidc?.params?.requested_expiry);
  return Number.isSafeInteger(requested) && requested > 0 ? Math.min(requested, MAX_REQUEST_TTL_SECONDS) : MAX_REQUEST_TTL_SECONDS;
}

async function findAccount(_ctx: unknown, sub: string): Promise<OidcAccount | undefined> {
  const customer = findCustomerBySub(sub);
  if (!customer) return undefined;
  // All claims are offered; oidc-provider releases only those the granted scopes/claims allow.
  return { accountId: customer.sub, claims: async () => customerClaims(customer) };
}

/** Error page for browser-ish requests (token/backchannel errors are JSON and never get here). */
async function renderError(ctx: { type: string; body: unknown }, out: { error?: string; error_description?: string }): Promise<void> {
  ctx.type = 'html';
  ctx.body = `<!doctype html><meta charset="utf-8"><title>Sandbox OP error</title>
<h1>${escapeHtml(out.error ?? 'error')}</h1><p>${escapeHtml(out.error_description ?? '')}</p>`;
}
