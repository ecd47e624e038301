import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { trackChild } from './child-reaper.js';
import { PARENT_WATCH_SCRIPT } from './parent-watch.script.js';
import { findFreePort } from './free-port.js';
import { RedisServerUnavailableError } from './redis-server-unavailable.error.js';

export interface RedisServerOptions {
  /** 0 or undefined picks a free port (and retries if another process grabs it first). */
  port?: number;
  /** Executable to run; defaults to `redis-server` from PATH. */
  binary?: string;
  /** Turns AOF on so code paths that depend on fsync behaviour are exercised. The data dir is still removed by stop(). */
  persistent?: boolean;
  /** Receives every line redis-server writes to stdout/stderr. */
  log?: (line: string) => void;
  /** More `--name value` arguments, after ours (e.g. `--cluster-enabled yes` for a test cluster). */
  extraArgs?: readonly string[];
}

export interface RunningRedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
// Redis 6/7.0 print "Ready to accept connections", 7.2+ append " tcp".
const READY_MARKER = 'Ready to accept connections';
const PORT_IN_USE_MARKER = 'Address already in use';
const MAX_PORT_ATTEMPTS = 5;
const STARTUP_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const RECENT_LINES_KEPT = 20;

/** Internal signal that the chosen port was taken between picking and binding it. */
class PortInUseError extends Error {}

const TIMED_OUT = Symbol('timed out');

/** Resolves with the promise's value, or TIMED_OUT; never leaves a timer behind to hold the event loop. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function serverArgs(port: number, dir: string, persistent: boolean, extraArgs: readonly string[]): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--save',
    '', // no RDB snapshots: tests must not pay for (or depend on) them
    '--appendonly',
    persistent ? 'yes' : 'no',
    '--dir',
    dir,
    // The product stores state, not cache: evicting keys silently would lose data.
    '--maxmemory-policy',
    'noeviction',
    // npm run bench: at the default hz 10, Redis checks blocking timeouts 10 times a second, which
    // put a ~100 ms floor under how late delayed jobs are promoted; hz 100 brought p50 from 72 to 19 ms.
    '--hz',
    '100',
    // Encrypted fields are ~90 bytes: a 256-byte limit keeps records and job hashes compact
    // (4.5 KB -> 3.2 KB per pending authentication in npm run bench).
    '--hash-max-listpack-value',
    '256',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no', // we need the pid to own the lifecycle
    ...extraArgs,
  ];
}

export function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedisServer> {
  return startRedisServerWithPorts(options, () => findFreePort(HOST));
}

/**
 * Same as startRedisServer, with the source of candidate ports injectable so
 * the retry-on-collision path can be tested deterministically. Not exported
 * from the barrel.
 */
export async function startRedisServerWithPorts(options: RedisServerOptions, nextPort: () => Promise<number>): Promise<RunningRedisServer> {
  const binary = options.binary ?? 'redis-server';
  // An explicitly requested port is a contract; moving elsewhere would be a surprise.
  if (options.port) return launch(binary, options.port, options);

  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
    try {
      return await launch(binary, await nextPort(), options);
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      lastError = error;
    }
  }
  throw new Error(`redis-server could not bind a free port after ${MAX_PORT_ATTEMPTS} attempts`, { cause: lastError });
}

type StartupOutcome =
  | { kind: 'ready' }
  | { kind: 'spawn-error'; error: NodeJS.ErrnoException }
  | { kind: 'closed'; code: number | null; signal: NodeJS.Signals | null };

async function launch(binary: string, port: number, options: RedisServerOptions): Promise<RunningRedisServer> {
  const { log } = options;
  const dir = await mkdtemp(join(tmpdir(), 'embedded-redis-'));
  const args = serverArgs(port, dir, options.persistent ?? false, options.extraArgs ?? []);
  // redis-server runs under a small shell that stops it when our end of its stdin pipe closes:
  // on stop(), and also when this process dies without running any code (SIGKILL, OOM kill).
  // Its own process group keeps a terminal's Ctrl-C from stopping Redis under a BFF still
  // draining: the host stops it last.
  const child = spawn('/bin/sh', ['-c', PARENT_WATCH_SCRIPT, 'redis-server-watch', binary, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, EMBEDDED_REDIS_DIR: dir },
  });
  // A write to a pipe the watcher closed (it never reads) must not crash the host.
  child.stdin.on('error', () => undefined);
  const untrack = trackChild(child, dir);

  const recent: string[] = [];
  let onReady: (() => void) | undefined;
  // Keep reading for the whole lifetime: an undrained pipe would block redis on its next log write.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > RECENT_LINES_KEPT) recent.shift();
      log?.(line);
      if (line.includes(READY_MARKER)) onReady?.();
    });
  }

  // 'exit' is what stop() waits for; 'close' additionally guarantees all output lines were seen.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const outcome = await within(
    new Promise<StartupOutcome>((resolve) => {
      onReady = () => resolve({ kind: 'ready' });
      child.once('error', (error) => resolve({ kind: 'spawn-error', error }));
      child.once('close', (code, signal) => resolve({ kind: 'closed', code, signal }));
    }),
    STARTUP_TIMEOUT_MS,
  );
  onReady = undefined;
  // Later 'error' events (e.g. a failed kill) must not crash the host as unhandled.
  child.on('error', (error) => log?.(`redis-server process error: ${error.message}`));

  if (outcome === TIMED_OUT) {
    await shutdown(child, exited, dir, untrack);
    throw new Error(`redis-server did not become ready within ${STARTUP_TIMEOUT_MS} ms:\n${recent.join('\n')}`);
  }

  if (outcome.kind === 'ready') {
    return {
      url: `redis://${HOST}:${port}`,
      port,
      stop: once(() => shutdown(child, exited, dir, untrack)),
    };
  }

  untrack();
  await rm(dir, { recursive: true, force: true });
  if (outcome.kind === 'spawn-error') throw outcome.error;
  // POSIX shells: 127 is "command not found", 126 "found but not executable".
  if (outcome.code === 127 || outcome.code === 126) throw new RedisServerUnavailableError(binary, { cause: recent.join('\n') });
  if (recent.some((line) => line.includes(PORT_IN_USE_MARKER))) {
    throw new PortInUseError(`port ${port} is already in use:\n${recent.join('\n')}`);
  }
  throw new Error(`redis-server exited before becoming ready (code ${outcome.code}, signal ${outcome.signal}):\n${recent.join('\n')}`);
}

/** Signals the child's whole process group (the watcher shell, redis-server and the reader). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

async function shutdown(child: ChildProcess, exited: Promise<void>, dir: string, untrack: () => void): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    // End of file on its stdin: the watcher sends redis SIGTERM, which lets it flush the AOF.
    // The whole group is SIGKILLed only if that hangs.
    child.stdin!.end();
    if ((await within(exited, STOP_GRACE_MS)) === TIMED_OUT) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  }
  untrack();
  await rm(dir, { recursive: true, force: true });
}
