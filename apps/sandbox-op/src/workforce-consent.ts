import type { OidcInteraction, OidcProvider } from './oidc-provider-types.js';

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Grants what the consent prompt reports as missing, as a bank does for its own (first-party)
 * workforce applications: the agent is never asked. Returns the grant id to finish the
 * interaction with; an existing grant of this session and client is extended, not replaced.
 */
export async function grantRequestedAccess(provider: OidcProvider, interaction: OidcInteraction): Promise<string> {
  const accountId = interaction.session?.accountId;
  const clientId = interaction.params.client_id;
  if (!accountId || typeof clientId !== 'string') throw new Error('consent prompt without a signed-in account or client');

  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = interaction.prompt.details;

  const scopes = stringList(missingOIDCScope);
  if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
  const claims = stringList(missingOIDCClaims);
  if (claims.length > 0) grant.addOIDCClaims(claims);
  if (missingResourceScopes && typeof missingResourceScopes === 'object') {
    for (const [resource, resourceScopes] of Object.entries(missingResourceScopes)) {
      grant.addResourceScope(resource, stringList(resourceScopes).join(' '));
    }
  }
  return grant.save();
}
