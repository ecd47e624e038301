import { ConfigError, type ProviderConfig } from '@ciba/config';

/** The profile's settings under `providers.<id>.options` (see README.md beside this file). */
export interface PlumeryOptions {
  /** The ID Token claim holding the personal id, compared with a `personalId` hint. */
  personalIdClaim: string;
  /** The ID Token claim holding the user name, compared with a username hint. */
  usernameClaim: string;
  /** The token-response member naming the method used; a few spellings are also read. */
  authenticationMethodField: string;
}

const DEFAULTS: PlumeryOptions = {
  personalIdClaim: 'personal_id',
  usernameClaim: 'preferred_username',
  authenticationMethodField: 'authentication_method',
};
/** Options read by shared code (mutual TLS), not by this profile. */
const SHARED_OPTIONS = new Set(['tlsCa']);
const NAME_RULE = /^[A-Za-z0-9_:./-]{1,128}$/;

/** Reads and checks the options (and the explicit endpoints); problems name the key as the file spells it. */
export function readPlumeryOptions(provider: ProviderConfig): PlumeryOptions {
  const given = provider.options ?? {};
  const problems: string[] = [];
  const key = (name: string) => `providers.${provider.id}.options.${name}`;
  for (const name of Object.keys(given)) {
    if (!(name in DEFAULTS) && !SHARED_OPTIONS.has(name)) {
      problems.push(`${key(name)}: unknown option for profile plumery (known: ${Object.keys(DEFAULTS).join(', ')})`);
    }
  }
  // Plumery publishes no discovery document: without all three the BFF would try one and fail
  // at the first authentication instead of at start-up.
  for (const name of ['backchannelAuthenticationEndpoint', 'tokenEndpoint', 'jwksUri'] as const) {
    if (!provider[name]) problems.push(`providers.${provider.id}.${name}: required for profile plumery (it has no discovery document)`);
  }
  const options = { ...DEFAULTS };
  for (const name of Object.keys(DEFAULTS) as (keyof PlumeryOptions)[]) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !NAME_RULE.test(value))
      problems.push(`${key(name)}: must be a claim or member name (letters, digits, _ : . / -)`);
    else options[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}
