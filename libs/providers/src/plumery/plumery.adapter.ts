import { providerInvalidResponse, type PollOutcome, type RawTokenResponse } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import { GenericAdapter } from '../generic/generic.adapter.js';
import { IdTokenInvalidError } from '../id-token/id-token-invalid.error.js';
import type { IdTokenVerifier } from '../id-token/id-token.verifier.js';
import { buildResult } from '../id-token/result-builder.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { ProviderFailure } from '../openid/provider-failure.js';
import { storedTokenResponse } from '../openid/stored-token-response.js';
import type { BackchannelRequest, HintInput, PreparedHint, VerificationContext, VerifiedOutcome } from '../profile-adapter.js';
import { classifyPlumeryFailure } from './plumery-failure.js';
import { preparePlumeryHint, type PlumeryHintDetails, type PlumeryPreparedHint } from './plumery-hint.js';
import { methodParameters } from './plumery-methods.js';
import { readPlumeryOptions, type PlumeryOptions } from './plumery-options.js';
import { authenticationMethod, identityMismatch, METHOD_FIELD_ALTERNATIVES, methodMismatch } from './plumery-verification.js';

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

  /** The method member is read in `verify`: it is kept with the tokens. */
  protected override storedTokens(response: Readonly<Record<string, unknown>>): RawTokenResponse {
    return storedTokenResponse(response, [this.options.authenticationMethodField, ...METHOD_FIELD_ALTERNATIVES]);
  }

  /** As the generic rule, plus the method from the token response (`amr`, and the acr check). */
  override async verify(tokens: RawTokenResponse, context: VerificationContext): Promise<VerifiedOutcome> {
    if (typeof tokens.id_token !== 'string') return invalid('The token response has no ID Token.');
    const method = authenticationMethod(tokens, this.options.authenticationMethodField);
    if (method.kind === 'invalid') return invalid('The token response names its authentication method in an unexpected form.');
    const metadata = (await this.configuration.get()).serverMetadata();
    let payload;
    try {
      payload = await this.plumeryIdTokens(metadata.jwks_uri).verify(tokens.id_token, {
        issuer: metadata.issuer,
        clientId: this.provider.clientId,
        authReqId: context.authReqId,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
      });
    } catch (error) {
      if (error instanceof IdTokenInvalidError) return invalid('The ID Token failed validation.');
      throw error;
    }
    const performed = method.kind === 'method' ? method.method : undefined;
    const problem = identityMismatch(payload, context.hint) ?? methodMismatch(payload, performed, context.requestedAcr);
    if (problem) return { kind: 'failed', error: problem };
    return { kind: 'approved', result: buildResult(payload, tokens, performed === undefined ? undefined : [performed]) };
  }

  private plumeryIdTokens(jwksUri: string | undefined): IdTokenVerifier {
    if (!jwksUri) throw providerInvalidResponse('No jwksUri is configured for this provider; ID Tokens cannot be verified.');
    return this.verifierFor(jwksUri);
  }
}

/** The hint's extra fields; a hint prepared elsewhere is read back from its `login_hint`. */
function detailsOf(hint: PreparedHint): PlumeryHintDetails {
  if ('plumery' in hint) return (hint as PlumeryPreparedHint).plumery;
  return preparePlumeryHint({ kind: 'login_hint', value: hint.value }, { username: '', personalId: '' }).plumery;
}

const invalid = (description: string): VerifiedOutcome => ({ kind: 'failed', error: { code: 'provider_invalid_response', description } });
