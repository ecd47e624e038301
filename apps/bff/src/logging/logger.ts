import { format } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger, type LogFn } from 'pino';
import { logDestination } from './log-destination.js';
import { REDACT_PATHS, redactCensor } from './log-field-redaction.js';
import { isError, maskedErrorSerializer, sanitizeLogValue } from './log-sanitizer.js';
import { maskText } from './log-text-masker.js';
import { logContextFields } from './request-context.js';

/**
 * JSON lines on stdout (API.md §6), formatted for reading when stdout is a terminal (see
 * `log-destination.ts`). Secrets and personal identifiers are masked at the logger,
 * not at each call site: sensitive field names are censored at any depth, every string (the
 * message, error messages and stacks, provider bodies) goes through the text masker, and
 * pino's `redact` paths stay as a declared second line. pino JSON-encodes every value, so a
 * newline or an escape sequence in a value cannot start a line of its own.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ciba-bff' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // requestId and authenticationId of the work in hand; a field the call itself gives wins.
      mixin: logContextFields,
      redact: { paths: REDACT_PATHS, censor: redactCensor },
      serializers: { err: maskedErrorSerializer },
      formatters: {
        bindings: (bindings) => sanitizeLogValue(bindings) as Record<string, unknown>,
        log: (object) => sanitizeLogValue(object) as Record<string, unknown>,
      },
      hooks: { logMethod: maskMessage },
      onChild: maskChildBindings,
    },
    logDestination(destination ?? process.stdout, { batchTurns: destination === undefined }) as never,
  );
}

/**
 * The message is not part of the object `formatters.log` sees: mask it here, after
 * interpolation (so `'%s=%s', 'token', value` cannot slip through), and give an error logged
 * without a message its masked message (pino would take `err.message` as it is).
 */
function maskMessage(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const [first, ...rest] = args as unknown[];
  if (typeof first === 'object' && first !== null) {
    const [message, ...params] = rest;
    if (typeof message === 'string') return method.call(this, first, maskText(params.length ? format(message, ...params) : message));
    if (message === undefined) {
      const err = isError(first) ? first : (first as { err?: unknown }).err;
      const own = (first as { msg?: unknown }).msg;
      if (own === undefined && isError(err)) return method.call(this, first, maskText(err.message));
    }
    return method.apply(this, args);
  }
  if (typeof first === 'string') return method.call(this, maskText(rest.length ? format(first, ...rest) : first));
  return method.apply(this, args);
}

/**
 * pino applies `formatters.bindings` to the root's bindings only; a child's are already JSON
 * text when this runs. The masker's replacements contain no quote or backslash, so masking the
 * text keeps it valid JSON (field names in them are censored by the `redact` paths).
 */
function maskChildBindings(child: Logger): void {
  const bindings = child as unknown as Record<symbol, unknown>;
  const text = bindings[pino.symbols.chindingsSym];
  if (typeof text === 'string') bindings[pino.symbols.chindingsSym] = maskText(text);
}

/**
 * Nest's start-up narration: a line per module, controller and route, and "successfully
 * started" before the port is even bound. Our own "listening" line says the same, once it is true.
 */
const NEST_START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's own messages through pino (masked like every other line). */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    if (context !== undefined && NEST_START_UP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
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
