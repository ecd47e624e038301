import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Resolves with the first JSON line on the child's stdout that `match` accepts; rejects if the
 * child exits first (with the tail of its stderr) or after `timeoutMs`. Output keeps being
 * drained afterwards (an undrained pipe would block the child), and lines at level warn or above
 * are handed to `onProblem`.
 */
export function waitForJsonLine<T>(
  child: ChildProcess,
  what: string,
  match: (entry: Record<string, unknown>) => T | undefined,
  options: { timeoutMs?: number; onProblem?: (line: string) => void } = {},
): Promise<T> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`${what} was not ready within ${options.timeoutMs ?? 60_000} ms: ${stderr}`)),
      options.timeoutMs ?? 60_000,
    );
    const finish = (error: Error | null, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.once('exit', (code, signal) => finish(new Error(`${what} exited (${code ?? signal}) before it was ready: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // pino levels: 40 warn, 50 error, 60 fatal. A cheap test; most lines are info.
      if (options.onProblem && /"level":(4|5|6)0/.test(line)) options.onProblem(line);
      if (done || !line.startsWith('{')) return;
      try {
        const value = match(JSON.parse(line) as Record<string, unknown>);
        if (value !== undefined) finish(null, value);
      } catch {
        // not JSON
      }
    });
  });
}
