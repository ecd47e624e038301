import { Inject, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ProviderRegistry } from '@ciba/providers';
import {
  AdmissionRepository,
  AuthenticationRepository,
  AuditTrail,
  batchedCommands,
  Counters,
  HashIncrements,
  Histograms,
  RateLimiter,
  FieldCipher,
  IdempotencyRepository,
  RedisKeys,
  StatusEvents,
  WebhookOutbox,
  ConnectionStateLog,
  connect,
  type RedisConnection,
  type RedisTarget,
} from '@ciba/store';
import type { ConnectionOptions, Queue } from 'bullmq';
import { Cluster } from 'ioredis';

import { ApiKeyGuard } from './consumers/api-key.guard.js';
import { agentProviders } from './agents/agents.providers.js';
import { ConsumerDirectory } from './consumers/consumer-directory.js';
import { AccessTokenVerifier } from './consumers/access-token-verifier.js';
import { BearerConsumers } from './consumers/bearer-consumers.js';
import { ConsumerRateLimit } from './consumers/consumer-rate-limit.js';
import { AuthenticationFinished } from './authentications/authentication-finished.js';
import { AuthenticationsService } from './authentications/authentications.service.js';
import { EventsTokens } from './authentications/events-token.js';
import { IdempotentStart } from './authentications/idempotent-start.js';
import { StartAdmission } from './authentications/start-admission.js';
import { StatusDocumentFactory } from './authentications/status-document.factory.js';
import { StatusWaiter } from './delivery/status-waiter.js';
import { UserCodeService } from './authentications/user-code.service.js';
import type { BffOptions } from './bff-options.js';
import { AuditService } from './audit/audit.service.js';
import { EventStreams } from './delivery/event-streams.js';
import { StatusFeed } from './delivery/status-feed.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookProcessor } from './webhooks/webhook.processor.js';
import { WebhookSender } from './webhooks/webhook-sender.js';
import { bffQueueNames } from './queue-names.js';
import { createMetricsRegistry } from './metrics/metrics.registry.js';
import { MetricsFlush } from './metrics/metrics-flush.js';
import { Registry } from 'prom-client';
import { NotificationService } from './notifications/notification.service.js';
import { CIBA_CONFIG, KEYRING, LOGGER, QUEUE_CONNECTION, REDIS_COMMAND, REDIS_SUBSCRIBER } from './tokens.js';
import { MaintenanceProcessor } from './polling/maintenance.processor.js';
import { pollProcessorFor } from './polling/poll.processor.js';
import { PollService } from './polling/poll.service.js';
import { PollQueues, pollQueueName } from './polling/poll-queues.js';
import { PollScheduler } from './polling/poll-scheduler.js';
import { PollLoopKeeper } from './polling/poll-loop-keeper.js';
import { PollLoop } from './polling/poll-loop.js';
import { TokenResultService } from './polling/token-result.service.js';
import { QueueConnectionLog } from './logging/queue-connection-log.js';

/** Closes the connections this module opened (callers stop the queue workers first: see startBff's close). */
class RedisShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_COMMAND) private readonly command: RedisConnection,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisConnection,
    @Inject(QUEUE_CONNECTION) private readonly queues: ConnectionOptions,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    // A Cluster is handed to BullMQ as an instance, which BullMQ shares and never closes itself.
    const sharedQueueClient = this.queues instanceof Cluster ? [this.queues.quit()] : [];
    await Promise.allSettled([this.command.quit(), this.subscriber.quit(), ...sharedQueueClient]);
  }
}

/** Closes the providers' keep-alive connections once nothing polls any more (workers stop first). */
class ProviderConnectionsShutdown implements OnApplicationShutdown {
  constructor(@Inject(ProviderRegistry) private readonly providers: ProviderRegistry) {}
  async onApplicationShutdown(): Promise<void> {
    await this.providers.close();
  }
}

/** Connects a client whose state changes are logged (one line each) before anything can fail. */
const connected = async (client: RedisConnection, logger: BffOptions['logger'], name: string) => {
  new ConnectionStateLog(name, logger).watch(client);
  await client.connect();
  return client;
};

/** What the providers are built from: the options, and what `forRoot` derives from them once. */
export interface BffProviderContext {
  options: BffOptions;
  keys: RedisKeys;
  redisTarget: RedisTarget;
  queueClient: ConnectionOptions;
}

/**
 * The BFF's providers by role, as factories of their own (as nestjs/bull keeps `bull.providers.ts`
 * beside `bull.module.ts`): `core` for every process, `api` for the consumer API, `workers` for
 * the poll and webhook workers. `bff.module.ts` only decides which run.
 */
