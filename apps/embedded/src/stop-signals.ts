type SignalSource = Pick<NodeJS.Process, 'on'>;

/**
 * A signal that comes this soon after the first is the same request delivered twice: a Ctrl-C
 * reaches every process of the terminal's foreground group, npm included, and npm forwards its
 * copy to the script it runs (@npmcli/run-script, signal-manager.js).
 */
export const SAME_REQUEST_MS = 1000;

export interface StopSignalHandlers {
  /** The first signal: stop gracefully. */
  stop(signal: NodeJS.Signals): void;
  /** A later one: the person asking does not want to wait; stop now. */
  stopNow(signal: NodeJS.Signals): void;
}

/**
 * `npm start`'s signals: the first SIGINT or SIGTERM stops everything gracefully, a second one
 * (sent a second or more later) stops at once. Returns the function that handles a signal, for
 * tests and for the parent watch.
 */
export function onStopSignals(
  handlers: StopSignalHandlers,
  options: { signals?: readonly NodeJS.Signals[]; source?: SignalSource; now?: () => number } = {},
): (signal: NodeJS.Signals) => void {
  const now = options.now ?? Date.now;
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      handlers.stop(signal);
    } else if (now() - firstAt >= SAME_REQUEST_MS) {
      handlers.stopNow(signal);
    }
  };
  for (const signal of options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP']) (options.source ?? process).on(signal, () => handle(signal));
  return handle;
}
