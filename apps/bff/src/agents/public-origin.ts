import type { AgentsConfig } from '@ciba/config';
import type { Request } from 'express';

/**
 * The origin the browser sees: the request's protocol (Express `req.protocol`) and its `Host`
 * header. A forged Host can only make us name a redirect URI the provider has not registered
 * (it refuses), or expect an Origin no real page sends; it opens nothing.
 */
export function requestOrigin(request: Request): string {
  return `${request.protocol}://${request.headers.host ?? ''}`;
}

/**
 * The origins a console page of ours may have: the request's own, and the origin of a configured
 * `agents.idp.redirectUri`, which declares the public origin when a proxy in front terminates
 * TLS or renames the host (then `req.protocol` and `Host` describe the proxy's hop, not the page).
 */
export function consoleOrigins(request: Request, agents: AgentsConfig): string[] {
  const origins = [requestOrigin(request)];
  if (agents.idp.redirectUri) origins.push(new URL(agents.idp.redirectUri).origin);
  return origins;
}

/**
 * Whether the console runs over https, so its cookies take the `__Host-` prefix and `Secure`
 * (API.md §7). Plain http only for loopback development: then a configured redirect URI is
 * plain http too.
 */
export function overHttps(request: Request, agents: AgentsConfig): boolean {
  return request.protocol === 'https' || agents.idp.redirectUri?.startsWith('https:') === true;
}

/** Where the sign-in returns: the configured redirect URI, else this origin's `/console/callback`. */
export function redirectUriFor(request: Request, agents: AgentsConfig): string {
  return agents.idp.redirectUri ?? `${requestOrigin(request)}/console/callback`;
}

/** The console's own address, on the origin the browser uses (after sign-out at the provider). */
export function consoleUrlFor(request: Request, agents: AgentsConfig): string {
  const origin = agents.idp.redirectUri ? new URL(agents.idp.redirectUri).origin : requestOrigin(request);
  return `${origin}/console`;
}
