import type { AuthenticationResult, OutcomeError, PollOutcome, RawTokenResponse } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import type { JWTPayload } from 'jose';
import { GenericAdapter, type TokenResponseWithIdToken } from '../generic/generic.adapter.js';
import { buildResult } from '../id-token/result-builder.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { ProviderFailure } from '../openid/provider-failure.js';
import { storedTokenResponse } from '../openid/stored-token-response.js';
import type { BackchannelRequest, HintInput, PreparedHint, VerificationContext } from '../profile-adapter.js';
import { classifyPlumeryFailure } from './plumery-failure.js';
import { preparePlumeryHint, type PlumeryHintDetails, type PlumeryPreparedHint } from './plumery-hint.js';
import { methodParameters } from './plumery-methods.js';
import { readPlumeryOptions, type PlumeryOptions } from './plumery-options.js';
import {
  authenticationMethod,
  identityMismatch,
  METHOD_FIELD_ALTERNATIVES,
  methodMismatch,
  type MethodReading,
} from './plumery-verification.js';

/** Both are our own configuration's fault, never the customer's (RFC 6749 §5.2). */
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);

/**
 * Plumery's CIBA dialect (seed 003, README.md beside this file): explicit endpoints under
 * `/internal/v1/auth/ciba/`, `login_hint` as a user name or `personalId:{CC}:{id}`, method-specific
 * form fields (`phone_number`, `personal_id`, `country`), `invalid_request` descriptions that
 * mean "unknown user" or "no device", OAuth error bodies with HTTP 500, and the method the
 * customer used in the token response.
 */
export class PlumeryAdapter extends GenericAdapter {
  private readonly options: PlumeryOptions;

  constructor(provider: ProviderConfig, configuration: OpenIdConfigurationSource) {
    super(provider, configuration);
    this.options = readPlumeryOptions(provider);
  }

  override prepareHint(input: HintInput): PreparedHint {
    return preparePlumeryHint(input, { username: this.options.usernameClaim, personalId: this.options.personalIdClaim });
  }

  /** Runs before any call (generic `start`), so a missing method field is a 400 that never leaves. */
  protected override startParameters(request: BackchannelRequest): Record<string, string> {
    const parameters = super.startParameters(request);
    // Sent as the one method it was checked to be, never as the consumer typed it.
    delete parameters.acr_values;
    return { ...parameters, ...methodParameters(request.acrValues, detailsOf(request.hint)) };
  }

  protected override classify(error: unknown): Promise<ProviderFailure> {
    return classifyPlumeryFailure(error);
  }

  override async poll(authReqId: string): Promise<PollOutcome> {
    const outcome = await super.poll(authReqId);
    if (outcome.kind === 'failed' && outcome.providerError !== undefined && CLIENT_ERRORS.has(outcome.providerError)) {
      // Every authentication of this provider will fail the same way until the configuration
      // (providers.<id>.clientAuth) is fixed: say so, the BFF logs it with providerError.
      return {
        ...outcome,
        description: `The provider refused this service's client credentials (${outcome.providerError}): a configuration error of the BFF, not the customer's doing.`,
      };
    }
    return outcome;
  }

  /** The method member is read when the tokens are verified: it is kept with them. */
  protected override storedTokens(response: Readonly<Record<string, unknown>>): RawTokenResponse {
    return storedTokenResponse(response, [this.options.authenticationMethodField, ...METHOD_FIELD_ALTERNATIVES]);
  }

  /** The method member, when there is one, must be a plain method name (see `plumery-verification.ts`). */
  protected override checkTokenResponse(tokens: TokenResponseWithIdToken): OutcomeError | null {
    if (this.method(tokens).kind !== 'invalid') return null;
    return { code: 'provider_invalid_response', description: 'The token response names its authentication method in an unexpected form.' };
  }

  /** Plumery's identity rule, and the method asked for against the one performed (not the generic acr check). */
  protected override checkApproval(
    payload: JWTPayload,
    tokens: TokenResponseWithIdToken,
    context: VerificationContext,
  ): OutcomeError | null {
    return identityMismatch(payload, context.hint) ?? methodMismatch(payload, this.performedMethod(tokens), context.requestedAcr);
  }

  /** The performed method is the result's `amr`. */
  protected override approvedResult(payload: JWTPayload, tokens: TokenResponseWithIdToken): AuthenticationResult {
    const performed = this.performedMethod(tokens);
    return buildResult(payload, tokens, performed === undefined ? undefined : [performed]);
  }

  private method(tokens: TokenResponseWithIdToken): MethodReading {
    return authenticationMethod(tokens, this.options.authenticationMethodField);
  }

  private performedMethod(tokens: TokenResponseWithIdToken): string | undefined {
    const method = this.method(tokens);
    return method.kind === 'method' ? method.method : undefined;
  }
}

/** The hint's extra fields; a hint prepared elsewhere is read back from its `login_hint`. */
function detailsOf(hint: PreparedHint): PlumeryHintDetails {
  if ('plumery' in hint) return (hint as PlumeryPreparedHint).plumery;
  return preparePlumeryHint({ kind: 'login_hint', value: hint.value }, { username: '', personalId: '' }).plumery;
}
