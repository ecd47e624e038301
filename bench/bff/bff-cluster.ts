import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { startBenchRedis, type BenchRedis } from './bench-redis.js';
import { writeBffConfig, type BffConfigInput } from './bff-config.js';
import { startBffProcess, type BffProcess } from './bff-process.js';

export interface BffCluster {
  apiUrl: string;
  redis: BenchRedis;
  processes: BffProcess[];
  /** Every process whose CPU counts against the BFF: the API, each worker, redis-server. */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

export interface BffClusterOptions extends Omit<BffConfigInput, 'keyPrefix'> {
  workers: number;
  aof: boolean;
  redisConfig: Record<string, string>;
  /** When set, every BFF process writes a V8 CPU profile there on exit. */
  cpuProfileDir?: string;
}

/** A real deployment in miniature: its own redis-server, one `ROLE=api` process and N `ROLE=worker` processes. */
export async function startBffCluster(options: BffClusterOptions): Promise<BffCluster> {
  const redis = await startBenchRedis({ aof: options.aof });
  for (const [name, value] of Object.entries(options.redisConfig)) await redis.client.config('SET', name, value);
  const processes: BffProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await redis.stop();
  };
  try {
    const configFile = writeBffConfig({ ...options, keyPrefix: `{bench${randomBytes(4).toString('hex')}}` });
    const encryptionKey = randomBytes(32).toString('base64');
    if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
    const nodeFlags = (role: string) =>
      options.cpuProfileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`]
        : [];
    const common = { configFile, redisUrl: redis.url, encryptionKey };
    const started = await Promise.allSettled([
      startBffProcess({ ...common, role: 'api', nodeFlags: nodeFlags('api') }),
      ...Array.from({ length: options.workers }, (_, i) =>
        startBffProcess({ ...common, role: 'worker', nodeFlags: nodeFlags(`worker${i + 1}`) }),
      ),
    ]);
    for (const outcome of started) if (outcome.status === 'fulfilled') processes.push(outcome.value);
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    apiUrl: processes[0].url,
    redis,
    processes,
    pids: () => ({
      ...Object.fromEntries(processes.map((process, i) => [i === 0 ? 'api' : `worker${i}`, process.pid])),
      redis: redis.pid,
    }),
    stop,
  };
}
