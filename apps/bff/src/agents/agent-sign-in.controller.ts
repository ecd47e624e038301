import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { sessionExpired } from '@ciba/ciba';
import type { AgentsConfig, CibaConfig } from '@ciba/config';
import type { Request, Response } from 'express';
import { CIBA_CONFIG } from '../tokens.js';
import { AgentSessions } from './agent-sessions.service.js';
import { AgentSignIn } from './agent-sign-in.service.js';
import { cookieOf } from './cookie-header.js';
import { LOGIN_COOKIE, SESSION_COOKIE } from './console-cookies.js';
import { checkCsrf, CSRF_HEADER } from './csrf-check.js';
import { consoleUrlFor, overHttps } from './public-origin.js';
import { sendSignInPage, signInPages, SIGN_IN_HEADERS } from './sign-in-pages.js';
import { sessionDocument } from './session-document.js';
import type { SignInOutcome } from './sign-in-outcome.js';
import { WorkforceProvider } from './workforce-provider.js';

/**
 * The console's sign-in at the workforce provider and its server-side session (API.md §7, the
 * BFF pattern: the browser holds an opaque cookie, never a token). These routes win over the
 * console's static files: that handler answers only the files of its table and passes any
 * other `/console/...` path on.
 */
@ApiExcludeController()
@Controller('console')
export class AgentSignInController {
  private readonly agents: AgentsConfig;

  constructor(
    @Inject(AgentSignIn) private readonly signIn: AgentSignIn,
    @Inject(AgentSessions) private readonly sessions: AgentSessions,
    @Inject(WorkforceProvider) private readonly provider: WorkforceProvider,
    @Inject(CIBA_CONFIG) config: CibaConfig,
  ) {
    this.agents = config.agents!;
  }

  @Get('login')
  async login(@Req() request: Request, @Res() response: Response): Promise<void> {
    const begun = await this.signIn.begin(request);
    if (!begun) {
      sendSignInPage(response, signInPages.unavailable());
      return;
    }
    LOGIN_COOKIE.set(response, overHttps(request, this.agents), begun.state);
    response.set(SIGN_IN_HEADERS).redirect(302, begun.url.href);
  }

  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const https = overHttps(request, this.agents);
    const outcome = await this.signIn.complete(request, cookieOf(request, LOGIN_COOKIE.name(https)));
    LOGIN_COOKIE.clear(response, https);
    if (outcome.kind === 'no_role') await this.endPrevious(request, response, https);
    if (outcome.kind !== 'signed_in') {
      sendSignInPage(response, this.pageFor(outcome));
      return;
    }
    const { id } = await this.sessions.start(outcome.agent, this.sessions.idOf(request));
    SESSION_COOKIE.set(response, https, id);
    response.set(SIGN_IN_HEADERS).redirect(302, '/console');
  }

  /**
   * Ends the session here and, where the provider offers it, there too (RP-Initiated Logout).
   * A form post or a script's call: the CSRF token comes in the header or as the form field
   * `csrfToken`. Without a live session there is nothing to protect: the cookie is cleared.
   */
  @Post('logout')
  async logout(@Req() request: Request, @Res() response: Response): Promise<void> {
    const https = overHttps(request, this.agents);
    const found = await this.sessions.find(request, 'peek', false);
    if (found) {
      checkCsrf(request, this.agents, found.session.csrfToken, csrfTokenOf(request));
      await this.sessions.end(found.id);
    }
    SESSION_COOKIE.clear(response, https);
    const endSession = found ? await this.provider.endSessionUrl(consoleUrlFor(request, this.agents)) : null;
    response.set(SIGN_IN_HEADERS).redirect(303, endSession?.href ?? '/console');
  }

  /** The console's script learns who is signed in and its CSRF token; reading it does not extend the session. */
  @Get('session')
  async session(@Req() request: Request, @Res() response: Response): Promise<void> {
    response.set(SIGN_IN_HEADERS);
    const found = await this.sessions.find(request, 'peek', true);
    if (!found) throw sessionExpired();
    response.status(200).json(sessionDocument(found.session));
  }

  /** Someone else just proved who sits at this browser: a session it still held is not theirs. */
  private async endPrevious(request: Request, response: Response, https: boolean): Promise<void> {
    const previous = this.sessions.idOf(request);
    if (!previous) return;
    await this.sessions.end(previous);
    SESSION_COOKIE.clear(response, https);
  }

  private pageFor(outcome: Exclude<SignInOutcome, { kind: 'signed_in' }>) {
    switch (outcome.kind) {
      case 'no_role':
        return signInPages.noRole(this.signIn.issuer, outcome.name, this.agents.agentRole);
      case 'bad_state':
        return signInPages.badState();
      case 'provider_error':
        return signInPages.providerError(outcome.error);
      case 'failed':
        return signInPages.failed();
      case 'unavailable':
        return signInPages.unavailable();
      default:
        return outcome satisfies never;
    }
  }
}

/** The CSRF token of a sign-out: the header a script sends, else the field of a plain form. */
function csrfTokenOf(request: Request): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const field = (request.body as Record<string, unknown> | undefined)?.csrfToken;
  return typeof field === 'string' ? field : undefined;
}
