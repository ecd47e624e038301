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
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

export interface OidcGrantModel {
  new (init: { accountId: string; clientId: string }): OidcGrant;
  find(id: string): Promise<OidcGrant | undefined>;
}

/** An authorization request waiting for the end-user (oidc-provider's Interaction model). */
export interface OidcInteraction {
  uid: string;
  /** `login` or `consent` with the base policy; details say what is missing */
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  /** the authorization request's parameters (client_id, scope, claims, ...) */
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}

export interface OidcInteractionResult {
  login?: { accountId: string; remember?: boolean };
  consent?: { grantId: string };
}

/** The koa context oidc-provider hands to its page hooks (logoutSource, postLogoutSuccessSource). */
export interface OidcPageContext {
  type: string;
  body: unknown;
  set(header: string, value: string): void;
  oidc: { client?: OidcClient; session?: { accountId?: string } };
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
  SessionNotFound: OidcErrorClass;
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
  Grant: OidcGrantModel;
  BackchannelAuthenticationRequest: {
    find(id: string, options?: { ignoreExpiration?: boolean }): Promise<BackchannelRequest | undefined>;
  };
  backchannelResult(request: string | BackchannelRequest, result: OidcGrant | Error, options?: BackchannelResultOptions): Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  /** stores the result and answers 303 to the authorization endpoint's resume route */
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: OidcInteractionResult,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
}

export interface OidcProviderModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: OidcErrors;
}
