import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseConfig } from '@ciba/config';
import { findFreePort, startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { Cluster, Redis } from 'ioredis';
import { connect, queueConnection } from './redis-clients.js';

const configWith = (redis: Record<string, unknown>) =>
  parseConfig({
    providers: { op: { issuer: 'https://op.example.com', clientId: 'c', clientAuth: { method: 'none' } } },
    redis,
  });

describe('Redis topologies', () => {
  it('parses sentinel and cluster sections, and names what each mode lacks', () => {
    expect(configWith({ mode: 'sentinel', name: 'mymaster', sentinels: [{ host: 's1', port: 26379 }] }).redis).toMatchObject({
      mode: 'sentinel',
      name: 'mymaster',
    });
    expect(configWith({ mode: 'cluster', nodes: [{ host: 'n1', port: 7000 }] }).redis.nodes).toEqual([{ host: 'n1', port: 7000 }]);
    expect(configWith({}).redis).toMatchObject({ mode: 'standalone', tls: false });
    expect(() => configWith({ mode: 'sentinel' })).toThrow(/sentinel mode needs "sentinels"/);
    expect(() => configWith({ mode: 'cluster' })).toThrow(/redis.nodes: cluster mode needs at least one seed node/);
    expect(() => configWith({ mode: 'ring' })).toThrow(/redis.mode/);
  });

  it('builds a Cluster client for cluster mode and a Cluster instance for BullMQ', () => {
    const topology = configWith({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }], password: 'p' }).redis;
    const client = connect({ topology }, 'command', 'test');
    expect(client).toBeInstanceOf(Cluster);
    client.disconnect();
    const queue = queueConnection({ topology });
    expect(queue).toBeInstanceOf(Cluster);
    (queue as Cluster).disconnect();
  });

  describe('through a real Sentinel', () => {
    let master: RunningRedisServer;
    let sentinel: ChildProcess;
    let sentinelPort: number;
    let dir: string | undefined;

    beforeAll(async () => {
      master = await startRedisServer();
      sentinelPort = await findFreePort();
      dir = mkdtempSync(join(tmpdir(), 'ciba-sentinel-'));
      const file = join(dir, 'sentinel.conf');
      writeFileSync(file, `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 ${master.port} 1\ndir ${dir}\n`);
      sentinel = spawn('redis-server', [file, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: sentinel.stdout! }).on('line', (line) => line.includes('+monitor master mymaster') && resolve());
        sentinel.once('exit', (code) => reject(new Error(`sentinel exited ${code}`)));
      });
    });
    afterAll(async () => {
      // The sentinel rewrites its config file in `dir`: it must be gone before the folder goes.
      if (sentinel && sentinel.exitCode === null && sentinel.signalCode === null) {
        const exited = once(sentinel, 'exit');
        sentinel.kill('SIGTERM');
        await exited;
      }
      await master?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('reaches the master the sentinel names', async () => {
      const topology = configWith({ mode: 'sentinel', name: 'mymaster', sentinels: [{ host: '127.0.0.1', port: sentinelPort }] }).redis;
      const client = connect({ topology }, 'command', 'test') as Redis;
      await client.connect();
      await client.set('via-sentinel', 'yes');
      const direct = new Redis(master.url);
      expect(await direct.get('via-sentinel')).toBe('yes');
      direct.disconnect();
      client.disconnect();
      expect(queueConnection({ topology })).toMatchObject({
        name: 'mymaster',
        sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
        maxRetriesPerRequest: null,
      });
    });
  });
});
