import type { IncomingMessage, ServerResponse } from 'node:http';

import { DEMO_AGENTS, findAgentByUsername } from './demo-agents.js';
import { BodyTooLargeError, readBody } from './http-body.js';
import { requestPath } from './http-listener.js';
import type { OidcErrors, OidcInteraction, OidcProvider } from './oidc-provider-types.js';
import { errorMessage, logEvent, type SandboxLog } from './sandbox-log.js';
import { grantRequestedAccess } from './workforce-consent.js';
import { sendWorkforcePage } from './workforce-page-layout.js';
import { renderSignInPage, renderSignInProblemPage } from './workforce-sign-in-page.js';

/*
 * The sandbox's own login pages, reached through oidc-provider's interactions (`interactions.url`):
 *   GET  /interaction/{uid}        login prompt: the page listing the demo agents;
 *                                  consent prompt: granted at once, 303 back to the provider
 *   POST /interaction/{uid}/login  form `agent=<username>` -> 303 back to the provider
 *                                  (400 and the page again for an unknown agent)
 * oidc-provider binds an interaction to the browser with a cookie scoped to /interaction/{uid}.
 */

const PAGE_PATH = /^\/interaction\/([^/]+)$/;
const LOGIN_PATH = /^\/interaction\/([^/]+)\/login$/;
const EXPIRED = 'This sign-in request has expired or was already completed.';

class SignInProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isWorkforceSignInPath(pathname: string): boolean {
  return pathname.startsWith('/interaction/');
}

export function createWorkforceSignInHandler(provider: OidcProvider, errors: OidcErrors, log: SandboxLog) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await route(provider, log, req, res);
    } catch (error) {
      const problem = toProblem(error, errors);
      if (problem.status >= 500) logEvent(log, 'workforce.error', { path: req.url, error: errorMessage(error) });
      if (!res.headersSent) sendWorkforcePage(res, problem.status, renderSignInProblemPage(problem.message));
    }
  };
}

async function route(provider: OidcProvider, log: SandboxLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = requestPath(req);
  const page = PAGE_PATH.exec(path);
  const login = LOGIN_PATH.exec(path);
  const uid = (page ?? login)?.[1];
  if (uid === undefined) throw new SignInProblem(404, 'There is no such sign-in page.');
  const method = page ? 'GET' : 'POST';
  if (req.method !== method) throw new SignInProblem(405, `Use ${method} here.`);

  const interaction = await provider.interactionDetails(req, res);
  // The cookie names the interaction; a page of another one (an old tab) must not act on it.
  if (interaction.uid !== uid) throw new SignInProblem(400, EXPIRED);

  if (page) await showOrSkip(provider, interaction, req, res);
  else await signIn(provider, log, interaction, req, res);
}

async function showOrSkip(provider: OidcProvider, interaction: OidcInteraction, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (interaction.prompt.name) {
    case 'login':
      sendWorkforcePage(res, 200, renderSignInPage(interaction.uid, clientIdOf(interaction), DEMO_AGENTS));
      return;
    case 'consent': {
      const grantId = await grantRequestedAccess(provider, interaction);
      await provider.interactionFinished(req, res, { consent: { grantId } });
      return;
    }
    default:
      throw new Error(`unexpected prompt ${interaction.prompt.name}`);
  }
}

async function signIn(
  provider: OidcProvider,
  log: SandboxLog,
  interaction: OidcInteraction,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (interaction.prompt.name !== 'login') throw new SignInProblem(400, EXPIRED);
  const username = new URLSearchParams(await readBody(req)).get('agent') ?? '';
  const agent = findAgentByUsername(username);
  if (!agent) {
    const problem = username ? `There is no demo agent "${username}". Pick one below.` : 'Pick a demo agent below.';
    sendWorkforcePage(res, 400, renderSignInPage(interaction.uid, clientIdOf(interaction), DEMO_AGENTS, problem));
    return;
  }
  // remember: false makes the provider's session a browser-session cookie: on a shared demo
  // machine, closing the browser forgets who was signed in.
  await provider.interactionFinished(req, res, { login: { accountId: agent.sub, remember: false } }, { mergeWithLastSubmission: false });
  logEvent(log, 'workforce.signed_in', { agent: agent.username, clientId: clientIdOf(interaction) });
}

function clientIdOf(interaction: OidcInteraction): string {
  const clientId = interaction.params.client_id;
  return typeof clientId === 'string' ? clientId : '';
}

function toProblem(error: unknown, errors: OidcErrors): SignInProblem {
  if (error instanceof SignInProblem) return error;
  // oidc-provider's answer when the interaction cookie is missing or its interaction is gone
  if (error instanceof errors.SessionNotFound) return new SignInProblem(400, EXPIRED);
  if (error instanceof BodyTooLargeError) return new SignInProblem(413, 'The form was too large.');
  return new SignInProblem(500, 'The sandbox failed to handle this sign-in; see its log.');
}
