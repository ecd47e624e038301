import { providerInvalidResponse, type RawTokenResponse } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import { GenericAdapter } from '../generic/generic.adapter.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { ProviderFailure } from '../openid/provider-failure.js';
import type {
  BackchannelAck,
  BackchannelRequest,
  HintInput,
  PreparedHint,
  VerificationContext,
  VerifiedOutcome,
} from '../profile-adapter.js';
import { parseIduraAcr } from './idura-acr.js';
import { IduraConfigurationSource } from './idura-configuration.js';
import { prepareIduraHint } from './idura-hint.js';
import { readIduraOptions, type IduraOptions } from './idura-options.js';
import { checkIduraRequest, iduraBindingMessage } from './idura-request.js';
import { bindIduraResult } from './idura-result.js';
import { canonicalSsn } from './idura-ssn.js';

/** Idura's word pair ("Frekk Julekos") is read out by the agent: plain short text only. */
const PROVIDER_BINDING_MESSAGE = /^[^\p{Cc}\p{Cf}<>]{1,100}$/u;

/**
 * Idura Verify (seed 002): Swedish BankID, Norwegian BankID and FrejaID over CIBA, poll mode.
 * Differs from standard CIBA in: the SSN hint (`sub:ssn:<digits>`), one `acr_values` value that
 * decides the eID, Norwegian BankID's own binding message in the acknowledgement, SSN identity
 * binding, and `authenticationtype` / `authenticationinstant` in place of `acr` / `auth_time`.
 */
export class IduraAdapter extends GenericAdapter {
  private readonly options: IduraOptions;

  constructor(provider: ProviderConfig, configuration: OpenIdConfigurationSource) {
    const options = readIduraOptions(provider);
    super(provider, new IduraConfigurationSource(provider, configuration.http, options.assertionAudience));
    this.options = options;
  }

  override prepareHint(input: HintInput): PreparedHint {
    return prepareIduraHint(input);
  }

  override bindingMessage(given: string | undefined, context: { acrValues?: string }): string | undefined {
    return iduraBindingMessage(given, parseIduraAcr(context.acrValues));
  }

  override async start(request: BackchannelRequest): Promise<BackchannelAck> {
    // All checks run before the request leaves: an accepted request alerts the customer.
    const acr = parseIduraAcr(request.acrValues);
    const authorizationDetails = checkIduraRequest(request, acr, this.options);
    const ack = await super.start({ ...request, acrValues: acr.value, authorizationDetails });
    if (acr.eid === 'no-bankid' && !ack.bindingMessage) {
      // The customer must pick this word pair in the app; without it the agent cannot go on.
      throw providerInvalidResponse('Norwegian BankID answered without the word pair (bindingMessage) the customer must choose.');
    }
    return ack;
  }

  /** The generic steps (a push's binding claims included), then the Idura evidence bound to the result. */
  override async verify(
    tokens: RawTokenResponse,
    context: VerificationContext,
    options: { push?: boolean } = {},
  ): Promise<VerifiedOutcome> {
    const verified = await super.verify(tokens, context, options);
    return verified.kind === 'approved' ? bindIduraResult(verified.result, context) : verified;
  }

  protected override canonicalIdentity(claimValue: string): string {
    return canonicalSsn(claimValue);
  }

  /**
   * Exactly the parameters of seed 002. `requested_expiry` is not among them: the BFF keeps the
   * requested expiry as its own deadline instead.
   */
  protected override startParameters(request: BackchannelRequest): Record<string, string> {
    const parameters: Record<string, string> = { scope: request.scope, login_hint: request.hint.value, acr_values: request.acrValues! };
    if (request.bindingMessage !== undefined) parameters.binding_message = request.bindingMessage;
    if (request.authorizationDetails) parameters.authorization_details = JSON.stringify(request.authorizationDetails);
    return parameters;
  }

  /** No `interval` (the BFF then polls every 5 s, CIBA Core §7.3), and Norwegian BankID's word pair. */
  protected override readAck(body: Record<string, unknown>): BackchannelAck {
    const ack = super.readAck(body);
    const words = typeof body.bindingMessage === 'string' ? body.bindingMessage.normalize('NFC').trim() : undefined;
    return words && PROVIDER_BINDING_MESSAGE.test(words) ? { ...ack, bindingMessage: words } : ack;
  }

  /** Idura's rate limit answers 429 (its rate-limiting reference): always "come back later". */
  protected override async classify(error: unknown): Promise<ProviderFailure> {
    const failure = await super.classify(error);
    return failure.kind === 'oauth' && failure.status === 429
      ? { kind: 'http', status: 429, retryAfterSeconds: failure.retryAfterSeconds }
      : failure;
  }
}
