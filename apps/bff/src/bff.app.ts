import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ConfigError, loadConfigFile, type CibaConfig, type Environment } from '@ciba/config';
import { CibaError, ErrorCode } from '@ciba/ciba';
import { ProviderRegistry, operatorDetail } from '@ciba/providers';
import { Keyring, assertNoEviction, connect, redisConnectFailure, type RedisTarget } from '@ciba/store';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { BffModule } from './bff.module.js';
import type { BffOptions } from './bff-options.js';
import { jsonBody, requireJson } from './http/body-parsing.js';
import { jsonShape } from './http/json-shape.js';
import { keepConnectionsAlive } from './http/keep-alive.js';
import { answerClientErrors } from './http/client-errors.js';
import { setupOpenApi } from './http/openapi.js';
import { serveConsole } from './console/console.setup.js';
import { serveQueueDashboard } from './admin/queue-dashboard.setup.js';
import { queueWorkers, stopTakingJobs } from './shutdown/queue-workers.js';
import { ProblemFilter } from './http/problem.filter.js';
import { requestIdMiddleware } from './http/request-id.js';
import { accessLog } from './http/access-log.js';
import { validationPipe } from './http/validation.js';
import { NestPinoLogger } from './logging/logger.js';
import { assertPortFree, isAddressInUse, PortInUseError } from './http/port-in-use.error.js';
import { redactedRedisUrl } from './logging/redacted-redis-url.js';
import { MAINTENANCE_QUEUE } from './polling/poll-queues.js';
import { PollLoopKeeper, RECONCILE_EVERY_MS } from './polling/poll-loop-keeper.js';

