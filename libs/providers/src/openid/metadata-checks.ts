import { invalidRequest, providerInvalidResponse } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import type { ServerMetadata } from 'openid-client';

/**
 * What the provider's metadata says it supports (CIBA Core §4), checked against what this
 * provider is configured to do. Metadata given by hand (no discovery) carries none of these
 * fields, and then nothing can be checked.
 */
export function checkProviderMetadata(provider: ProviderConfig, metadata: ServerMetadata, signingAlg?: string): void {
  const modes = metadata.backchannel_token_delivery_modes_supported;
  if (Array.isArray(modes) && !modes.includes(provider.deliveryMode)) {
    throw providerInvalidResponse(
      `Provider "${provider.id}" does not support ${provider.deliveryMode} delivery (it offers ${modes.join(', ') || 'none'}); fix providers.${provider.id}.deliveryMode.`,
    );
  }
  const algs = metadata.backchannel_authentication_request_signing_alg_values_supported;
  if (provider.signedRequests && signingAlg && Array.isArray(algs) && !algs.includes(signingAlg)) {
    throw providerInvalidResponse(
      `Provider "${provider.id}" does not accept signed requests in ${signingAlg} (it accepts ${algs.join(', ') || 'none'}); fix providers.${provider.id}.clientAuth.alg or the key.`,
    );
  }
  if (provider.signedRequests && Array.isArray(modes) && !Array.isArray(algs)) {
    throw providerInvalidResponse(
      `Provider "${provider.id}" advertises no signed authentication requests; set providers.${provider.id}.signedRequests: false.`,
    );
  }
}

/** A user code only where the provider says it takes one (CIBA Core §4, default false). */
export function checkUserCodeSupported(provider: ProviderConfig, metadata: ServerMetadata, userCode: string | undefined): void {
  const discovered = Array.isArray(metadata.backchannel_token_delivery_modes_supported);
  if (userCode !== undefined && discovered && metadata.backchannel_user_code_parameter_supported !== true) {
    throw invalidRequest(`Provider "${provider.id}" does not accept a user code; leave userCode out.`);
  }
}
