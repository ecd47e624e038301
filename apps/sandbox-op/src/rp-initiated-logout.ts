import { findAgentBySub } from './demo-agents.js';
import { escapeHtml } from './html-escape.js';
import type { OidcPageContext } from './oidc-provider-types.js';
import { WORKFORCE_PAGE_CSP, workforcePageHtml } from './workforce-page-layout.js';

const SIGN_OUT_TITLE = 'Sandbox workforce sign-out';

/*
 * OpenID Connect RP-Initiated Logout 1.0: the end_session_endpoint. The console sends the browser
 * here with client_id and post_logout_redirect_uri but no id_token_hint (the browser never holds a
 * token), so the provider cannot tell the request from a forged one and asks the agent to confirm
 * (§2: the OP MUST ask the End-User whether to log out when no id_token_hint was provided).
 */

function serve(ctx: OidcPageContext, html: string): void {
  ctx.set('content-security-policy', WORKFORCE_PAGE_CSP);
  ctx.type = 'html';
  ctx.body = html;
}

/**
 * The confirmation page. `form` is oidc-provider's own (an empty form `op.logoutForm` posting the
 * xsrf value to /session/end/confirm); the button submits it with `logout=yes`, which ends the
 * whole sandbox session, then oidc-provider redirects to the post_logout_redirect_uri.
 */
async function logoutSource(ctx: OidcPageContext, form: string): Promise<void> {
  // oidc-provider shows this page only to a session with a signed-in account
  const accountId = ctx.oidc.session?.accountId ?? '';
  const who = findAgentBySub(accountId)?.name ?? accountId;
  const client = ctx.oidc.client ? ` and return to <code>${escapeHtml(ctx.oidc.client.clientId)}</code>` : '';
  serve(
    ctx,
    workforcePageHtml(
      SIGN_OUT_TITLE,
      `  <h1>Sign out of the sandbox?</h1>
  <p class="hint">${escapeHtml(who)} is signed in at the sandbox OpenID Provider. Sign out here${client}.</p>
  <main class="card">
    ${form}
    <button class="sign-out" type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
  </main>`,
    ),
  );
}

/** Shown after sign-out when the request named no post_logout_redirect_uri to go back to. */
async function postLogoutSuccessSource(ctx: OidcPageContext): Promise<void> {
  const client = ctx.oidc.client ? ` of <code>${escapeHtml(ctx.oidc.client.clientId)}</code>` : '';
  serve(
    ctx,
    workforcePageHtml(
      SIGN_OUT_TITLE,
      `  <h1>Signed out</h1>
  <p class="hint">You are signed out${client} at the sandbox OpenID Provider. You can close this tab.</p>`,
    ),
  );
}

/** The `features.rpInitiatedLogout` block (on by default in oidc-provider; stated for the pages). */
export function rpInitiatedLogoutFeature(): Record<string, unknown> {
  return { enabled: true, logoutSource, postLogoutSuccessSource };
}
