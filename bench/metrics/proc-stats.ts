import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc CPU times (`getconf CLK_TCK`, 100 on Linux almost always). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User + system CPU seconds a process has used so far, all its threads included
 * (/proc/<pid>/stat fields 14 and 15, proc(5)). The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond();
}

/** Peak resident set size in bytes (VmHWM of /proc/<pid>/status). */
export function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** CPU seconds of several processes, sampled at the start of a phase; `elapsed()` gives the use since. */
export class CpuMeter {
  private readonly start: Map<number, number>;

  constructor(private readonly pids: Record<string, number>) {
    this.start = new Map(Object.values(pids).map((pid) => [pid, cpuSeconds(pid)]));
  }

  /** CPU seconds used since construction, per named process. */
  elapsed(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, cpuSeconds(pid) - this.start.get(pid)!]));
  }
}
