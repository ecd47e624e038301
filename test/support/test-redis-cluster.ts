import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { Redis } from 'ioredis';

export interface TestRedisCluster {
  nodes: { host: string; port: number }[];
  servers: RunningRedisServer[];
  stop(): Promise<void>;
}

/** How long the nodes may take to agree on the slot map (gossip), checked every 100 ms. */
const CONVERGE_MS = 20_000;

/**
 * A real Redis Cluster of three masters (no replicas), each a `redis-server` child process on a
 * free port, joined with `redis-cli --cluster create`. Ready when every node reports
 * `cluster_state:ok`.
 */
export async function startTestRedisCluster(size = 3): Promise<TestRedisCluster> {
  const servers = await Promise.all(
    Array.from({ length: size }, () =>
      // The node file lives in the server's own temporary dir (redis chdirs to --dir).
      startRedisServer({
        extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'],
      }),
    ),
  );
  const stop = async () => void (await Promise.all(servers.map((server) => server.stop())));
  try {
    const create = spawn('redis-cli', [
      '--cluster',
      'create',
      ...servers.map((server) => `127.0.0.1:${server.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    let output = '';
    create.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    create.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(create, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`redis-cli --cluster create exited ${code}: ${output}`);
    await Promise.all(servers.map((server) => untilClusterOk(server.url)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), servers, stop };
}

async function untilClusterOk(url: string): Promise<void> {
  const client = new Redis(url);
  try {
    const deadline = Date.now() + CONVERGE_MS;
    while (!(await client.cluster('INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error(`cluster not ok at ${url} after ${CONVERGE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.disconnect();
  }
}
