import { agentClaims, findAgentBySub } from './demo-agents.js';
import { customerClaims, findCustomerBySub } from './demo-customers.js';
import { escapeHtml } from './html-escape.js';
import type { OidcAccount } from './oidc-provider-types.js';
import { rpInitiatedLogoutFeature } from './rp-initiated-logout.js';

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
  /** signs oidc-provider's session and interaction cookies */
  cookieKeys: string[];
}

export function providerConfiguration({ cookieKeys, ...parts }: ConfigurationParts): Record<string, unknown> {
  return {
    ...parts,
    features: {
      ciba: parts.ciba,
      claimsParameter: { enabled: true },
      // Signed authentication requests (CIBA Core §7.1.1, FAPI-CIBA); checked, never required.
      requestObjects: { enabled: true },
      // Customers authenticate on the simulated device; agents on the sandbox's own sign-in page
      // (workforce-sign-in.ts), never on oidc-provider's development-only one.
      devInteractions: { enabled: false },
      rpInitiatedLogout: rpInitiatedLogoutFeature(),
    },
    interactions: { url: interactionUrl },
    // RFC 9700 §2.1.1 requires PKCE of public clients and recommends it for confidential ones; the
    // sandbox requires it of every authorization code request, so a relying party that forgets it
    // fails here first. oidc-provider 9 accepts S256 only (code_challenge_methods_supported).
    pkce: { required: () => true },
    cookies: {
      keys: cookieKeys,
      // Cookies are shared by every port of a host, and the BFF runs on the same 127.0.0.1:
      // names of our own keep them clear of oidc-provider's generic `_session` elsewhere.
      names: { session: 'sandbox_session', interaction: 'sandbox_interaction', resume: 'sandbox_interaction_resume' },
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
      // Customers have no `roles` and agents no personal or phone number: each account offers
      // only its own claims, so the one scope serves both.
      profile: ['name', 'personal_number', 'phone_number', 'roles'],
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

function interactionUrl(_ctx: unknown, interaction: { uid: string }): string {
  return `/interaction/${interaction.uid}`;
}

/** Customers (CIBA, by login_hint) and agents (the sign-in page) share one subject space. */
async function findAccount(_ctx: unknown, sub: string): Promise<OidcAccount | undefined> {
  // All claims are offered; oidc-provider releases only those the granted scopes/claims allow.
  const customer = findCustomerBySub(sub);
  if (customer) return { accountId: customer.sub, claims: async () => customerClaims(customer) };
  const agent = findAgentBySub(sub);
  if (agent) return { accountId: agent.sub, claims: async () => agentClaims(agent) };
  return undefined;
}

/** Error page for browser-ish requests (token/backchannel errors are JSON and never get here). */
async function renderError(ctx: { type: string; body: unknown }, out: { error?: string; error_description?: string }): Promise<void> {
  ctx.type = 'html';
  ctx.body = `<!doctype html><meta charset="utf-8"><title>Sandbox OP error</title>
<h1>${escapeHtml(out.error ?? 'error')}</h1><p>${escapeHtml(out.error_description ?? '')}</p>`;
}
