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

/** A command on a request path gives up after this long (then the API answers 503). */
const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 2000;
/** Reconnect attempts come at most this far apart: a Redis back from a restart is used within it. */
const MAX_RECONNECT_DELAY_MS = 1000;
/**
 * How long a connection we close may take to close before its socket is destroyed. A live Redis
 * closes at once. ioredis arms this timer even for a socket that is already gone (refused, or
 * killed by Redis), and its default (2 s) then kept a process alive for nothing: a test worker
 * that closed such a client could not exit (Jest's "failed to exit gracefully").
 */
const DISCONNECT_TIMEOUT_MS = 200;

/**
 * Every connection, BullMQ's included, retries quickly and for ever: ioredis's default backs off
 * to 2 s and BullMQ's to 20 s, which kept a start waiting 18 s after a 20 s outage had ended.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS);
}

/**
 * Options by what a connection is for (BullMQ "going to production"):
 * - `command`: request paths; a command fails after one retry instead of queueing forever;
 * - `subscriber`: pub/sub; re-subscribes after reconnects;
 * - `queue`: BullMQ queues and workers (`maxRetriesPerRequest: null`, no command timeout).
 */
function purposeOptions(purpose: Purpose, name: string): RedisOptions {
  const common = {
    connectionName: name,
    retryStrategy: reconnectDelay,
    connectTimeout: CONNECT_TIMEOUT_MS,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  };
  // API.md §6: a store that cannot answer is a 503 within 3 s, never a hang. (No auto-pipelining:
  // ioredis holds a batch until the previous one is answered, so a blackholed Redis made every
  // request wait out the timeouts of the batches before it.)
  if (purpose === 'command') return { ...common, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, lazyConnect: true };
  if (purpose === 'subscriber') return { ...common, maxRetriesPerRequest: null, lazyConnect: true };
  return { ...common, maxRetriesPerRequest: null, enableReadyCheck: true };
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
        {
          redisOptions: options,
          lazyConnect: options.lazyConnect,
          enableReadyCheck: true,
          clusterRetryStrategy: reconnectDelay,
        },
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

/** Redis could not be used at start-up; the message names the cause and what to change. */
export class RedisConnectError extends Error {
  override readonly name = 'RedisConnectError';
}

/**
 * What to do about a failed first connection, by its cause. ioredis rejects `connect()` with
 * "Connection is closed." whatever happened; the cause is the `error` event before it.
 */
export function redisConnectFailure(where: string, cause: unknown, closed: unknown): RedisConnectError {
  const error = (cause ?? closed) as { code?: string; message?: string } | undefined;
  const text = `${error?.message ?? String(cause ?? closed)}`;
  const code = error?.code ?? /^(NOAUTH|WRONGPASS|NOPERM)\b/.exec(text)?.[1];
  let advice = '';
  if (code === 'ECONNREFUSED') advice = ': nothing listens there; start Redis or correct REDIS_URL';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') advice = ': the host name does not resolve; correct REDIS_URL';
  else if (code === 'ETIMEDOUT') advice = ': no answer (a firewall, a wrong port, or rediss:// against a Redis without TLS)';
  else if (code === 'NOAUTH') advice = ': Redis requires a password; give it in REDIS_URL (redis://user:password@host:port)';
  else if (code === 'WRONGPASS') advice = ': the user name or password in REDIS_URL is wrong';
  else if (code === 'NOPERM') advice = ': the Redis user lacks a permission the BFF needs';
  else if (/SSL|TLS|CERT|certificate/i.test(`${code ?? ''} ${text}`))
    advice = ': the TLS handshake failed; check rediss://, the server certificate and its CA';
  const named = code && !text.startsWith(code) ? `${code} (${text})` : text;
  return new RedisConnectError(`Cannot connect to Redis at ${where}: ${named}${advice}`, { cause: cause ?? closed });
}
