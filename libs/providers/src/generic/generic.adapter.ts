import {
  type AuthenticationResult,
  CibaError,
  ErrorCode,
  generateBindingMessage,
  invalidRequest,
  providerInvalidResponse,
  providerUnavailable,
  type OutcomeError,
  type PollOutcome,
  type RawTokenResponse,
} from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import type { JWTPayload } from 'jose';
import type * as client from 'openid-client';
import { normaliseText, prepareGenericHint } from '../hint.js';
import { IdTokenInvalidError } from '../id-token/id-token-invalid.error.js';
import { IdTokenVerifier } from '../id-token/id-token.verifier.js';
import { buildResult, checkIdentityAndAcr } from '../id-token/result-builder.js';
import { pollFailureToOutcome, startFailureToError } from '../openid/failure-mapping.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import { privateKey } from '../openid/client-authentication.js';
import { initiateBackchannelRequest } from '../openid/backchannel-request.js';
import { retryingUnsent } from '../openid/connect-retry.js';
import { checkProviderMetadata, checkUserCodeSupported } from '../openid/metadata-checks.js';
import { signRequestObject, type RequestObjectSigner } from '../openid/request-object.js';
import { classifyFailure, type ProviderFailure } from '../openid/provider-failure.js';
import { storedTokenResponse } from '../openid/stored-token-response.js';
import { pollTokenEndpoint } from '../openid/token-poll.js';
import { serverMetadataOf } from '../openid/token-request.js';
import type {
  BackchannelAck,
  BackchannelRequest,
  HintInput,
  PreparedHint,
  ProfileAdapter,
  VerificationContext,
  VerifiedOutcome,
  ProviderReadiness,
} from '../profile-adapter.js';

export { CIBA_GRANT_TYPE } from '../openid/token-poll.js';

/** A token response that carries an ID Token, as `verify` hands it to its steps. */
export type TokenResponseWithIdToken = RawTokenResponse & { id_token: string };
/** What the ID Token step of `verify` gives: the verified claims, or why the approval fails. */
export type IdTokenReading = { kind: 'verified'; payload: JWTPayload } | Extract<VerifiedOutcome, { kind: 'failed' }>;

