import {
  CibaError,
  ErrorCode,
  NeverSentError,
  providerInvalidResponse,
  providerRejected,
  providerUnavailable,
  type PollOutcome,
} from '@ciba/ciba';
import { classifyFailure, describeFailure, issuerMismatch, type ProviderFailure } from './provider-failure.js';

/** Transient by nature: the provider asks us to come back (RFC 6749 §5.2, CIBA Core §11). */
const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/**
 * Refusals of our client itself (RFC 6749 §5.2, CIBA Core §13): wrong credentials or a client
 * not registered for CIBA. Our configuration is wrong; no consumer request can succeed.
 */
const CLIENT_REFUSALS: Record<string, string> = {
  invalid_client: 'clientId and clientAuth (the provider refused our client authentication)',
  unauthorized_client: 'clientId and deliveryMode (the provider does not allow this client CIBA in this mode)',
};

/**
 * Our own settings for a provider are wrong. The consumer is told only that, with the provider's
 * id; what to fix goes to the log and readiness through the cause (the filter logs it).
 */
export function providerMisconfigured(providerId: string | undefined, whatToFix: string, providerError?: string): CibaError {
  const who = providerId ? `provider "${providerId}"` : 'this provider';
  const cause = new Error(`${who} is misconfigured: ${whatToFix}`);
  cause.name = 'ProviderMisconfiguration';
  return new CibaError(
    ErrorCode.ProviderMisconfigured,
    `The BFF's settings for ${who} are wrong; its operator must correct them (retrying will not help).`,
    providerError ? { providerError } : {},
    { cause },
  );
}

/** What an operator reads when a provider's metadata could not be had (the cause of a misconfiguration). */
export function operatorDetail(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof Error && cause.name === 'ProviderMisconfiguration') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A discovery that failed. An issuer other than the configured one is our misconfiguration;
 * anything else (down, slow, garbage) the provider's, tried again on the next use.
 */
export async function discoveryFailureToError(providerId: string, discoveryUrl: string, error: unknown): Promise<CibaError> {
  const mismatch = issuerMismatch(error);
  if (mismatch) {
    return providerMisconfigured(
      providerId,
      `discovery at ${discoveryUrl} names issuer "${mismatch.discovered}", expected "${mismatch.expected}"; ` +
        `set providers.${providerId}.issuer to the provider's issuer (ID Tokens must carry it)`,
    );
  }
  const failure = await classifyFailure(error);
  return providerUnavailable(`provider "${providerId}": discovery at ${discoveryUrl} failed: ${describeFailure(failure)}`, error);
}

/**
 * A failure of the backchannel authentication request, as the consumer sees it (API.md §4).
 * `error_description` is never passed on verbatim: it may echo the hint or HTML.
 */
export function startFailureToError(failure: ProviderFailure, providerId?: string): CibaError {
  switch (failure.kind) {
    case 'oauth':
      if (Object.hasOwn(CLIENT_REFUSALS, failure.error)) {
        return providerMisconfigured(providerId, `it answered ${failure.error}; check ${CLIENT_REFUSALS[failure.error]}`, failure.error);
      }
      // 429 and 5xx mean "come back later" whatever the body says (RFC 6585 §4).
      if (failure.status >= 500 || failure.status === 429 || TRANSIENT_OAUTH_ERRORS.has(failure.error)) {
        return new CibaError(ErrorCode.ProviderUnavailable, `The OpenID Provider is unavailable (${failure.error}); try again later.`, {
          retryAfterSeconds: failure.retryAfterSeconds,
        });
      }
      if (failure.error === 'unknown_user_id') {
        return new CibaError(ErrorCode.CustomerUnknown, 'The OpenID Provider does not know this customer.', {
          providerError: failure.error,
        });
      }
      return providerRejected(failure.error);
    case 'http':
      if (failure.status === 429 || failure.status >= 500) {
        return new CibaError(ErrorCode.ProviderUnavailable, `The OpenID Provider answered HTTP ${failure.status}; try again later.`, {
          retryAfterSeconds: failure.retryAfterSeconds,
        });
      }
      return providerInvalidResponse(`The OpenID Provider answered HTTP ${failure.status} without an OAuth error.`);
    case 'network':
      return failure.neverSent ? new NeverSentError() : providerUnavailable('The OpenID Provider could not be reached.');
    case 'timeout':
      return providerUnavailable('The OpenID Provider did not answer in time; the request may have reached it, so it was not repeated.');
    case 'invalid':
      return providerInvalidResponse('The OpenID Provider answered something that is not a CIBA acknowledgement.');
    case 'too_large':
      return providerInvalidResponse(`The OpenID Provider answered more than ${failure.limitBytes} bytes (maxResponseBytes).`);
  }
}

/** A failure of one token request, as a poll outcome (CIBA Core §11). */
export function pollFailureToOutcome(failure: ProviderFailure): PollOutcome {
  switch (failure.kind) {
    case 'oauth':
      return oauthErrorToOutcome(failure.error, failure.status, failure.retryAfterSeconds, failure.description);
    case 'http':
      if (failure.status === 429 || failure.status >= 500) {
        return { kind: 'transient', reason: `HTTP ${failure.status}`, retryAfterSeconds: failure.retryAfterSeconds };
      }
      return {
        kind: 'failed',
        code: 'provider_invalid_response',
        description: `The token endpoint answered HTTP ${failure.status} without an OAuth error.`,
      };
    case 'network':
      return { kind: 'transient', reason: `network: ${failure.detail}` };
    case 'timeout':
      return { kind: 'transient', reason: 'timeout' };
    case 'invalid':
      return {
        kind: 'failed',
        code: 'provider_invalid_response',
        description: 'The token endpoint answered something that is not a token response.',
      };
    case 'too_large':
      // Nothing of it was kept: an answer this size is not a token response we could store.
      return {
        kind: 'failed',
        code: 'provider_invalid_response',
        description: `The token endpoint answered more than ${failure.limitBytes} bytes (maxResponseBytes).`,
      };
  }
}

export function oauthErrorToOutcome(error: string, status: number, retryAfter?: number, description?: string): PollOutcome {
  switch (error) {
    case 'authorization_pending':
      return { kind: 'pending', progress: safeProgress(description), retryAfterSeconds: retryAfter };
    case 'slow_down':
      return { kind: 'slow_down', progress: safeProgress(description), retryAfterSeconds: retryAfter };
    case 'access_denied':
      return { kind: 'denied', providerError: error };
    case 'expired_token':
      return { kind: 'expired' };
    default:
      if (status >= 500 || TRANSIENT_OAUTH_ERRORS.has(error) || status === 429) {
        return { kind: 'transient', reason: error, retryAfterSeconds: retryAfter };
      }
      return {
        kind: 'failed',
        code: 'provider_rejected',
        providerError: error,
        description: 'The OpenID Provider ended the authentication.',
      };
  }
}

/**
 * Progress text shown to the agent (e.g. Idura's "awaiting user identification"). Kept only when
 * it is short plain text, so a provider cannot push markup or a long echo of the hint through us.
 */
function safeProgress(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const text = description.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
  return text.length > 0 && text.length <= 200 && !/[<>]/.test(text) ? text : undefined;
}
