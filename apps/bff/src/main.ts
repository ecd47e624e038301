import { ConfigError, readEnvironment } from '@ciba/config';
import { startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { resolveConfig, resolveKeyring, startBff } from './bff.app.js';
import { createLogger } from './infrastructure/logger.js';

/**
 * `npm run start:bff`: the BFF alone, configured by the environment (API.md §2). Without
 * REDIS_URL it starts a `redis-server` child process, for development.
 */
async function main(): Promise<void> {
  const env = readEnvironment();
  const logger = createLogger(env.logLevel);
  const config = resolveConfig(env);
  const keyring = resolveKeyring(env, logger);
  let embedded: RunningRedisServer | undefined;
  if (!env.redisUrl) {
    embedded = await startRedisServer();
    logger.warn({ redisUrl: embedded.url }, 'REDIS_URL is not set: started a redis-server child process (nothing is kept across restarts)');
  }
  const bff = await startBff({
    config,
    keyring,
    logger,
    redisUrl: env.redisUrl ?? embedded!.url,
    role: env.role,
    port: env.port,
    host: env.host,
    sandbox: env.sandbox,
  });
  logger.info({ url: bff.url, role: env.role, config: config.source }, 'CIBA BFF listening');
  const stop = async () => {
    await bff.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  // A configuration error says which key is wrong and why; no stack trace is needed for it.
  const message =
    error instanceof ConfigError || (error as Error)?.name === 'KeyringError' || (error as Error)?.name === 'RedisPolicyError'
      ? (error as Error).message
      : ((error as Error)?.stack ?? String(error));
  process.stderr.write(`CIBA BFF failed to start: ${message}\n`);
  process.exit(1);
});
