import { Inject, Injectable } from '@nestjs/common';
import type { AgentsConfig, CibaConfig } from '@ciba/config';
import { ConsoleLoginRepository } from '@ciba/store';
import type { Request } from 'express';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import { consoleRoles, rolesInClaim } from './agent-roles.js';
import { LOGIN_TTL_MS } from './console-cookies.js';
import { redirectUriFor } from './public-origin.js';
import { secretEqual } from './secret-equal.js';
import type { SignInOutcome } from './sign-in-outcome.js';
import { WorkforceProvider, type IdTokenClaims } from './workforce-provider.js';

/** RFC 6749 §4.1.2.1 errors by which the agent (not our configuration) ended the sign-in. */
const AGENT_ENDED = new Set(['access_denied', 'login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/**
 * The two legs of an agent's sign-in at the workforce provider (OIDC Core §3.1, authorization
 * code flow, with PKCE S256, `state` and `nonce` as RFC 9700 §2.1.1 asks). The secrets of a
 * sign-in under way stay on the server (encrypted in Redis for ten minutes); the browser holds
 * only the `state`, in the login cookie that binds the callback to it.
 */
@Injectable()
export class AgentSignIn {
  private readonly agents: AgentsConfig;

  constructor(
    @Inject(WorkforceProvider) private readonly provider: WorkforceProvider,
    @Inject(ConsoleLoginRepository) private readonly logins: ConsoleLoginRepository,
    @Inject(CIBA_CONFIG) config: CibaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.agents = config.agents!;
  }

  get issuer(): string {
    return this.provider.issuer;
  }

  /**
   * Begins a sign-in: where to send the browser and the `state` for its login cookie, or null when
   * the provider's metadata cannot be had (logged; tried again on the next attempt). A store
   * failure is thrown (503).
   */
  async begin(request: Request): Promise<{ url: URL; state: string } | null> {
    const checks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const redirectUri = redirectUriFor(request, this.agents);
    let url: URL;
    try {
      url = await this.provider.authorizationUrl(redirectUri, checks);
    } catch (failure) {
      this.logger.warn({ event: 'console.provider_unavailable', reason: describe(failure) }, 'the workforce provider cannot be used');
      return null;
    }
    await this.logins.save(checks.state, { nonce: checks.nonce, codeVerifier: checks.codeVerifier, redirectUri }, LOGIN_TTL_MS);
    return { url, state: checks.state };
  }

  /** Finishes a sign-in from the provider's redirect; `loginState` is the login cookie's value. */
  async complete(request: Request, loginState: string | undefined): Promise<SignInOutcome> {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const state = query.get('state');
    if (!state || !loginState || !secretEqual(state, loginState)) return { kind: 'bad_state' };
    // Taken (and so deleted) before anything else: a callback URL works once.
    const login = await this.logins.take(state);
    if (!login) return { kind: 'bad_state' };
    // RFC 6749 §4.1.2.1: error codes are printable ASCII; anything else is not repeated to anyone.
    const error = query
      .get('error')
      ?.replace(/[^\x20-\x7e]/g, '')
      .slice(0, 64);
    if (error) {
      if (!AGENT_ENDED.has(error))
        this.logger.warn({ event: 'console.sign_in_refused', error }, 'the workforce provider refused the sign-in request');
      return { kind: 'provider_error', error };
    }
    // openid-client takes the redirect URI from this URL (without its query) for the token request.
    const callbackUrl = new URL(login.redirectUri);
    callbackUrl.search = query.toString();
    let claims: IdTokenClaims;
    try {
      claims = await this.provider.signIn(callbackUrl, { state, nonce: login.nonce, codeVerifier: login.codeVerifier });
    } catch (failure) {
      return this.failed(failure);
    }
    return this.admit(claims);
  }

  /** A verified agent holding one of the console's roles signs in; anyone else is told why not. */
  private admit(claims: IdTokenClaims): SignInOutcome {
    const name = typeof claims.name === 'string' && claims.name !== '' ? claims.name : claims.sub;
    const roles = consoleRoles(rolesInClaim(claims, this.agents.roleClaim), this.agents);
    if (roles.length === 0) {
      this.logger.info(
        { event: 'console.sign_in_without_role', roleClaim: this.agents.roleClaim },
        'an agent without the console role signed in',
      );
      return { kind: 'no_role', name };
    }
    return { kind: 'signed_in', agent: { subject: claims.sub, name, roles, supervisor: roles.includes(this.agents.supervisorRole) } };
  }

  /** openid-client's refusals are the answer's fault; anything else (network, timeout) the provider's reach. */
  private failed(failure: unknown): SignInOutcome {
    const refused =
      failure instanceof client.ClientError ||
      failure instanceof client.AuthorizationResponseError ||
      (failure instanceof client.ResponseBodyError && failure.status < 500);
    this.logger.warn({ event: 'console.sign_in_failed', reason: describe(failure) }, 'a console sign-in did not complete');
    return refused ? { kind: 'failed' } : { kind: 'unavailable' };
  }
}

/** A failure for the log: its kind and message (openid-client's never hold a token). */
const describe = (failure: unknown) => (failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure));
