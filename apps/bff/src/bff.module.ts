import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { RedisKeys, queueConnection, type RedisTarget } from '@ciba/store';
import { agentControllers } from './agents/agents.providers.js';
import { AuditController } from './audit/audit.controller.js';
import { AuthenticationEventsController } from './authentications/authentication-events.controller.js';
import { AuthenticationsController } from './authentications/authentications.controller.js';
import type { BffOptions } from './bff-options.js';
import { bffProviders } from './bff.providers.js';
import { HealthController } from './health/health.controller.js';
import { bffQueueNames } from './queue-names.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { NotificationsController } from './notifications/notifications.controller.js';

/**
 * The BFF. `role` decides what runs: the consumer API (`api`), the poll workers (`worker`), or
 * both. A worker serves the health routes and nothing else; an API never polls.
 */
@Module({})
export class BffModule {
  static forRoot(options: BffOptions): DynamicModule {
    const { config, redisUrl, role } = options;
    const keys = new RedisKeys(config.storage.keyPrefix);
    const redisTarget: RedisTarget = { url: redisUrl, topology: config.redis };
    const allQueueNames = bffQueueNames(config);
    const serveApi = role !== 'worker';
    const runWorkers = role !== 'api';
    const queueClient = queueConnection(redisTarget);

    const { core, api, workers } = bffProviders({ options, keys, redisTarget, queueClient });

    return {
      module: BffModule,
      imports: [
        // Workers need maxRetriesPerRequest: null (BullMQ "going to production").
        BullModule.forRoot({ connection: queueClient, prefix: keys.queuePrefix() }),
        // Nothing reads BullMQ's per-queue events stream: keep it short (it cost ~0.8 KB per pending).
        BullModule.registerQueue(...allQueueNames.map((name) => ({ name, streams: { events: { maxLen: 100 } } }))),
      ],
      controllers: [
        HealthController,
        ...(serveApi
          ? [
              AuthenticationsController,
              AuthenticationEventsController,
              NotificationsController,
              MetricsController,
              AuditController,
              ...agentControllers(config),
            ]
          : []),
      ],
      providers: [...core, ...(serveApi ? api : []), ...(runWorkers ? workers : [])],
    };
  }
}
