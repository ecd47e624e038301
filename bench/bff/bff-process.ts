import { spawn, type ChildProcess } from 'node:child_process';
import { registerChild, stopChild } from '../support/child-registry.js';
import { waitForJsonLine } from '../support/json-line.js';
import { BFF_ENTRY } from '../support/repo-paths.js';

export interface BffProcess {
  role: 'api' | 'worker';
  child: ChildProcess;
  pid: number;
  url: string;
  /** Log lines at level warn or above (the first few), and how many there were. */
  problems: { count: number; sample: string[] };
  stop(): Promise<void>;
}

export interface BffProcessOptions {
  role: 'api' | 'worker';
  configFile: string;
  redisUrl: string;
  encryptionKey: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

const PROBLEM_SAMPLE_SIZE = 10;

/**
 * The compiled BFF as `npm run start:bff` runs it (`node dist/apps/bff/src/main.js`), configured
 * by the environment only (API.md §2); ready when it logs "CIBA BFF listening".
 */
export async function startBffProcess(options: BffProcessOptions): Promise<BffProcess> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), BFF_ENTRY], {
    env: {
      ...process.env,
      CIBA_CONFIG: options.configFile,
      REDIS_URL: options.redisUrl,
      CIBA_ENCRYPTION_KEY: options.encryptionKey,
      ROLE: options.role,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  registerChild(child);
  const problems = { count: 0, sample: [] as string[] };
  const url = await waitForJsonLine(
    child,
    `the BFF (${options.role})`,
    (entry) => (entry.msg === 'CIBA BFF listening' && typeof entry.url === 'string' ? entry.url : undefined),
    {
      timeoutMs: 60_000,
      onProblem: (line) => {
        problems.count += 1;
        if (problems.sample.length < PROBLEM_SAMPLE_SIZE) problems.sample.push(line.slice(0, 600));
      },
    },
  );
  return { role: options.role, child, pid: child.pid!, url, problems, stop: () => stopChild(child, 30_000) };
}
