import { randomBytes } from 'node:crypto';
import { ConfigError, readEnvironment } from '@ciba/config';
import { RedisServerUnavailableError, findFreePort, startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { resolveConfig, resolveKeyring, startBff } from '../../bff/src/bff.app.js';
import { createLogger } from '../../bff/src/infrastructure/logger.js';
import { startSandboxProvider } from '../../sandbox-op/src/index.js';
import { printWelcome } from './welcome.js';
import { sha256Hex } from './sha256.js';

/**
 * `npm start`: the embedded default (API.md §1). Redis from REDIS_URL or a child process, the
 * sandbox OpenID Provider, and the BFF (API and workers) against it, all on localhost.
 */
async function main(): Promise<void> {
  const env = readEnvironment();
  const logger = createLogger(env.logLevel);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    let redisUrl = env.redisUrl;
    if (!redisUrl) {
      const redis: RunningRedisServer = await startRedisServer();
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    const sandboxPort = await preferredPort(Number(env.variables.SANDBOX_PORT ?? 4000));
    const secret = env.variables.SANDBOX_CLIENT_SECRET || 'sandbox-secret';
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
      ],
      log: (line) => logger.debug({ source: 'sandbox-op' }, line),
    });
    stops.push(() => sandbox.close());

    // A fresh demo key for this run; only its hash reaches the configuration.
    const demoKey = `demo-${randomBytes(18).toString('base64url')}`;
    const variables = {
      ...env.variables,
      SANDBOX_ISSUER: sandbox.issuer,
      DEMO_API_KEY_SHA256: sha256Hex(demoKey),
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
    stops.push(() => bff.close());
    printWelcome({
      bffUrl: bff.url,
      deviceUrl: sandbox.deviceUrl,
      apiKey: demoKey,
      customers: sandbox.customers.map((c) => c.username),
      sandboxConfig: env.sandbox,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The port asked for when it is free, else any free one (a second `npm start` still works). */
async function preferredPort(port: number): Promise<number> {
  const free = await findFreePort();
  return (await isFree(port)) ? port : free;
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

main().catch((error: unknown) => {
  if (error instanceof RedisServerUnavailableError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Could not start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
