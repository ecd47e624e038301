import { type CibaError, invalidRequest, type OutcomeError, providerInvalidResponse, type PollOutcome } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import type { JWTPayload } from 'jose';
import { CIBA_GRANT_TYPE, GenericAdapter, type IdTokenReading, type TokenResponseWithIdToken } from '../generic/generic.adapter.js';
import { postForm, type ProviderResponse } from '../http/form-post.js';
import { retryingUnsent } from '../openid/connect-retry.js';
import { pollFailureToOutcome } from '../openid/failure-mapping.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import { classifyFailure, type ProviderFailure } from '../openid/provider-failure.js';
import type { BackchannelAck, BackchannelRequest, HintInput, PreparedHint, VerificationContext } from '../profile-adapter.js';
import { readErrorBody } from './tbc-error-body.js';
import { backchannelError, finalizeError } from './tbc-errors.js';
import { prepareTbcHint } from './tbc-hint.js';
import { checkTbcIdentity } from './tbc-identity.js';
import { finalizeParameters, initializeParameters, middleTokenOf } from './tbc-parameters.js';
import { readTbcSettings, type TbcEndpoints } from './tbc-settings.js';
import { readAuthReqId, tagAuthReqId, type TbcStep } from './tbc-step.js';
import { readTokenResponse } from './tbc-token-response.js';
import { intervalSeconds, numeric, requestLifetimeSeconds } from './tbc-units.js';

/**
 * TBC Bank (`profile: tbc`): CIBA in two steps, with JSON-object form fields and problem+json
 * errors (seed 000). Initialize → poll → the "middle" ID Token → the customer's code → finalize
 * (`user_code` + `id_token_hint`) → a new `auth_req_id` → poll → the final tokens. Every call is
 * raw HTTP (`postForm`, with the configured client authentication), because openid-client
 * rightly refuses what TBC answers: problem+json errors, token responses without an access
 * token, `token_type: BearerToken`, lifetimes in milliseconds.
 */
export class TbcAdapter extends GenericAdapter {
  private readonly endpoints: TbcEndpoints;

  constructor(provider: ProviderConfig, configuration: OpenIdConfigurationSource) {
    super(provider, configuration);
    this.endpoints = readTbcSettings(provider);
  }

  override prepareHint(input: HintInput): PreparedHint {
    return prepareTbcHint(input);
  }

  /** TBC's form has no `binding_message` (seed): nothing is shown on the phone to compare with. */
  override bindingMessage(given: string | undefined, _context: { acrValues?: string }): string | undefined {
    if (given !== undefined) throw invalidRequest('This provider shows no binding message; leave bindingMessage out.');
    return undefined;
  }

  override async start(request: BackchannelRequest): Promise<BackchannelAck> {
    return this.backchannel('initialize', initializeParameters(request), backchannelError);
  }

  /**
   * The seed's "finalize" request. The code goes to TBC and nowhere else: not into a message, a
   * log, or the state.
   */
  async submitUserCode(userCode: string, state: Record<string, unknown>): Promise<BackchannelAck> {
    const middleToken = middleTokenOf(state);
    if (!middleToken) throw providerInvalidResponse('The first step left no middle ID Token to finalize with.');
    return this.backchannel('finalize', finalizeParameters(userCode, middleToken), finalizeError);
  }

  /**
   * One token request. The answer to an initialize `auth_req_id` is the middle token, whatever it
   * looks like (see `tbc-step.ts`); the answer to a finalize one is the final token response.
   */
  override async poll(storedAuthReqId: string): Promise<PollOutcome> {
    const { step, authReqId } = readAuthReqId(storedAuthReqId);
    let response: ProviderResponse;
    try {
      response = await postForm(this.configuration, this.endpoints.token, { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId });
    } catch (error) {
      return pollFailureToOutcome(await classifyFailure(error));
    }
    if (response.status < 200 || response.status >= 300) return pollFailureToOutcome(readErrorBody(response));
    const tokens = readTokenResponse(response.json);
    if (!tokens) return invalidTokenAnswer('The token endpoint answered something that is not a token response.');
    if (step === 'finalize') return { kind: 'approved', tokens: this.storedTokens(tokens) };
    if (typeof tokens.id_token !== 'string') return invalidTokenAnswer("The first step's token answer has no middle ID Token.");
    // The middle token is not verified here: it only goes back to the bank that issued it, and
    // the final ID Token, fully verified, is the evidence (seed: "id_token_hint (middle token)").
    return { kind: 'user_code_required', state: { middleToken: tokens.id_token } };
  }

  /** The ID Token names TBC's own `auth_req_id`: the step tag is ours (see `tbc-step.ts`). */
  protected override verifiedIdToken(
    tokens: TokenResponseWithIdToken,
    context: VerificationContext,
    options: { push?: boolean },
  ): Promise<IdTokenReading> {
    return super.verifiedIdToken(tokens, { ...context, authReqId: readAuthReqId(context.authReqId).authReqId }, options);
  }

  /**
   * The generic acr check, then TBC's identity binding (see `tbc-identity.ts`). The generic
   * identity check lets a token without the claim pass; ours is stricter, so it runs alone: the
   * generic one is switched off by leaving out `identityClaim`.
   */
  protected override checkApproval(
    payload: JWTPayload,
    tokens: TokenResponseWithIdToken,
    context: VerificationContext,
  ): OutcomeError | null {
    const customer = context.hint.customer;
    return super.checkApproval(payload, tokens, { ...context, hint: { customer } }) ?? checkTbcIdentity(payload, customer);
  }

  /** One backchannel request of either step; its `auth_req_id` comes back tagged with the step. */
  private async backchannel(
    step: TbcStep,
    parameters: Record<string, string>,
    toError: (failure: ProviderFailure) => CibaError,
  ): Promise<BackchannelAck> {
    const send = () => postForm(this.configuration, this.endpoints.backchannel, parameters);
    const response = await retryingUnsent(send, classifyFailure, toError);
    if (response.status < 200 || response.status >= 300) throw toError(readErrorBody(response));
    const ack = this.readAck(ackInSeconds(response.json));
    return { ...ack, authReqId: tagAuthReqId(step, ack.authReqId) };
  }
}

/** The acknowledgement with its durations in seconds (see `tbc-units.ts`). */
function ackInSeconds(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw providerInvalidResponse('The acknowledgement is not a JSON object.');
  const ack = { ...(body as Record<string, unknown>) };
  const expiresIn = numeric(ack.expires_in);
  const interval = numeric(ack.interval);
  if (expiresIn !== undefined) ack.expires_in = requestLifetimeSeconds(expiresIn);
  if (interval !== undefined) ack.interval = intervalSeconds(interval);
  return ack;
}

function invalidTokenAnswer(description: string): PollOutcome {
  return { kind: 'failed', code: 'provider_invalid_response', description };
}
