import type { OidcProvider } from './oidc-provider-types.js';
import { errorMessage, logEvent, type SandboxLog } from './sandbox-log.js';

interface ErrorContext {
  oidc?: { route?: string; client?: { clientId?: string } };
}

/** Events worth a log line when debugging a relying party. */
const ERROR_EVENTS = ['backchannel_authentication.error', 'grant.error', 'userinfo.error', 'jwks.error', 'discovery.error'];
/** Routine CIBA polling answers: one per poll would drown everything else. */
const ROUTINE_ERRORS = new Set(['authorization_pending', 'slow_down']);

/**
 * Sends oidc-provider's and koa's error reports to the sandbox log. Registering an `error`
 * listener also stops koa from printing its default stack traces to the console.
 */
export function routeProviderEvents(provider: OidcProvider, log: SandboxLog): void {
  provider.on('error', (error) => logEvent(log, 'http.error', { error: errorMessage(error) }));
  provider.on('server_error', (ctx, error) =>
    logEvent(log, 'oidc.server_error', { route: (ctx as ErrorContext).oidc?.route, error: errorMessage(error) }),
  );
  for (const event of ERROR_EVENTS) {
    provider.on(event, (ctx, error) => {
      const { oidc } = ctx as ErrorContext;
      const { error: code, error_description: description } = error as { error?: string; error_description?: string };
      if (code && ROUTINE_ERRORS.has(code)) return;
      logEvent(log, event, { route: oidc?.route, clientId: oidc?.client?.clientId, error: code, description });
    });
  }
}
