import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ENTRY = join(process.cwd(), 'dist/apps/bff/src/main.js');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface BffProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Its JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Every line it wrote that is not a JSON log line, stdout and stderr alike (API.md §6: none). */
  otherLines: string[];
  exited: Promise<ProcessExit>;
  /** Sends SIGTERM, as an orchestrator does; returns when it was sent. */
  terminate(): number;
  /** SIGKILL: no shutdown at all, like a crashed machine. */
  kill(): Promise<ProcessExit>;
  /** SIGTERM unless it has exited, then waits for the exit (SIGKILL after 30 s: cleanup must not hang). */
  stop(): Promise<ProcessExit>;
}

/**
 * The compiled BFF (`npm run start:bff`, built by `npm test` before Jest runs) as its own
 * process. `role` is ROLE; undefined leaves it unset (API and workers in one process).
 */
export async function startBffProcess(name: string, role: 'api' | 'worker' | undefined, env: Record<string, string>): Promise<BffProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  delete childEnv.ROLE;
  if (role) childEnv.ROLE = role;
  const child = spawn(process.execPath, [ENTRY], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  const otherLines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stderr }).on('line', (line) => otherLines.push(line));
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        otherLines.push(line);
        return;
      }
      logs.push(entry);
      if (entry.msg === 'CIBA BFF listening' && typeof entry.url === 'string') resolve(entry.url);
    });
    void exited.then((exit) => reject(new Error(`${name} exited (${exit.code ?? exit.signal}) before listening: ${stderr}`)));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    url,
    logs,
    otherLines,
    exited,
    terminate: () => {
      child.kill('SIGTERM');
      return Date.now();
    },
    kill: () => {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
    stop: () => {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      return exited.finally(() => clearTimeout(kill));
    },
  };
}
