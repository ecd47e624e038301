import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Last-resort cleanup when the parent process exits without calling stop():
 * a leftover redis-server would keep its port and temp dir forever.
 *
 * Only the synchronous 'exit' hook is used. Handling SIGINT/SIGTERM here would
 * change the host application's signal behaviour, which a library must not do;
 * a Ctrl-C in a terminal reaches the child anyway because it shares the
 * foreground process group.
 */
interface Tracked {
  child: ChildProcess;
  dir: string;
}

const tracked = new Set<Tracked>();
let hookInstalled = false;

function reapAll(): void {
  for (const entry of tracked) {
    try {
      // The whole group: the watcher shell, redis-server and its reader (see parent-watch.script.ts).
      if (entry.child.pid !== undefined) process.kill(-entry.child.pid, 'SIGKILL');
    } catch {
      // Already gone; nothing to do.
    }
    try {
      rmSync(entry.dir, { recursive: true, force: true });
    } catch {
      // Best effort: the dir is in tmpdir and the OS will clean it eventually.
    }
  }
  tracked.clear();
}

/** Registers a child for killing on parent exit; returns the function that unregisters it. */
export function trackChild(child: ChildProcess, dir: string): () => void {
  if (!hookInstalled) {
    process.on('exit', reapAll);
    hookInstalled = true;
  }
  const entry: Tracked = { child, dir };
  tracked.add(entry);
  return () => {
    tracked.delete(entry);
  };
}
