import type { Logger } from 'pino';

/** Something to close when the process stops, named for the log. */
interface Closer {
  name: string;
  close: () => Promise<void>;
}

type SignalSource = Pick<NodeJS.Process, 'on'>;

export interface GracefulShutdownOptions {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Past this many ms after the signal the process exits 1, whatever is still open. */
  deadlineMs: number;
  exit?: (code: number) => void;
}

/**
 * The one owner of a process's shutdown. On the first signal it closes what was registered, last
 * registered first (the BFF before the Redis it runs on), and exits 0, or 1 when a step failed or
 * the deadline passed. Later signals change nothing: `npm run` forwards the terminal's SIGINT to
 * the child that already got its own, so "a second signal forces the exit" would cut every
 * Ctrl-C short; the deadline bounds the wait instead.
 */
export class GracefulShutdown {
  private readonly closers: Closer[] = [];
  private stopping: Promise<void> | undefined;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: GracefulShutdownOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Registers a step; a signal that arrives during start-up closes what is up so far. */
  register(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  listen(signals: readonly NodeJS.Signals[], source: SignalSource = process): void {
    for (const signal of signals) source.on(signal, () => void this.stop(signal));
  }

  /** Runs the shutdown once; every caller gets the same run. */
  stop(reason: string): Promise<void> {
    if (this.stopping) {
      this.options.logger.warn({ signal: reason }, 'already shutting down');
      return this.stopping;
    }
    this.stopping = this.run(reason);
    return this.stopping;
  }

  private async run(reason: string): Promise<void> {
    const { logger, deadlineMs } = this.options;
    const startedAt = Date.now();
    logger.info({ event: 'bff.stopping', signal: reason, deadlineMs }, 'shutting down');
    let current = 'start';
    const deadline = setTimeout(() => {
      logger.error({ event: 'bff.stop_deadline', step: current, deadlineMs }, 'shutdown did not finish in time; exiting');
      this.exit(1);
    }, deadlineMs);
    // The timer must not be what keeps a finished process alive.
    deadline.unref();
    let failed = false;
    for (const closer of [...this.closers].reverse()) {
      current = closer.name;
      try {
        await closer.close();
      } catch (error) {
        failed = true;
        logger.error({ event: 'bff.stop_step_failed', step: closer.name, err: error }, 'a shutdown step failed');
      }
    }
    clearTimeout(deadline);
    logger.info({ event: 'bff.stopped', ms: Date.now() - startedAt, failed }, 'shut down');
    this.exit(failed ? 1 : 0);
  }
}