export interface RunningBff {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** The key that encrypts at rest: required outside the sandbox, generated for it. */
export function resolveKeyring(env: Environment, logger: Logger): Keyring {
  if (env.encryptionKey) return Keyring.parse(env.encryptionKey);
  if (env.sandbox) {
    logger.warn('CIBA_ENCRYPTION_KEY is not set: the sandbox uses a key generated for this run (stored data will not survive a restart)');
    return Keyring.generate();
  }
  throw new ConfigError(['CIBA_ENCRYPTION_KEY: required (32 bytes, base64; several as kid1:base64,kid2:base64)'], 'the environment');
}

export function resolveConfig(env: Environment): CibaConfig {
  return loadConfigFile(env.configPath, env.variables);
}

/** Checks Redis before anything is built on it: reachable, and never evicting (outside the sandbox). */
export async function checkRedis(target: RedisTarget, enforceNoEviction: boolean): Promise<void> {
  const client = connect(target, 'command', 'ciba-bff-startup');
  // connect() rejects with "Connection is closed." whatever happened: the first error event is
  // the cause (ECONNREFUSED, NOAUTH, WRONGPASS, a TLS error). The listener also keeps ioredis
  // from printing it as plain text.
  let cause: unknown;
  client.on('error', (error: unknown) => (cause ??= error));
  try {
    await client.connect();
    if (enforceNoEviction) await assertNoEviction(client);
  } catch (error) {
    if (error instanceof Error && error.name === 'RedisPolicyError') throw error;
    throw redisConnectFailure(describeTarget(target), cause, error);
  } finally {
    client.disconnect();
  }
}

/** Where Redis is, for messages (never a password). */
function describeTarget(target: RedisTarget): string {
  const topology = target.topology;
  if (topology?.mode === 'sentinel')
    return `sentinel master "${topology.name}" via ${topology.sentinels!.map((s) => `${s.host}:${s.port}`).join(', ')}`;
  if (topology?.mode === 'cluster') return `cluster ${topology.nodes!.map((n) => `${n.host}:${n.port}`).join(', ')}`;
  return redactedRedisUrl(target.url ?? '(no REDIS_URL)');
}

/** Builds and starts the BFF for a role, listening on host:port. */
export async function startBff(options: BffOptions & { port: number; host: string; sandbox: boolean }): Promise<RunningBff> {
  await assertPortFree(options.port, options.host, 'PORT', 'the BFF API');
  await checkRedis({ url: options.redisUrl, topology: options.config.redis }, !options.sandbox);
  const app = await NestFactory.create(BffModule.forRoot(options), {
    bodyParser: false,
    logger: new NestPinoLogger(options.logger),
    abortOnError: false,
  });
  const express = app.getHttpAdapter().getInstance() as { disable(name: string): void };
  express.disable('x-powered-by');
  // No ETag: every answer is a live status or a problem (nothing a cache may revalidate), and
  // Express would hash each body to make one.
  express.disable('etag');
  app.use(requestIdMiddleware);
  app.use(accessLog(options.logger));
  const serveApi = options.role !== 'worker';
  if (serveApi) {
    app.use(requireJson);
    app.use(jsonBody);
    app.use(jsonShape);
    setupOpenApi(app);
    // Before listen(): Nest puts its catch-all 404 at the end of the stack then.
    serveConsole(app, options.config);
    serveQueueDashboard(app, options.config);
  }
  app.useGlobalFilters(new ProblemFilter(options.logger));
  app.useGlobalPipes(validationPipe());
  answerClientErrors(app.getHttpServer() as import('node:http').Server);
  keepConnectionsAlive(app.getHttpServer() as import('node:http').Server);
  await listenOrExplain(app, options.port, options.host);
  if (options.role !== 'api') await scheduleMaintenance(app);
  for (const adapter of app.get(ProviderRegistry).all()) {
    adapter.warmUp().catch((error: unknown) => {
      // A provider that contradicts its configuration is an operator's error: say it loudly,
      // with what to fix. One that cannot be reached yet is retried on use.
      const code = error instanceof CibaError ? error.code : undefined;
      const misconfigured = code === ErrorCode.ProviderMisconfigured || code === ErrorCode.ProviderInvalidResponse;
      const event = misconfigured ? 'provider.misconfigured' : 'provider.metadata_unavailable';
      const message = misconfigured ? operatorDetail(error) : `${(error as Error).message}; will retry on use`;
      options.logger[misconfigured ? 'error' : 'warn']({ event, provider: adapter.providerId }, message);
    });
  }
  logNotificationEndpoints(options);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  // Workers first: a poll in flight stores its answer before Redis is quit (Nest would quit it first).
  return {
    app,
    url,
    close: async () => {
      await stopTakingJobs(queueWorkers(app));
      await app.close();
    },
  };
}

/** listen(), with a port another process holds said in one line (Nest would have logged its stack). */
async function listenOrExplain(app: INestApplication, port: number, host: string): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    await app.close().catch(() => undefined);
    throw new PortInUseError(port, 'PORT', 'the BFF API');
  }
}

/** API.md §5: operators register these at their providers; print them where they will look. */
function logNotificationEndpoints({ config, logger, role }: BffOptions): void {
  if (role === 'worker') return;
  for (const provider of config.providers.values()) {
    if (provider.deliveryMode === 'poll') continue;
    const url = `${config.notifications.publicBaseUrl!.replace(/\/$/, '')}/ciba/notify/${provider.id}`;
    logger.info(
      { event: 'ciba.notification_endpoint', provider: provider.id, deliveryMode: provider.deliveryMode, url },
      `register ${url} at ${provider.id}`,
    );
  }
}

/**
 * The poll loops in place before the first poll (and an upgraded deployment migrated), then one
 * keeper run per period across all worker replicas (a BullMQ job scheduler).
 */
async function scheduleMaintenance(app: INestApplication): Promise<void> {
  await app.get(PollLoopKeeper).keep();
  const queue = app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
  await queue.upsertJobScheduler(
    'reconcile',
    { every: RECONCILE_EVERY_MS },
    { name: 'reconcile', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}
