import { createHash, randomBytes } from 'node:crypto';
import { parseConfig, type CibaConfig } from '@ciba/config';
import { Keyring } from '@ciba/store';
import { startBff, type RunningBff } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { startSandboxProvider, type RunningSandbox, type SandboxClient } from '../../apps/sandbox-op/src/index.js';
import { findFreePort } from '@ciba/embedded-redis';
import { ConsumerClient } from './consumer-client.js';
import { startTestRedis, type TestRedis } from './test-redis.js';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface StackOptions {
  /** Extra provider entries (API.md §3 shape) besides `sandbox`. */
  providers?: (sandbox: RunningSandbox) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Extra sandbox clients; a function gets the BFF's base URL (for ping notification endpoints). */
  sandboxClients?: SandboxClient[] | ((bffUrl: string) => SandboxClient[]);
  role?: 'api' | 'worker' | 'both';
  /** Adjusts the configuration tree before it is validated (limits, consumer settings, ...). */
  configure?: (tree: Record<string, any>) => void;
  /** Where the BFF's JSON log lines go (default: nowhere, or stderr with TEST_LOG_LEVEL). */
  logSink?: NodeJS.WritableStream;
  /** The Redis URL the BFF is given (e.g. with an ACL user the test created); default the test Redis's. */
  redisUrl?: (redis: TestRedis) => Promise<string>;
  /** Start the BFF at all (a test may start its own processes). */
  startBff?: boolean;
  /**
   * Branch agents (API.md §7): the sandbox doubles as the workforce provider (client
   * `ciba-console` / `console-secret`, redirect URIs on this BFF's port), consumer `console`
   * (sandbox only, no key of its own) is `agents.consumer`, and these settings go on top of the
   * resulting `agents` section (`true`: none).
   */
  agents?: true | Record<string, unknown>;
}

/** The sandbox's web client for the console sign-in, registered when `agents` is given. */
export const CONSOLE_CLIENT = { clientId: 'ciba-console', secret: 'console-secret' };

function consoleClient(bffUrl: string): SandboxClient {
  return {
    client_id: CONSOLE_CLIENT.clientId,
    client_secret: CONSOLE_CLIENT.secret,
    redirect_uris: [`${bffUrl}/console/callback`],
    post_logout_redirect_uris: [`${bffUrl}/console`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  };
}

function agentsSection(sandbox: RunningSandbox, overrides: true | Record<string, unknown>): Record<string, unknown> {
  const { idp, ...rest } = overrides === true ? {} : (overrides as { idp?: Record<string, unknown> });
  return {
    idp: {
      issuer: sandbox.issuer,
      clientId: CONSOLE_CLIENT.clientId,
      clientAuth: { method: 'client_secret_basic', secret: CONSOLE_CLIENT.secret },
      allowInsecureHttp: true,
      ...idp,
    },
    consumer: 'console',
    ...rest,
  };
}

export interface Stack {
  redis: TestRedis;
  sandbox: RunningSandbox;
  config: CibaConfig;
  configTree: Record<string, unknown>;
  encryptionKey: string;
  bff?: RunningBff;
  /** Consumer `portal` (may use every provider) and `other` (sandbox only). */
  portal: ConsumerClient;
  other: ConsumerClient;
  keys: { portal: string; other: string };
  close(): Promise<void>;
}

/**
 * Real Redis, the real sandbox OpenID Provider, and the BFF in this process. The BFF's port is
 * chosen before anything listens on it (providers are told where to notify it), so another test
 * process may take it first: then the whole stack starts again on another port (rare; at most
 * twice more).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startStackOnce(options);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'PortInUseError') || attempt === 3) throw error;
    }
  }
}

async function startStackOnce(options: StackOptions): Promise<Stack> {
  const redis = await startTestRedis();
  // The BFF's port is chosen first, so providers can be told where to notify it.
  const port = await findFreePort();
  const bffUrl = `http://127.0.0.1:${port}`;
  const extraClients = typeof options.sandboxClients === 'function' ? options.sandboxClients(bffUrl) : (options.sandboxClients ?? []);
  const sandbox = await startSandboxProvider({
    clients: [{ client_id: 'bff', client_secret: 'sandbox-secret' }, ...(options.agents ? [consoleClient(bffUrl)] : []), ...extraClients],
    log: process.env.TEST_LOG_LEVEL ? (line) => process.stderr.write(`[sandbox] ${line}\n`) : undefined,
  });
  const keys = { portal: `portal-${randomBytes(12).toString('hex')}`, other: `other-${randomBytes(12).toString('hex')}` };
  const extraProviders = (await options.providers?.(sandbox)) ?? {};
  const configTree: Record<string, unknown> = {
    providers: {
      sandbox: {
        issuer: sandbox.issuer,
        clientId: 'bff',
        clientAuth: { method: 'client_secret_basic', secret: 'sandbox-secret' },
        scope: 'openid profile',
        allowInsecureHttp: true,
      },
      ...extraProviders,
    },
    consumers: {
      portal: { apiKeySha256: sha256(keys.portal), providers: ['sandbox', ...Object.keys(extraProviders)], receiveTokens: true },
      other: { apiKeySha256: sha256(keys.other), providers: ['sandbox'], receiveTokens: false },
      ...(options.agents ? { console: { providers: ['sandbox'], receiveTokens: false } } : {}),
    },
    storage: { keyPrefix: redis.prefix },
    // Generous by default: tests start many requests for the same demo customers. The limits
    // tests set strict ones through `configure`.
    limits: { perLoginHint: { max: 1000, windowSeconds: 300 }, unknownCustomers: { max: 1000, windowSeconds: 600 } },
    notifications: { publicBaseUrl: bffUrl },
    ...(options.agents ? { agents: agentsSection(sandbox, options.agents) } : {}),
  };
  options.configure?.(configTree);
  const config = parseConfig(configTree, 'test');
  const encryptionKey = randomBytes(32).toString('base64');
  let bff: RunningBff | undefined;
  if (options.startBff !== false) {
    bff = await startBff({
      config,
      keyring: Keyring.parse(encryptionKey),
      logger: options.logSink ? createLogger('trace', options.logSink) : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      redisUrl: options.redisUrl ? await options.redisUrl(redis) : redis.url,
      role: options.role ?? 'both',
      port,
      host: '127.0.0.1',
      sandbox: false,
    }).catch(async (error: unknown) => {
      await sandbox.close();
      await redis.stop();
      throw error;
    });
  }
  const base = bff?.url ?? 'http://127.0.0.1:1';
  return {
    redis,
    sandbox,
    config,
    configTree,
    encryptionKey,
    bff,
    portal: new ConsumerClient(base, keys.portal),
    other: new ConsumerClient(base, keys.other),
    keys,
    close: async () => {
      await bff?.close();
      await sandbox.close();
      await redis.stop();
    },
  };
}
