import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { CibaConfig } from '@ciba/config';
import { ConnectionStateLog } from '@ciba/store';
import type { Queue, Worker } from 'bullmq';
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ModuleRef } from '@nestjs/core';
import { queueWorkers } from '../shutdown/queue-workers.js';
import { CIBA_CONFIG, LOGGER } from '../tokens.js';
import { bffQueueNames } from '../queue-names.js';

/**
 * Gives every BullMQ queue and worker an `error` listener that logs one JSON line per change of
 * its connection's state. Without one, BullMQ prints each error with `console.error` (plain
 * text, once per reconnect attempt).
 */
@Injectable()
export class QueueConnectionLog implements OnApplicationBootstrap {
  constructor(
    @Inject(CIBA_CONFIG) private readonly config: CibaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of bffQueueNames(this.config)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.watch(queue, `queue:${name}`);
    }
    for (const worker of queueWorkers(this.moduleRef)) this.watch(worker, `worker:${worker.name}`);
  }

  private watch(owner: Queue | Worker, name: string): void {
    const log = new ConnectionStateLog(name, this.logger);
    (owner as unknown as EventEmitter).on('error', (error: unknown) => log.failed(error));
    // The owner reports failures; its backend says when its connections are usable again.
    (owner.backend as unknown as EventEmitter).on('ready', () => log.ready());
  }
}
