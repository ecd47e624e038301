import { ConfigError, readEnvironment } from '@ciba/config';
import { startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import type { Server } from 'node:http';
import { resolveConfig, resolveKeyring, startBff } from './bff.app.js';
import { createLogger } from './logging/logger.js';
import { shutdownBff } from './shutdown/bff-shutdown.js';
import { GracefulShutdown } from './shutdown/graceful-shutdown.js';
import { HttpDrain } from './shutdown/http-drain.js';
import { SHUTDOWN_DEADLINE_MS, SHUTDOWN_SIGNALS } from './shutdown/shutdown-budget.js';

/**
 * `npm run start:bff`: the BFF alone, configured by the environment (API.md §2). Without
 * REDIS_URL it starts a `redis-server` child process, for development. SIGTERM, SIGINT and
 * SIGHUP stop it gracefully within 25 s (see shutdown/bff-shutdown.ts); this function owns them.
 */
async function main(): Promise<void> {
  const env = readEnvironment();
  const logger = createLogger(env.logLevel);
  const config = resolveConfig(env);
  const keyring = resolveKeyring(env, logger);
  const shutdown = new GracefulShutdown({ logger, deadlineMs: SHUTDOWN_DEADLINE_MS });
  shutdown.listen(SHUTDOWN_SIGNALS);
  let embedded: RunningRedisServer | undefined;
  // Sentinel and Cluster come from the configuration; only a missing single server is started here.
  if (!env.redisUrl && config.redis.mode === 'standalone') {
    embedded = await startRedisServer();
    const started = embedded;
    shutdown.register('redis-server child', () => started.stop());
    logger.warn({ redisUrl: embedded.url }, 'REDIS_URL is not set: started a redis-server child process (nothing is kept across restarts)');
  }
  const bff = await startBff({
    config,
    keyring,
    logger,
    redisUrl: env.redisUrl ?? embedded?.url ?? '',
    role: env.role,
    port: env.port,
    host: env.host,
    sandbox: env.sandbox,
  });
  const http = new HttpDrain(bff.app.getHttpServer() as Server);
  shutdown.register('BFF', () => shutdownBff(bff.app, http, logger));
  logger.info({ url: bff.url, role: env.role, config: config.source }, 'CIBA BFF listening');
}

/** Errors whose message says what is wrong and what to change: a stack trace would bury it. */
const EXPLAINED_ERRORS = new Set(['KeyringError', 'RedisPolicyError', 'RedisConnectError', 'PortInUseError']);

main().catch((error: unknown) => {
  // A configuration error says which key is wrong and why; no stack trace is needed for it.
  const message =
    error instanceof ConfigError || EXPLAINED_ERRORS.has((error as Error)?.name)
      ? (error as Error).message
      : ((error as Error)?.stack ?? String(error));
  process.stderr.write(`CIBA BFF failed to start: ${message}\n`);
  process.exit(1);
});
