const CHECK_EVERY_MS = 500;

/**
 * Calls `gone` once when the process that started this one has exited (we were re-parented).
 * `npm start` runs `sh -c "npm run build && node ..."`: npm forwards SIGTERM to that shell, not
 * to us, and the shell dies of it without passing it on. Watching the parent turns that (and a
 * SIGKILLed npm) into a stop instead of a BFF left running on its ports.
 */
export function watchParent(gone: () => void, ppid: () => number = () => process.ppid, everyMs = CHECK_EVERY_MS): () => void {
  const parent = ppid();
  const timer = setInterval(() => {
    if (ppid() === parent) return;
    clearInterval(timer);
    gone();
  }, everyMs);
  // Watching must never be what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
