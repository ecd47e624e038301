import type { PollOutcome, RawTokenResponse, Verification } from '@ciba/ciba';

/** The customer hint as the consumer sent it (API.md §4: exactly one of these). */
export type HintInput =
  | { kind: 'login_hint'; value: string | Record<string, unknown> }
  | { kind: 'login_hint_token'; value: string }
  | { kind: 'id_token_hint'; value: string };

/** A hint after validation and normalisation, ready for the provider. */
export interface PreparedHint {
  /** The form parameter it travels in. */
  param: 'login_hint' | 'login_hint_token' | 'id_token_hint';
  /** The exact value sent. */
  value: string;
  /** Canonical customer identifier (personal data: stored encrypted, never logged). */
  customer: string;
  /** Which ID Token claim must equal `customer` after approval, if any (identity binding). */
  identityClaim?: string;
  /** For logs and audit. */
  masked: string;
}

/** Everything the consumer asked for, validated, in provider terms (CIBA Core §7.1). */
export interface BackchannelRequest {
  scope: string;
  hint: PreparedHint;
  bindingMessage?: string;
  acrValues?: string;
  claims?: Record<string, unknown>;
  userCode?: string;
  requestedExpiry?: number;
  authorizationDetails?: Record<string, unknown>[];
  uiLocales?: string;
  clientNotificationToken?: string;
}

/** The provider's acknowledgement (CIBA Core §7.3). */
export interface BackchannelAck {
  authReqId: string;
  expiresIn: number;
  interval?: number;
  /** A binding message the provider made itself and the agent must read out. */
  bindingMessage?: string;
}

/** What the BFF needs to check an approval against. */
export interface VerificationContext {
  authReqId: string;
  hint: Pick<PreparedHint, 'customer' | 'identityClaim'>;
  requestedAcr: string | null;
}

/** What `verify` found: the ID Token approved with its result, or why it fails (the domain's `Verification`). */
export type VerifiedOutcome = Verification;

/** Whether something a provider publishes was loaded: not yet asked for, loaded, or the last try failed. */
export type LoadState = 'not_loaded' | 'loaded' | 'failing';

/** What `/health/ready` reports per provider (API.md §6): informative, never a reason to be unready. */
export interface ProviderReadiness {
  metadata: LoadState;
  /** The ID Token keys are fetched with the first ID Token, so `not_loaded` before that is normal. */
  keys: LoadState;
  /** Why the metadata could not be loaded (the discovery URL and the error, or what to fix), for an operator. */
  error?: string;
}

/**
 * One OpenID Provider, in its own dialect. A provider's quirks live in its adapter and nowhere
 * else; the service and workers speak only this interface.
 */
export interface ProfileAdapter {
  readonly providerId: string;
  /**
   * Validates and normalises the consumer's hint; throws `invalid_request` before any call. The
   * requested `acr_values` are given because some dialects need other fields for some methods.
   */
  prepareHint(input: HintInput, context?: { acrValues?: string }): PreparedHint;
  /**
   * The binding message to send for this request: the consumer's (checked against the
   * provider's rule, `invalid_request` if it breaks it), one we generate when none was given, or
   * `undefined` where the provider makes its own and refuses ours (then a given one is a 400).
   */
  bindingMessage(given: string | undefined, context: { acrValues?: string }): string | undefined;
  /** Sends the backchannel authentication request. Throws a `CibaError` on refusal or failure. */
  start(request: BackchannelRequest): Promise<BackchannelAck>;
  /**
   * Two-step profiles (TBC): sends the customer's code with the state the first step left
   * (`user_code_required`), and returns the acknowledgement of the second request. A code the
   * provider refuses is a `CibaError` with code `invalid_user_code`.
   */
  submitUserCode?(userCode: string, state: Record<string, unknown>, request: { scope: string }): Promise<BackchannelAck>;
  /** One token request; never throws for provider behaviour, only reports it. */
  poll(authReqId: string): Promise<PollOutcome>;
  /**
   * Validates the ID Token and builds the result, or says why it must fail. In push mode the
   * tokens did not come over our own TLS call: the CIBA binding claims are required then
   * (CIBA Core §10.3.1).
   */
  verify(tokens: RawTokenResponse, context: VerificationContext, options?: { push?: boolean }): Promise<VerifiedOutcome>;
  /** Checks that the provider's metadata can be had (readiness); throws if not. */
  warmUp(): Promise<void>;
  /** Whether its metadata and keys are loaded, without asking the provider. */
  readiness(): ProviderReadiness;
  /**
   * Closes its kept-alive connections to the provider once the requests in flight are answered
   * (shutdown); a call after it fails as a network failure would.
   */
  close(): Promise<void>;
}
