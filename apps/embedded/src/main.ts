import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { ConfigError, readEnvironment } from '@ciba/config';
import { RedisServerUnavailableError, findFreePort, startRedisServer } from '@ciba/embedded-redis';
import { resolveConfig, resolveKeyring, startBff } from '../../bff/src/bff.app.js';
import { createLogger } from '../../bff/src/logging/logger.js';
import { assertPortFree } from '../../bff/src/http/port-in-use.error.js';
import { shutdownBff } from '../../bff/src/shutdown/bff-shutdown.js';
import { GracefulShutdown } from '../../bff/src/shutdown/graceful-shutdown.js';
import { HttpDrain } from '../../bff/src/shutdown/http-drain.js';
import { SHUTDOWN_DEADLINE_MS } from '../../bff/src/shutdown/shutdown-budget.js';
import { consoleClient, startSandboxProvider } from '../../sandbox-op/src/index.js';
import { consoleOrigins } from './console-client.js';
import { watchParent } from './parent-watch.js';
import { onStopSignals } from './stop-signals.js';
import { printWelcome } from './welcome.js';
import { sha256Hex } from './sha256.js';

const DEFAULT_SANDBOX_PORT = 4000;

/**
 * `npm start`: the embedded default (API.md §1). Redis from REDIS_URL or a child process, the
 * sandbox OpenID Provider, and the BFF (API and workers) against it, all on localhost.
 */
async function main(): Promise<void> {
  const env = readEnvironment();
  const logger = createLogger(env.logLevel);
  const shutdown = new GracefulShutdown({
    logger,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    exit: (code) => {
      process.stdout.write(
        code === 0 ? 'CIBA BFF stopped: API, workers, sandbox provider and Redis closed.\n' : 'CIBA BFF stopped with errors (see above).\n',
      );
      process.exit(code);
    },
  });
  // Before anything starts: a signal during start-up closes what is up so far.
  const stop = onStopSignals({
    stop: (signal) => void shutdown.stop(signal),
    stopNow: (signal) => {
      // The redis-server child is killed by its reaper on exit (and by its watcher in any case).
      process.stdout.write(`CIBA BFF stopped at once (${signal} again).\n`);
      process.exit(1);
    },
  });
  watchParent(() => stop('SIGTERM'));

  const sandboxPortVariable = env.variables.SANDBOX_PORT;
  // An explicit SANDBOX_PORT is a promise; the default moves aside for a port already taken.
  const sandboxPort = sandboxPortVariable ? Number(sandboxPortVariable) : await preferredPort(DEFAULT_SANDBOX_PORT);
  await assertPortFree(env.port, env.host, 'PORT', 'the BFF API');
  await assertPortFree(sandboxPort, '127.0.0.1', 'SANDBOX_PORT', 'the sandbox OpenID Provider');

  let redisUrl = env.redisUrl;
  if (!redisUrl) {
    const redis = await startRedisServer();
    shutdown.register('redis-server child', () => redis.stop());
    redisUrl = redis.url;
    logger.info({ event: 'embedded.redis_started', redisUrl }, `started a redis-server child process on ${redisUrl}`);
  }
  const secret = env.variables.SANDBOX_CLIENT_SECRET || 'sandbox-secret';
  const consoleSecret = env.variables.CONSOLE_CLIENT_SECRET || randomBytes(24).toString('base64url');
  const publicBaseUrl = env.variables.PUBLIC_BASE_URL || `http://${env.host}:${env.port}`;
  const sandbox = await startSandboxProvider({
    port: sandboxPort,
    clients: [
      { client_id: 'bff', client_secret: secret },
      // Ping mode: the sandbox notifies the BFF we are about to start on host:port.
      {
        client_id: 'bff-ping',
        client_secret: secret,
        backchannel_token_delivery_mode: 'ping',
        backchannel_client_notification_endpoint: `${publicBaseUrl}/ciba/notify/sandbox-ping`,
      },
      // The agent console signs branch agents in here too: the sandbox doubles as the bank's
      // workforce provider (API.md §7).
      consoleClient(consoleSecret, consoleOrigins(env.host, env.port, publicBaseUrl)),
    ],
    log: (line) => logger.debug({ source: 'sandbox-op' }, line),
  });
  shutdown.register('sandbox provider', () => sandbox.close());

  // A fresh demo key for this run; only its hash reaches the configuration.
  const demoKey = `demo-${randomBytes(18).toString('base64url')}`;
  const variables = {
    ...env.variables,
    SANDBOX_ISSUER: sandbox.issuer,
    DEMO_API_KEY_SHA256: sha256Hex(demoKey),
    CONSOLE_CLIENT_SECRET: consoleSecret,
    PUBLIC_BASE_URL: publicBaseUrl,
  };
  const config = resolveConfig({ ...env, variables });
  const bff = await startBff({
    config,
    keyring: resolveKeyring(env, logger),
    logger,
    redisUrl,
    role: 'both',
    port: env.port,
    host: env.host,
    sandbox: env.sandbox,
  });
  const http = new HttpDrain(bff.app.getHttpServer() as Server);
  shutdown.register('BFF', () => shutdownBff(bff.app, http, logger));
  printWelcome({
    bffUrl: bff.url,
    deviceUrl: sandbox.deviceUrl,
    apiKey: demoKey,
    customers: sandbox.customers.map((c) => c.username),
    agents: config.agents ? sandbox.agents.map((a) => `${a.username} (${a.roles.join(', ') || 'no role'})`) : [],
    sandboxConfig: env.sandbox,
  });
}

/** The port asked for when it is free, else any free one (a second `npm start` still gets a sandbox). */
async function preferredPort(port: number): Promise<number> {
  const { createServer } = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? port : findFreePort();
}

/** Errors whose message says what is wrong and what to change: a stack trace would bury it. */
const EXPLAINED_ERRORS = new Set(['KeyringError', 'RedisPolicyError', 'RedisConnectError', 'PortInUseError']);

main().catch((error: unknown) => {
  const explained =
    error instanceof RedisServerUnavailableError || error instanceof ConfigError || EXPLAINED_ERRORS.has((error as Error)?.name);
  process.stderr.write(
    explained ? `Could not start: ${(error as Error).message}\n` : `Could not start: ${(error as Error)?.stack ?? String(error)}\n`,
  );
  // The redis-server child, if it started, goes with this process (its reaper and its watcher).
  process.exit(1);
});
