import type { EventEmitter } from 'node:events';
import { storeFailureKind } from './store-failure.js';

/** The two levels this needs (a pino logger fits). */
export interface StateLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * One log line per change of a Redis connection's state, not one per failed command or
 * reconnect attempt: a flapping Redis must not flood the log (a lost connection retries every
 * second). Errors that are not about reaching Redis are logged each time; they are rare and
 * each one means something.
 */
export class ConnectionStateLog {
  private down = false;

  constructor(
    private readonly name: string,
    private readonly logger: StateLogger,
  ) {}

  /** Something failed on this connection. */
  failed(error: unknown): void {
    if (storeFailureKind(error) === null) {
      this.logger.warn({ redis: this.name, err: describe(error) }, 'Redis client error');
      return;
    }
    this.lost(describe(error));
  }

  /** The connection closed (Redis killed, a reset) and is being re-opened. */
  lost(reason = 'connection closed'): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ event: 'redis.connection_lost', redis: this.name, err: reason }, 'Redis connection lost; reconnecting');
  }

  /** The connection is usable again. */
  ready(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info({ event: 'redis.connection_restored', redis: this.name }, 'Redis connection restored');
  }

  /**
   * Listens to an ioredis client (or Cluster). With an `error` listener in place, ioredis no
   * longer prints its plain-text "Unhandled error event" lines either.
   */
  watch(client: EventEmitter): this {
    client.on('error', (error: unknown) => this.failed(error));
    // 'reconnecting', not 'close': a close we asked for (shutdown) is no loss.
    client.on('reconnecting', () => this.lost());
    client.on('ready', () => this.ready());
    return this;
  }
}