export function bffProviders(context: BffProviderContext): { core: Provider[]; api: Provider[]; workers: Provider[] } {
  const { options, keys, redisTarget, queueClient } = context;
  const { config, keyring, logger } = options;
  const queueNames = [...config.providers.keys()].map(pollQueueName);
  const allQueueNames = bffQueueNames(config);

  const core: Provider[] = [
    { provide: CIBA_CONFIG, useValue: config },
    { provide: KEYRING, useValue: keyring },
    { provide: LOGGER, useValue: logger },
    { provide: RedisKeys, useValue: keys },
    { provide: QUEUE_CONNECTION, useValue: queueClient },
    {
      provide: REDIS_COMMAND,
      // The request and poll paths' commands of one event-loop turn share a write (command-batching.ts).
      useFactory: async () => batchedCommands(await connected(connect(redisTarget, 'command', 'ciba-bff'), logger, 'command')),
    },
    {
      provide: REDIS_SUBSCRIBER,
      useFactory: () => connected(connect(redisTarget, 'subscriber', 'ciba-bff-events'), logger, 'subscriber'),
    },
    QueueConnectionLog,
    { provide: FieldCipher, useValue: new FieldCipher(keyring) },
    {
      provide: HashIncrements,
      useFactory: (redis: RedisConnection) =>
        new HashIncrements(redis, (err) => logger.warn({ err }, 'metrics could not be written; this second of counts is lost')),
      inject: [REDIS_COMMAND],
    },
    MetricsFlush,
    {
      provide: Counters,
      useFactory: (redis: RedisConnection, increments: HashIncrements) => new Counters(redis, keys, increments),
      inject: [REDIS_COMMAND, HashIncrements],
    },
    {
      provide: Histograms,
      useFactory: (redis: RedisConnection, increments: HashIncrements) => new Histograms(redis, keys, increments),
      inject: [REDIS_COMMAND, HashIncrements],
    },
    {
      provide: AuditTrail,
      useFactory: (redis: RedisConnection) => new AuditTrail(redis, keys, config.storage.auditRetentionSeconds * 1000),
      inject: [REDIS_COMMAND],
    },
    AuditService,
    {
      provide: WebhookOutbox,
      useFactory: (redis: RedisConnection) => new WebhookOutbox(redis, keys),
      inject: [REDIS_COMMAND],
    },
    AuthenticationFinished,
    {
      provide: AuthenticationRepository,
      // Every end of an authentication, wherever it was decided, passes through `finished`.
      useFactory: (redis: RedisConnection, cipher: FieldCipher, finished: AuthenticationFinished) =>
        new AuthenticationRepository(redis, keys, cipher, config.storage.retentionSeconds * 1000, finished),
      inject: [REDIS_COMMAND, FieldCipher, AuthenticationFinished],
    },
    { provide: ProviderRegistry, useValue: new ProviderRegistry(config) },
    {
      provide: PollQueues,
      useFactory: (...queues: Queue[]) => new PollQueues(queues),
      inject: queueNames.map((name) => getQueueToken(name)),
    },
    PollScheduler,
    RedisShutdown,
    ProviderConnectionsShutdown,
    WebhookDispatcher,
    { provide: EventsTokens, useValue: new EventsTokens(keyring.deriveAll('events-token')) },
    StatusDocumentFactory,
  ];
  const api: Provider[] = [
    { provide: ConsumerDirectory, useValue: new ConsumerDirectory(config) },
    { provide: AccessTokenVerifier, useValue: new AccessTokenVerifier(config, logger) },
    BearerConsumers,
    {
      provide: IdempotencyRepository,
      useFactory: (redis: RedisConnection) => new IdempotencyRepository(redis, keys),
      inject: [REDIS_COMMAND],
    },
    {
      provide: StatusEvents,
      useFactory: (subscriber: RedisConnection) =>
        new StatusEvents(subscriber, keys, (error) =>
          logger.warn(
            { event: 'redis.pattern_subscribe_refused', err: error },
            `Redis refused PSUBSCRIBE ${keys.prefix}*: status changes are heard with one SUBSCRIBE per waiting client instead (give the BFF's ACL user the channel rule &${keys.prefix}*)`,
          ),
        ),
      inject: [REDIS_SUBSCRIBER],
    },
    ApiKeyGuard,
    ConsumerRateLimit,
    ...agentProviders(config),
    { provide: RateLimiter, useFactory: (redis: RedisConnection) => new RateLimiter(redis, keys), inject: [REDIS_COMMAND] },
    {
      provide: AdmissionRepository,
      useFactory: (redis: RedisConnection) => new AdmissionRepository(redis, keys),
      inject: [REDIS_COMMAND],
    },
    StartAdmission,
    AuthenticationsService,
    IdempotentStart,
    StatusWaiter,
    StatusFeed,
    UserCodeService,
    NotificationService,
    EventStreams,
    {
      provide: Registry,
      useFactory: (counters: Counters, histograms: Histograms, streams: EventStreams, ...queues: Queue[]) =>
        createMetricsRegistry({ counters, histograms, queues, openStreams: () => streams.size, providers: [...config.providers.keys()] }),
      inject: [Counters, Histograms, EventStreams, ...allQueueNames.map((name) => getQueueToken(name))],
    },
  ];
  const workers: Provider[] = [
    PollService,
    TokenResultService,
    PollLoopKeeper,
    PollLoop,
    MaintenanceProcessor,
    WebhookProcessor,
    WebhookDeliveryService,
    { provide: WebhookSender, useFactory: () => new WebhookSender() },
    ...[...config.providers.values()].map(pollProcessorFor),
  ];

  return { core, api, workers };
}
