import { batchedCommands } from '@ciba/store';
import { Cluster, Redis } from 'ioredis';
import { startStack, type Stack } from '../support/bff-stack.js';
import { runApprovedFlow } from '../support/approved-flow.js';
import { startTestRedisCluster, type TestRedisCluster } from '../support/test-redis-cluster.js';

/**
 * The BFF on a real Redis Cluster (three masters): every key of ours and of BullMQ carries the
 * prefix's hash tag, so one node holds them all and the multi-key scripts stay legal; pub/sub
 * reaches the API from any node. A whole authentication runs to its outcome.
 */
describe('on a real Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await startTestRedisCluster();
    stack = await startStack({ configure: (tree) => (tree.redis = { mode: 'cluster', nodes: cluster.nodes }) });
  });
  afterAll(async () => {
    await stack?.close();
    await cluster?.stop();
  });

  it('runs an authentication to its outcome, every key in the slot of the prefix', async () => {
    await runApprovedFlow(stack);

    // The cluster holds the data the standalone Redis of the stack never saw, all on one node.
    const prefix = stack.redis.prefix;
    const holders: string[] = [];
    for (const node of cluster.nodes) {
      const client = new Redis(node.port, node.host);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) holders.push(`${node.port}`);
      for (const key of keys) expect(await client.cluster('KEYSLOT', key)).toBe(await client.cluster('KEYSLOT', prefix));
      client.disconnect();
    }
    expect(holders).toHaveLength(1);
    const standalone = new Redis(stack.redis.url);
    expect(await standalone.keys(`${prefix}*`)).toEqual([]);
    standalone.disconnect();
  });

  it("batches a transaction with the turn's other commands on the cluster (keys of one slot): all of it applied, each reply its own", async () => {
    const tag = `{batch-${Date.now()}}`;
    const client = new Cluster(cluster.nodes);
    try {
      const batched = batchedCommands(client);
      await client.set(`${tag}:read`, 'r');
      const [transaction, read] = await Promise.all([
        batched.multi().hset(`${tag}:h`, 'a', '1').zadd(`${tag}:z`, 5, 'm').exec(),
        batched.get(`${tag}:read`),
      ]);
      expect(transaction).toEqual([
        [null, 1],
        [null, 1],
      ]);
      expect(read).toBe('r');
      expect(await client.hget(`${tag}:h`, 'a')).toBe('1');
      expect(await client.zscore(`${tag}:z`, 'm')).toBe('5');
    } finally {
      client.disconnect();
    }
  });
});
