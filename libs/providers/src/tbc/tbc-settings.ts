import { ConfigError, type ProviderConfig } from '@ciba/config';

/** The endpoints the TBC dialect calls itself. */
export interface TbcEndpoints {
  backchannel: string;
  token: string;
}

/**
 * TBC publishes no discovery document for CIBA (seed; research notes §1), and its token path is
 * not in the seed at all, so every endpoint is configured explicitly. Only poll mode is
 * documented; signed requests are not. Problems name the key, as every configuration error does.
 */
export function readTbcSettings(provider: ProviderConfig): TbcEndpoints {
  const path = `providers.${provider.id}`;
  const problems: string[] = [];
  const required = {
    backchannelAuthenticationEndpoint:
      "TBC's backchannel endpoint, e.g. https://test-api.tbcbank.ge/psd2/openbanking/oauth/bc-authorization",
    tokenEndpoint: "TBC's token endpoint (the seed does not give its path; ask TBC)",
    jwksUri: 'where TBC publishes the keys of its ID Tokens',
  } as const;
  for (const [key, what] of Object.entries(required) as [keyof typeof required, string][]) {
    if (!provider[key]) problems.push(`${path}.${key}: required for profile tbc (${what}); TBC documents no discovery`);
  }
  if (provider.deliveryMode !== 'poll')
    problems.push(`${path}.deliveryMode: profile tbc supports only poll (TBC documents no ping or push)`);
  if (provider.signedRequests)
    problems.push(`${path}.signedRequests: profile tbc sends plain form requests (TBC documents no request objects)`);
  for (const key of Object.keys(provider.options ?? {})) problems.push(`${path}.options.${key}: unknown option; profile tbc takes none`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { backchannel: provider.backchannelAuthenticationEndpoint!, token: provider.tokenEndpoint! };
}
