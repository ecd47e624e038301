import { unknownProvider } from '@ciba/ciba';
import type { CibaConfig, Profile, ProviderConfig } from '@ciba/config';
import type { CustomFetch } from 'openid-client';
import { GenericAdapter } from './generic/generic.adapter.js';
import { IduraAdapter } from './idura/idura.adapter.js';
import { PlumeryAdapter } from './plumery/plumery.adapter.js';
import { SimpleIdServerAdapter } from './simpleidserver/simpleidserver.adapter.js';
import { TbcAdapter } from './tbc/tbc.adapter.js';
import { OpenIdConfigurationSource } from './openid/openid-configuration.js';
import type { ProfileAdapter } from './profile-adapter.js';

export type AdapterFactory = (provider: ProviderConfig, configuration: OpenIdConfigurationSource) => ProfileAdapter;

/** One factory per `profile`; a new provider dialect is one entry here plus its folder. */
const FACTORIES: Record<Profile, AdapterFactory> = {
  generic: (provider, configuration) => new GenericAdapter(provider, configuration),
  tbc: (provider, configuration) => new TbcAdapter(provider, configuration),
  simpleidserver: (provider, configuration) => new SimpleIdServerAdapter(provider, configuration),
  idura: (provider, configuration) => new IduraAdapter(provider, configuration),
  plumery: (provider, configuration) => new PlumeryAdapter(provider, configuration),
};

/** The adapters of every configured provider, by provider id. */
export class ProviderRegistry {
  private readonly adapters = new Map<string, ProfileAdapter>();

  constructor(config: CibaConfig, options: { customFetch?: CustomFetch } = {}) {
    for (const provider of config.providers.values()) {
      const factory = FACTORIES[provider.profile];
      this.adapters.set(provider.id, factory(provider, new OpenIdConfigurationSource(provider, options.customFetch)));
    }
  }

  get(id: string): ProfileAdapter {
    const adapter = this.adapters.get(id);
    if (!adapter) throw unknownProvider(id);
    return adapter;
  }

  has(id: string): boolean {
    return this.adapters.has(id);
  }

  all(): ProfileAdapter[] {
    return [...this.adapters.values()];
  }

  /**
   * Closes every provider's kept-alive connections once the requests in flight are answered.
   * For shutdown, after the workers stopped taking polls; idle sockets never hold the process
   * open, so a process that skips it still exits.
   */
  async close(): Promise<void> {
    await Promise.all(this.all().map((adapter) => adapter.close()));
  }
}
