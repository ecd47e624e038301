import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections with the options their job needs (BullMQ "going to production"):
 * - `command`: request paths; fails fast when Redis is away instead of queueing forever;
 * - `subscriber`: pub/sub, re-subscribes after reconnects;
 * - `blocking`: options for BullMQ workers (`maxRetriesPerRequest: null`, no command timeout).
 */
export function commandClient(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    commandTimeout: 3000,
    connectTimeout: 3000,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
}

export function subscriberClient(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: null, lazyConnect: true });
}

export function workerConnectionOptions(url: string): RedisOptions & { url: string } {
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true };
}

/** Queue producers in request paths: fail fast rather than hang (BullMQ "failing fast"). */
export function producerConnection(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000 });
}
