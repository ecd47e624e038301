import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ENTRY = join(process.cwd(), 'dist/apps/bff/src/main.js');

export interface WorkerProcess {
  child: ChildProcess;
  url: string;
  /** SIGKILL: no shutdown hooks, no lock release, like a crashed machine. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Folders writeConfigFile made for the test file that imported this module. */
const configFolders: string[] = [];
// Jest gives every test file its own copy of this module and evaluates it while the file is
// collected, where a top-level hook is allowed: the files go when the test file that wrote them
// is done, without each caller having to remember it.
afterAll(() => {
  for (const folder of configFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes a configuration tree where the compiled BFF can read it (CIBA_CONFIG); removed after the test file. */
export function writeConfigFile(tree: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'ciba-config-'));
  configFolders.push(folder);
  const file = join(folder, 'config.json');
  writeFileSync(file, JSON.stringify(tree));
  return file;
}

/** The compiled BFF (`npm run build`) as a separate `ROLE=worker` process, as production runs it. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, ROLE: 'worker', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'CIBA BFF listening' && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before listening: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
