import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { statSync } from 'node:fs';
import { BFF_ENTRY, REPO_ROOT } from '../support/repo-paths.js';

export interface MachineDescription {
  cpuModel: string;
  cpuCount: number;
  cpuMhz: number;
  totalMemoryBytes: number;
  os: string;
  node: string;
  redisServer: string;
  /** The commit measured, and whether the working tree differed from it. */
  commit: string;
  workingTreeDirty: boolean;
  /** When dist/ (what is measured) was built: it may predate or postdate the commit. */
  distBuiltAt: string;
}

const run = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

export function describeMachine(): MachineDescription {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: processors.length,
    cpuMhz: processors[0]?.speed ?? 0,
    totalMemoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    redisServer: run('redis-server', ['--version']),
    commit: run('git', ['rev-parse', 'HEAD']),
    workingTreeDirty: run('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
    distBuiltAt: statSync(BFF_ENTRY).mtime.toISOString(),
  };
}
