import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Structural types for the parts of oidc-provider the sandbox uses.
 *
 * oidc-provider ships no type declarations and @types/oidc-provider is not a
 * dependency of this repo. Rather than adding a global `declare module` that
 * would leak into apps/bff and libs/*, the sandbox loads the package through a
 * dynamic import (see oidc-provider-loader.ts) and describes only what it touches.
 */

/** The koa context oidc-provider hands to configuration hooks (only what we read). */
export interface OidcHookContext {
  oidc?: {
    params?: Record<string, unknown>;
    client?: OidcClient;
  };
}

export interface OidcClient {
  clientId: string;
  backchannelTokenDeliveryMode?: string;
  backchannelUserCodeParameter?: boolean;
}

export interface OidcAccount {
  accountId: string;
  claims(use: string, scope: string, claims?: unknown, rejected?: string[]): Promise<Record<string, unknown>>;
}

/** A BackchannelAuthenticationRequest model instance (the CIBA auth_req_id record). */
export interface BackchannelRequest {
  jti: string;
  accountId: string;
  clientId: string;
  scope?: string;
  claims?: { id_token?: Record<string, unknown>; userinfo?: Record<string, unknown> };
  params?: Record<string, unknown>;
  /** seconds until the request expires (the instance itself carries no exp until re-read) */
  readonly expiration: number;
  grantId?: string;
  error?: string;
}

export interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}

export interface OidcErrorClass {
  new (description?: string): Error & { error: string; error_description?: string };
}

export interface OidcErrors {
  AccessDenied: OidcErrorClass;
  InvalidBindingMessage: OidcErrorClass;
  InvalidRequest: OidcErrorClass;
  InvalidUserCode: OidcErrorClass;
  MissingUserCode: OidcErrorClass;
  UnknownUserId: OidcErrorClass;
}

export interface BackchannelResultOptions {
  acr?: string;
  amr?: string[];
  authTime?: number;
}

export interface OidcProvider {
  readonly issuer: string;
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  Client: { find(id: string): Promise<unknown> };
  Grant: new (init: { accountId: string; clientId: string }) => OidcGrant;
  BackchannelAuthenticationRequest: {
    find(id: string, options?: { ignoreExpiration?: boolean }): Promise<BackchannelRequest | undefined>;
  };
  backchannelResult(request: string | BackchannelRequest, result: OidcGrant | Error, options?: BackchannelResultOptions): Promise<void>;
}

export interface OidcProviderModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: OidcErrors;
}
