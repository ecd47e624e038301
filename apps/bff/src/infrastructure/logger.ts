import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout (API.md §6). Fields that may hold secrets are redacted by path as a
 * second line of defence; the first is never to log them.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ciba-bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'apiKey',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'userCode',
          '*.userCode',
          'loginHint',
          '*.loginHint',
          'authReqId',
          '*.authReqId',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}

/** Nest's own messages through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
