import type { RedisSchema } from '@ciba/config';
import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single server, a Sentinel-managed master, or a Cluster: the commands we use are the same. */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: `REDIS_URL` for a single server, the configuration's `redis:` for the others. */
export interface RedisTarget {
  url?: string;
  topology?: Readonly<RedisSchema>;
}

type Purpose = 'command' | 'subscriber' | 'queue';

/**
 * Options by what a connection is for (BullMQ "going to production"):
 * - `command`: request paths; a command fails after one retry instead of queueing forever;
 * - `subscriber`: pub/sub; re-subscribes after reconnects;
 * - `queue`: BullMQ queues and workers (`maxRetriesPerRequest: null`, no command timeout).
 */
function purposeOptions(purpose: Purpose, name: string): RedisOptions {
  if (purpose === 'command')
    return { connectionName: name, maxRetriesPerRequest: 1, commandTimeout: 3000, connectTimeout: 3000, lazyConnect: true };
  if (purpose === 'subscriber') return { connectionName: name, maxRetriesPerRequest: null, lazyConnect: true };
  return { connectionName: name, maxRetriesPerRequest: null, enableReadyCheck: true };
}

function credentials(topology: Readonly<RedisSchema> | undefined): RedisOptions {
  if (!topology) return {};
  return {
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password ? { password: topology.password } : {}),
    ...(topology.tls ? { tls: {} } : {}),
  };
}

/** Options for a Sentinel-managed master (ioredis asks the sentinels where the master is). */
function sentinelOptions(topology: Readonly<RedisSchema>, options: RedisOptions): RedisOptions {
  return {
    ...options,
    sentinels: topology.sentinels!.map(({ host, port }) => ({ host, port })),
    name: topology.name!,
    ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
  };
}

/** A connection for one purpose, to whichever kind of Redis the target names. */
export function connect(target: RedisTarget, purpose: Purpose, name: string): RedisConnection {
  const topology = target.topology;
  const options = { ...credentials(topology), ...purposeOptions(purpose, name) };
  switch (topology?.mode ?? 'standalone') {
    case 'sentinel':
      return new Redis(sentinelOptions(topology!, options));
    case 'cluster':
      return new Cluster(
        topology!.nodes!.map(({ host, port }) => ({ host, port })),
        { redisOptions: options, lazyConnect: options.lazyConnect, enableReadyCheck: true },
      );
    default:
      if (!target.url) throw new Error('REDIS_URL is required for a standalone Redis');
      return new Redis(target.url, options);
  }
}

/** The connection BullMQ builds its own clients from (a Cluster is given as an instance). */
export function queueConnection(target: RedisTarget): ConnectionOptions {
  const topology = target.topology;
  if (topology?.mode === 'cluster') return connect(target, 'queue', 'ciba-bff-queues');
  const options = { ...credentials(topology), ...purposeOptions('queue', 'ciba-bff-queues') };
  // BullMQ's option type is its own copy of ioredis's; the shapes are the same.
  if (topology?.mode === 'sentinel') return sentinelOptions(topology, options) as ConnectionOptions;
  return { ...options, url: target.url } as ConnectionOptions;
}

/** A command connection to a single server by URL (tools, start-up checks). */
export function commandClient(url: string, name: string): Redis {
  return connect({ url }, 'command', name) as Redis;
}
