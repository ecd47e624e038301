import type { DemoAgent } from './demo-agents.js';
import { escapeHtml } from './html-escape.js';
import { workforcePageHtml } from './workforce-page-layout.js';

export const SIGN_IN_TITLE = 'Sandbox workforce sign-in';

/** "Anna Agent — ciba-agent": the roles are what the console decides on, so they are shown up front. */
function agentButton(agent: DemoAgent): string {
  const roles = agent.roles.length > 0 ? agent.roles.join(', ') : 'no role';
  return `<button type="submit" name="agent" value="${escapeHtml(agent.username)}">${escapeHtml(agent.name)} — ${escapeHtml(roles)}</button>`;
}

/**
 * The sign-in page: one form, one submit button per demo agent (the button's value says who).
 * No password: every agent is fictional and the sandbox runs on a development machine only.
 */
export function renderSignInPage(uid: string, clientId: string, agents: readonly DemoAgent[], problem?: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  return workforcePageHtml(
    SIGN_IN_TITLE,
    `  <h1>${SIGN_IN_TITLE}</h1>
  <p class="hint">Sandbox OpenID Provider, standing in for the bank's workforce identity provider. Signing in to <code>${escapeHtml(clientId)}</code> as:</p>
  ${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
  <main class="card">
    <form method="post" action="${escapeHtml(action)}">
      ${agents.map(agentButton).join('\n      ')}
    </form>
  </main>`,
  );
}

/** When there is nothing to sign in to (expired or unknown request): say so and where to start again. */
export function renderSignInProblemPage(message: string): string {
  return workforcePageHtml(
    SIGN_IN_TITLE,
    `  <h1>${SIGN_IN_TITLE}</h1>
  <p class="problem" role="alert">${escapeHtml(message)}</p>
  <p class="hint">Start again from the application you were signing in to.</p>`,
  );
}