/** oidc-provider's default rule, the strictest in common use. */
const BINDING_MESSAGE_RULE = /^[a-zA-Z0-9\-._+/!?#]{1,20}$/;
/** CIBA Core §7.3: auth_req_id uses URL-safe characters; anything else is not CIBA. */
const AUTH_REQ_ID_RULE = /^[\x21-\x7e]{1,1024}$/;
/** A JWKS fetch is part of one poll run: it gets less time than a token request may. */
const JWKS_TIMEOUT_SECONDS = 5;

/**
 * A standard CIBA provider (CIBA Core 1.0) through openid-client. Dialect adapters extend it and
 * override only what differs.
 */
export class GenericAdapter implements ProfileAdapter {
  private verifier?: IdTokenVerifier;
  private signer?: Promise<RequestObjectSigner>;

  constructor(
    protected readonly provider: ProviderConfig,
    protected readonly configuration: OpenIdConfigurationSource,
  ) {}

  get providerId(): string {
    return this.provider.id;
  }

  prepareHint(input: HintInput): PreparedHint {
    return prepareGenericHint(input);
  }

  bindingMessage(given: string | undefined, _context: { acrValues?: string }): string | undefined {
    if (given === undefined) return generateBindingMessage();
    if (!BINDING_MESSAGE_RULE.test(given)) {
      throw invalidRequest('bindingMessage must be 1-20 characters of letters, digits and - . _ + / ! ? # (no spaces)');
    }
    return given;
  }

  readiness(): ProviderReadiness {
    const error = this.configuration.error;
    return { metadata: this.configuration.state, keys: this.verifier?.keysState ?? 'not_loaded', ...(error ? { error } : {}) };
  }

  /** Loads the metadata and checks it supports how this provider is configured; throws if not. */
  async warmUp(): Promise<void> {
    const config = await this.configuration.get();
    checkProviderMetadata(this.provider, config.serverMetadata(), (await this.requestSigner())?.alg);
  }

  async start(request: BackchannelRequest): Promise<BackchannelAck> {
    const metadata = serverMetadataOf(await this.config());
    const signer = await this.requestSigner();
    checkProviderMetadata(this.provider, metadata, signer?.alg);
    checkUserCodeSupported(this.provider, metadata, request.userCode);
    const form = this.startParameters(request);
    // FAPI-CIBA: the parameters travel as a signed request object.
    const parameters = signer
      ? { request: await signRequestObject(form, { clientId: this.provider.clientId, issuer: metadata.issuer, signer }) }
      : form;
    // A refused connection is tried again (the request never left); an invalid acknowledgement is a failure like any other.
    return retryingUnsent(
      async () => this.readAck(await initiateBackchannelRequest(this.configuration, parameters)),
      (error) => this.classify(error),
      (failure) => this.startFailure(failure),
    );
  }

  /** One token request on the provider's kept-alive connections (see `token-poll.ts`). */
  async poll(authReqId: string): Promise<PollOutcome> {
    const result = await pollTokenEndpoint(this.configuration, authReqId, (error) => this.classify(error));
    return 'tokens' in result ? { kind: 'approved', tokens: this.storedTokens(result.tokens) } : pollFailureToOutcome(result.failure);
  }

  /** Closes the provider's kept-alive connections once the requests in flight are answered. */
  close(): Promise<void> {
    return this.configuration.close();
  }

  /**
   * Validates the ID Token and builds the result, in steps a dialect overrides one at a time. An
   * `IdTokenVerificationDeferredError` (the provider's keys could not be had yet) is thrown, not
   * answered: nothing is known against the approval, so the caller keeps the token response and
   * tries again.
   */
  async verify(tokens: RawTokenResponse, context: VerificationContext, options: { push?: boolean } = {}): Promise<VerifiedOutcome> {
    if (!hasIdToken(tokens)) return failed('The token response has no ID Token.');
    const refused = this.checkTokenResponse(tokens);
    if (refused) return { kind: 'failed', error: refused };
    const idToken = await this.verifiedIdToken(tokens, context, options);
    if (idToken.kind === 'failed') return idToken;
    const mismatch = this.checkApproval(idToken.payload, tokens, context);
    return mismatch ? { kind: 'failed', error: mismatch } : { kind: 'approved', result: this.approvedResult(idToken.payload, tokens) };
  }

  /** `verify` step 1: what the token response must be besides its ID Token (a dialect may read its own members). */
  protected checkTokenResponse(_tokens: TokenResponseWithIdToken): OutcomeError | null {
    return null;
  }

  /**
   * `verify` step 2: the ID Token's signature and claims, through this provider's one verifier.
   * A token that fails validation is `provider_invalid_response`.
   */
  protected async verifiedIdToken(
    tokens: TokenResponseWithIdToken,
    context: VerificationContext,
    options: { push?: boolean },
  ): Promise<IdTokenReading> {
    try {
      const payload = await (
        await this.idTokenVerifier()
      ).verify(tokens.id_token, {
        issuer: serverMetadataOf(await this.configuration.get()).issuer,
        clientId: this.provider.clientId,
        authReqId: context.authReqId,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        requireBindingClaims: options.push,
      });
      return { kind: 'verified', payload };
    } catch (error) {
      if (error instanceof IdTokenInvalidError) return failed('The ID Token failed validation.');
      throw error;
    }
  }

  /** `verify` step 3: the person and the assurance against the request; the reason to fail, or null. */
  protected checkApproval(payload: JWTPayload, _tokens: TokenResponseWithIdToken, context: VerificationContext): OutcomeError | null {
    return checkIdentityAndAcr(payload, context, (value) => this.canonicalIdentity(value));
  }

  /** `verify` step 4: the result document of an approval that passed every check. */
  protected approvedResult(payload: JWTPayload, tokens: TokenResponseWithIdToken): AuthenticationResult {
    return buildResult(payload, tokens);
  }

  /** The members of a token response kept until it is verified (a dialect may read more). */
  protected storedTokens(response: Readonly<Record<string, unknown>>): RawTokenResponse {
    return storedTokenResponse(response);
  }

  /** The ID Token verifier for this provider's keys, with its settings; every profile builds it here. */
  protected newIdTokenVerifier(jwksUri: string): IdTokenVerifier {
    return new IdTokenVerifier(jwksUri, {
      trustedAudiences: this.provider.trustedAudiences,
      jwksCooldownSeconds: this.provider.jwksCooldownSeconds,
      jwksTimeoutSeconds: Math.min(JWKS_TIMEOUT_SECONDS, this.provider.httpTimeoutSeconds),
      fetch: this.configuration.fetch,
    });
  }

  /** What a consumer sees when the backchannel request failed (a dialect may name its own refusals). */
  protected startFailure(failure: ProviderFailure): CibaError {
    return startFailureToError(failure, this.provider.id);
  }

  /**
   * Reads a failure in this provider's terms (a dialect may parse its own error bodies). A poll's
   * `authorization_pending` or `slow_down` at HTTP 400 never comes here: it is read without an
   * exception (`waiting-answer.ts`), as the shared classifier reads it.
   */
  protected classify(error: unknown): Promise<ProviderFailure> {
    return classifyFailure(error);
  }

  /** The canonical form of an identity claim, to compare with the hint's canonical customer. */
  protected canonicalIdentity(claimValue: string): string {
    return normaliseText(claimValue);
  }

  /** The form parameters of the backchannel request (CIBA Core §7.1); objects travel as JSON. */
  protected startParameters(request: BackchannelRequest): Record<string, string> {
    const parameters: Record<string, string> = { scope: request.scope, [request.hint.param]: request.hint.value };
    const optional: Record<string, string | undefined> = {
      binding_message: request.bindingMessage,
      acr_values: request.acrValues,
      claims: request.claims && JSON.stringify(request.claims),
      user_code: request.userCode,
      requested_expiry: request.requestedExpiry?.toString(),
      authorization_details: request.authorizationDetails && JSON.stringify(request.authorizationDetails),
      ui_locales: request.uiLocales,
      client_notification_token: request.clientNotificationToken,
    };
    for (const [name, value] of Object.entries(optional)) if (value !== undefined) parameters[name] = value;
    return parameters;
  }

  /** Checks the acknowledgement (CIBA Core §7.3); numeric strings are accepted for numbers. */
  protected readAck(body: Record<string, unknown>): BackchannelAck {
    const authReqId = body.auth_req_id;
    const expiresIn = Number(body.expires_in);
    if (typeof authReqId !== 'string' || !AUTH_REQ_ID_RULE.test(authReqId)) {
      throw providerInvalidResponse('The acknowledgement has no valid auth_req_id.');
    }
    if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw providerInvalidResponse('The acknowledgement has no valid expires_in.');
    const interval = body.interval === undefined ? undefined : Number(body.interval);
    return { authReqId, expiresIn, interval: Number.isFinite(interval) ? interval : undefined };
  }

  /** The key that signs request objects, when `signedRequests` is on (the private_key_jwt key). */
  protected async requestSigner(): Promise<RequestObjectSigner | undefined> {
    if (!this.provider.signedRequests) return undefined;
    this.signer ??= privateKey(this.provider.clientAuth);
    return this.signer;
  }

  protected async config(): Promise<client.Configuration> {
    try {
      return await this.configuration.get();
    } catch (error) {
      // Our own misconfiguration (an issuer mismatch) is not "try later".
      if (error instanceof CibaError && error.code === ErrorCode.ProviderMisconfigured) throw error;
      throw providerUnavailable("The OpenID Provider's metadata could not be loaded.", error);
    }
  }

  /** This provider's one verifier (its key cache and fetch limit are shared by every verification). */
  private async idTokenVerifier(): Promise<IdTokenVerifier> {
    const jwksUri = serverMetadataOf(await this.configuration.get()).jwks_uri;
    if (!jwksUri) throw providerInvalidResponse('The provider publishes no jwks_uri; ID Tokens cannot be verified.');
    this.verifier ??= this.newIdTokenVerifier(jwksUri);
    return this.verifier;
  }
}

const hasIdToken = (tokens: RawTokenResponse): tokens is TokenResponseWithIdToken => typeof tokens.id_token === 'string';

const failed = (description: string): Extract<VerifiedOutcome, { kind: 'failed' }> => ({
  kind: 'failed',
  error: { code: 'provider_invalid_response', description },
});
