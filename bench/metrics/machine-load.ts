import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { clockTicksPerSecond, cpuSeconds } from './proc-stats.js';

/** Busy CPU seconds of the whole machine so far (/proc/stat, all CPUs: everything but idle and iowait). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / clockTicksPerSecond();
}

export interface MachineLoad {
  /** CPU seconds used during the phase by processes that are not the bench's (other work on the machine). */
  foreignCpuSeconds: number;
  /** foreignCpuSeconds over the machine's capacity in the phase (wall time × CPUs). */
  foreignShare: number;
}

/**
 * The rest of the machine during a measured phase: the bench shares the CPUs with whatever else
 * runs, and a busy neighbour makes every number worse. Own processes: those given, plus this one.
 */
export class MachineMeter {
  private readonly startedAt = performance.now();
  private readonly busyAtStart = machineBusySeconds();
  private readonly ownAtStart: number;

  constructor(private readonly ownPids: number[]) {
    this.ownAtStart = this.own();
  }

  elapsed(): MachineLoad {
    const wall = (performance.now() - this.startedAt) / 1000;
    const foreign = Math.max(0, machineBusySeconds() - this.busyAtStart - (this.own() - this.ownAtStart));
    return { foreignCpuSeconds: foreign, foreignShare: foreign / (wall * cpus().length) };
  }

  private own(): number {
    return [...new Set([process.pid, ...this.ownPids])].reduce((total, pid) => {
      try {
        return total + cpuSeconds(pid);
      } catch {
        return total; // exited
      }
    }, 0);
  }
}

/**
 * Waits (up to `maxWaitMs`) until other processes use less than `share` of the machine over a 2 s
 * window, so a scenario does not start in the middle of someone else's test run. Resolves with
 * the share seen last.
 */
export async function waitForQuietMachine(share: number, maxWaitMs: number, onWait: (share: number) => void): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const meter = new MachineMeter([]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const seen = meter.elapsed().foreignShare;
    if (seen < share || performance.now() >= deadline) return seen;
    onWait(seen);
  }
}
