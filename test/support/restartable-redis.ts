import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findFreePort } from '@ciba/embedded-redis';

export interface RestartableRedis {
  url: string;
  port: number;
  /** SIGKILL: no shutdown, no final fsync; what AOF had written survives. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory (the AOF is loaded). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A `redis-server` for fault tests that can be killed and brought back: AOF on with
 * `appendfsync everysec` (BullMQ's and our production advice), the same port and directory on
 * every start, and the product's policies (noeviction, hz 100).
 */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'ciba-fault-redis-'));
  let child: ChildProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--hz',
    '100',
  ];

  const start = async () => {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const exited = once(started, 'exit').then(([code]) => {
      throw new Error(`redis-server exited (${String(code)}) before it was ready`);
    });
    const ready = new Promise<void>((resolve) =>
      createInterface({ input: started.stdout }).on('line', (line) => line.includes('Ready to accept connections') && resolve()),
    );
    await Promise.race([ready, exited]);
    exited.catch(() => undefined);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
