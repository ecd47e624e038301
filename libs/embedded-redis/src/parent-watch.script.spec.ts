import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts } from '../../../test/smoke/embedded-process.js';
import { findFreePort } from './free-port.js';
import { PARENT_WATCH_SCRIPT } from './parent-watch.script.js';

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

// A host process that starts redis-server the way startRedisServer does, then waits to be killed.
const HOST = `
const { spawn } = require('node:child_process');
spawn('/bin/sh', ['-c', process.env.SCRIPT, 'watch', 'redis-server', '--port', process.env.REDIS_PORT, '--bind', '127.0.0.1', '--save', ''],
  { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
setInterval(() => undefined, 1000);
`;

describe('the parent watch around redis-server', () => {
  it('stops redis-server and removes its data directory when the process that started it is SIGKILLed', async () => {
    const port = await findFreePort();
    const dir = mkdtempSync(join(tmpdir(), 'embedded-redis-'));
    const host = spawn(process.execPath, ['-e', HOST], {
      env: { ...process.env, SCRIPT: PARENT_WATCH_SCRIPT, REDIS_PORT: String(port), EMBEDDED_REDIS_DIR: dir },
    });
    const hostExited = new Promise((resolve) => host.once('exit', resolve));
    try {
      expect(await until(() => accepts(port), 10_000)).toBe(true);
      host.kill('SIGKILL');
      await hostExited;
      // No code of the host ran: only the closed pipe tells the watcher.
      expect(await until(async () => !(await accepts(port)), 5000)).toBe(true);
      expect(await until(() => Promise.resolve(!existsSync(dir)), 5000)).toBe(true);
    } finally {
      host.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
