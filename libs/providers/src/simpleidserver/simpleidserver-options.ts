import { ConfigError, type ProviderConfig } from '@ciba/config';

/** The profile's settings under `providers.<id>.options` (see README.md beside this file). */
export interface SimpleIdServerOptions {
  /**
   * The SimpleIdServer client is registered with `BCUserCodeParameter` (the seed always sends
   * `user_code`): a start without `userCode` is refused here, before the provider is called.
   */
  requireUserCode: boolean;
}

const DEFAULTS: SimpleIdServerOptions = { requireUserCode: true };

/** Reads and checks the options; problems name the key as the configuration file spells it. */
export function readSimpleIdServerOptions(provider: ProviderConfig): SimpleIdServerOptions {
  const given = provider.options ?? {};
  const problems: string[] = [];
  const key = (name: string) => `providers.${provider.id}.options.${name}`;
  for (const name of Object.keys(given)) {
    if (!(name in DEFAULTS))
      problems.push(`${key(name)}: unknown option for profile simpleidserver (known: ${Object.keys(DEFAULTS).join(', ')})`);
  }
  const requireUserCode = given.requireUserCode ?? DEFAULTS.requireUserCode;
  if (typeof requireUserCode !== 'boolean') problems.push(`${key('requireUserCode')}: must be true or false`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { requireUserCode: requireUserCode as boolean };
}
