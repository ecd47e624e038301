import type { IncomingMessage, ServerResponse } from 'node:http';

import { CibaDecisions } from './ciba-decisions.js';
import { cibaFeature } from './ciba-feature.js';
import { DEFAULT_CLIENT, toProviderClientMetadata } from './client-metadata.js';
import { generateCookieKeys } from './cookie-keys.js';
import { DEMO_AGENTS } from './demo-agents.js';
import { DEMO_CUSTOMERS, findCustomerByHint } from './demo-customers.js';
import { createDeviceHandler, isDevicePath } from './device-api.js';
import { baseUrl, closeServer, listen, requestPath } from './http-listener.js';
import { InsecurePingAliases } from './insecure-ping-aliases.js';
import { createAdapterFactory } from './memory-adapter.js';
import { loadOidcProvider } from './oidc-provider-loader.js';
import type { OidcProvider } from './oidc-provider-types.js';
import { followTokenPolls, PendingRequests } from './pending-requests.js';
import { routeProviderEvents } from './provider-events.js';
import { providerConfiguration } from './provider-configuration.js';
import { silentLog } from './sandbox-log.js';
import type { RunningSandbox, SandboxOptions } from './sandbox-types.js';
import { generateSigningJwks } from './signing-keys.js';
import { createWorkforceSignInHandler, isWorkforceSignInPath } from './workforce-sign-in.js';

const DEFAULT_WAIT_MS = 10_000;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Starts a real oidc-provider CIBA OpenID Provider on plain http, plus the device simulator
 * under /device and the workforce sign-in page under /interaction, on one port. Everything
 * (keys, tokens, sessions, pending requests) lives in memory.
 */
export async function startSandboxProvider(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const log = options.log ?? silentLog;
  const host = options.host ?? '127.0.0.1';
  const { Provider, errors } = await loadOidcProvider(log);
  const jwks = await generateSigningJwks();

  // The issuer contains the port, which is only known after listen(), so the provider is plugged
  // in right after; anything arriving in between (nothing should) gets a 503.
  let oidc: Handler | undefined;
  let device: Handler | undefined;
  let signIn: Handler | undefined;
  const { server, port } = await listen(
    (req, res) => {
      const path = requestPath(req);
      const handler = isDevicePath(path) ? device : isWorkforceSignInPath(path) ? signIn : oidc;
      if (handler) void handler(req, res);
      else res.writeHead(503).end();
    },
    options.port ?? 0,
    host,
  );

  try {
    const url = baseUrl(host, port);
    const issuer = options.issuer ?? url;
    if (new URL(issuer).pathname !== '/') throw new Error(`sandbox issuer must not have a path: ${issuer}`);

    const pending = new PendingRequests();
    const aliases = new InsecurePingAliases();
    const clients = options.clients ?? [DEFAULT_CLIENT];
    assertUniqueClientIds(clients.map((client) => client.client_id));
    const provider = new Provider(
      issuer,
      providerConfiguration({
        adapter: createAdapterFactory(clients.map((client) => toProviderClientMetadata(client, aliases))),
        jwks,
        ciba: cibaFeature({ errors, pending, log }),
        fetch: aliases.fetch(),
        cookieKeys: generateCookieKeys(),
      }),
    );
    routeProviderEvents(provider, log);
    followTokenPolls(provider, pending);
    await assertClientsValid(
      provider,
      clients.map((client) => client.client_id),
    );

    const decisions = new CibaDecisions(provider, errors, pending, log);
    let closing: Promise<void> | undefined;
    const sandbox: RunningSandbox = {
      issuer,
      url,
      deviceUrl: `${url}/device`,
      customers: [...DEMO_CUSTOMERS],
      agents: [...DEMO_AGENTS],
      pending: (customer) => pending.list(customer === undefined ? undefined : usernameOf(customer)),
      approve: (id, approveOptions) => decisions.approve(id, approveOptions),
      deny: (id) => decisions.deny(id),
      waitForRequest: (customer, timeoutMs = DEFAULT_WAIT_MS) => pending.waitFor(usernameOf(customer), timeoutMs),
      close: () => {
        pending.close();
        closing ??= closeServer(server);
        return closing;
      },
    };
    oidc = provider.callback();
    device = createDeviceHandler({ ...sandbox, inbox: (customer) => pending.inbox(customer) }, log);
    signIn = createWorkforceSignInHandler(provider, errors, log);
    return sandbox;
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

/** Callers may name a customer by user name, personal number or phone number. */
function usernameOf(customer: string): string {
  return findCustomerByHint(customer)?.username ?? customer;
}

function assertUniqueClientIds(clientIds: string[]): void {
  const duplicate = clientIds.find((clientId, index) => clientIds.indexOf(clientId) !== index);
  if (duplicate !== undefined) throw new Error(`sandbox client_id must be unique: ${duplicate}`);
}

/** oidc-provider validates clients lazily; fail at start-up instead of on the first request. */
async function assertClientsValid(provider: OidcProvider, clientIds: string[]): Promise<void> {
  for (const clientId of clientIds) {
    try {
      await provider.Client.find(clientId);
    } catch (error) {
      const detail = (error as { error_description?: string }).error_description ?? String(error);
      throw new Error(`invalid sandbox client ${clientId}: ${detail}`, { cause: error });
    }
  }
}
