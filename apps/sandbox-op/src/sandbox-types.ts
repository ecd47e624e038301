import type { DemoAgent } from './demo-agents.js';
import type { DemoCustomer } from './demo-customers.js';
import type { SandboxLog } from './sandbox-log.js';

/** oidc-provider client metadata (a subset is typed; anything else is passed through untouched). */
export interface SandboxClient {
  client_id: string;
  client_secret?: string;
  /** default client_secret_basic */
  token_endpoint_auth_method?: string;
  /** public JWKs, for private_key_jwt clients */
  jwks?: { keys: object[] };
  /** default poll */
  backchannel_token_delivery_mode?: 'poll' | 'ping';
  /** for ping; plain http is allowed (see insecure-ping-aliases.ts) */
  backchannel_client_notification_endpoint?: string;
  backchannel_user_code_parameter?: boolean;
  /** default: the CIBA grant and refresh_token, or authorization_code when redirect_uris are given */
  grant_types?: string[];
  /** default: none, or ['code'] when redirect_uris are given */
  response_types?: string[];
  /** a web sign-in client's callbacks; plain http on loopback is fine (see client-metadata.ts) */
  redirect_uris?: string[];
  /** where the end_session_endpoint may send the browser back to */
  post_logout_redirect_uris?: string[];
  [extra: string]: unknown;
}

export interface SandboxOptions {
  /** 0 or undefined = a free port chosen by the OS */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default `http://${host}:${port}` once the port is known; must not have a path */
  issuer?: string;
  /** default: one client `bff` / `sandbox-secret`, client_secret_basic, poll */
  clients?: SandboxClient[];
  log?: SandboxLog;
}

/** One pending CIBA request, as the device simulator shows it. */
export interface SandboxRequestView {
  /** opaque id for the simulator (NOT the auth_req_id) */
  id: string;
  /** demo customer user name */
  customer: string;
  clientId: string;
  bindingMessage: string | null;
  scope: string;
  acrValues: string | null;
  /** ISO */
  createdAt: string;
  /** ISO */
  expiresAt: string;
}

export interface ApproveOptions {
  /** default: the first requested acr_values entry, else urn:sandbox:acr:high */
  acr?: string;
  /** default ['mobile-app'] */
  amr?: string[];
}

export interface RunningSandbox {
  issuer: string;
  /** base URL */
  url: string;
  /** `${url}/device` */
  deviceUrl: string;
  customers: DemoCustomer[];
  /** who can sign in on the workforce sign-in page (`/interaction/{uid}`) */
  agents: DemoAgent[];
  pending(customer?: string): SandboxRequestView[];
  approve(id: string, options?: ApproveOptions): Promise<void>;
  deny(id: string): Promise<void>;
  /** resolves with the newest pending request for that customer, or the next one to arrive */
  waitForRequest(customer: string, timeoutMs?: number): Promise<SandboxRequestView>;
  close(): Promise<void>;
}
