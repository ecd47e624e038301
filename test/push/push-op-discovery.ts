import { CIBA_GRANT } from './push-op-backchannel.js';

/** OpenID Connect Discovery with the CIBA Core §4 metadata of a push-only provider. */
export function discoveryDocument(op: { issuer: string; backchannelEndpoint: string; tokenEndpoint: string; jwksUri: string }) {
  return {
    issuer: op.issuer,
    backchannel_authentication_endpoint: op.backchannelEndpoint,
    token_endpoint: op.tokenEndpoint,
    jwks_uri: op.jwksUri,
    backchannel_token_delivery_modes_supported: ['push'],
    backchannel_user_code_parameter_supported: false,
    grant_types_supported: [CIBA_GRANT],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    response_types_supported: ['id_token'],
    scopes_supported: ['openid', 'profile'],
  };
}
