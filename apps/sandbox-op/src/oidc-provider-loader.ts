import { redirectOidcNotices } from './oidc-notices.js';
import type { OidcProviderModule } from './oidc-provider-types.js';
import type { SandboxLog } from './sandbox-log.js';

// A `string`-typed specifier keeps TypeScript from looking for declarations the package does not ship.
const OIDC_PROVIDER: string = 'oidc-provider';

let loading: Promise<OidcProviderModule> | undefined;

/**
 * Imports oidc-provider once. Evaluating it prints "Unsupported runtime" on Node 20 (this repo's
 * engine), in every Jest worker; that line goes to the sandbox log instead of the console.
 */
export function loadOidcProvider(log: SandboxLog): Promise<OidcProviderModule> {
  loading ??= redirectOidcNotices(log, () => import(OIDC_PROVIDER) as Promise<OidcProviderModule>).catch((error: unknown) => {
    loading = undefined; // let a later start retry instead of caching the failure
    throw error;
  });
  return loading;
}
