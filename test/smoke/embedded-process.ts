import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@ciba/embedded-redis';

/** The compiled app (`npm run build`); SMOKE_DIST_DIR points elsewhere while developing. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = process.env.SMOKE_DIST_DIR ?? join(ROOT, 'dist');
export const EMBEDDED_MAIN = join(DIST, 'apps/embedded/src/main.js');
export const BFF_MAIN = join(DIST, 'apps/bff/src/main.js');

export const STOP_LINE = 'CIBA BFF stopped: API, workers, sandbox provider and Redis closed.';
export const READY_LINE = 'CIBA BFF is running';

export interface AppProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once the output contains the text (rejects when the process ends first). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code (or signal) once every writer of its output has closed it. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a command with the output captured. `detached`: its own process group, like a terminal job. */
export function run(command: string, args: string[], env: Record<string, string>, options: { cwd?: string } = {}): AppProcess {
  const { REDIS_URL: _ignored, CIBA_CONFIG: _config, ...inherited } = process.env;
  const child = spawn(command, args, {
    env: { ...inherited, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd: options.cwd,
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()), waiters.forEach((check) => check())));
  child.stderr.on('data', (chunk: Buffer) => ((err += chunk.toString()), waiters.forEach((check) => check())));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (text: string | RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const found = () => (typeof text === 'string' ? (out + err).includes(text) : text.test(out + err));
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${String(text)}:\n${out}\n${err}`)), timeoutMs);
      const check = () => found() && done();
      const done = (error?: Error) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      waiters.add(check);
      void closed.then(() => (found() ? done() : done(new Error(`ended before ${String(text)}:\n${out}\n${err}`))));
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, closed };
}

/** Free ports for the API and the sandbox, so runs never collide. */
export async function freePorts(): Promise<{ PORT: string; SANDBOX_PORT: string }> {
  return { PORT: String(await findFreePort()), SANDBOX_PORT: String(await findFreePort()) };
}

/** The redis-server child's port, from the app's log line. */
export function redisPortOf(output: string): number {
  const match = /started a redis-server child process on redis:\/\/127\.0\.0\.1:(\d+)/.exec(output);
  if (!match) throw new Error(`no redis-server line in:\n${output}`);
  return Number(match[1]);
}

/** Whether something accepts connections on the port right now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** redis-server processes serving the port (its process title is `redis-server 127.0.0.1:<port>`). */
export function redisServersOn(port: number): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes('redis-server') && new RegExp(`[: ]${port}\\b`).test(line));
}

export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/**
 * Kills a test's process group and waits until its output is closed: nothing of it outlives the
 * test file (a child still exiting holds Jest's worker open past its exit deadline).
 */
export async function stopGroup(app: AppProcess): Promise<void> {
  killGroup(app.child);
  // Bounded: a descendant outside the group could hold the output open; the hook must not hang on it.
  let bound: NodeJS.Timeout | undefined;
  await Promise.race([app.closed, new Promise((resolve) => (bound = setTimeout(resolve, 10_000)))]);
  clearTimeout(bound);
}

/** Kills a test's process group for good (a failed test must not leave the app running). */
export function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}
